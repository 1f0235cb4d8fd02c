from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class OrgConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.org"
    verbose_name = _("Organisation")

    def register(self) -> None:
        from lvzhi.core.navigation import NavItem, register

        register(
            NavItem(_("Members"), "org:member_list", "org.view_roster", "people", 20),
            NavItem(_("Organisation"), "org:structure", "org.view_structure", "diagram-3", 30),
            NavItem(_("My profile"), "org:my_profile", "org.view_own_profile", "person-badge", 40),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "lvzhi.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org import audit, workflow  # noqa: F401 - register audit codes and the table

        register(
            NavItem(_("Members"), "org:member_list", "org.view_roster", "people", 20),
            NavItem(_("Organisation"), "org:structure", "org.view_structure", "diagram-3", 30),
            NavItem(_("My profile"), "org:my_profile", "org.view_own_profile", "person-badge", 40),
        )

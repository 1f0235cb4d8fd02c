from django.utils.translation import gettext_lazy as _

# The module, not the class: Django takes an apps.py's only AppConfig class
# as the app's config, and an imported base would be a second one.
from lvzhi.core import app_config


class CoreConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.core"
    verbose_name = _("Core")

    def register(self) -> None:
        from django.core import checks

        from lvzhi.core.crypto import settings_check
        from lvzhi.core.navigation import NavItem, register

        checks.register(settings_check, checks.Tags.security)

        # Everyone may read the calendar (linked from the home page); the menu
        # entry is for the system administrator who keeps it.
        register(
            NavItem(
                label=_("Holiday calendar"),
                url_name="core:holiday_list",
                permission="core.change_holiday",
                icon="calendar3",
                order=900,
            ),
            NavItem(
                label=_("System status"),
                url_name="core:system",
                permission="core.view_system",
                icon="activity",
                order=910,
            ),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lvzhi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from lvzhi.core.navigation import NavItem, register

        # Everyone may read the calendar (linked from the home page); the menu
        # entry is for the system administrator who keeps it.
        register(
            NavItem(
                label=_("Holiday calendar"),
                url_name="core:holiday_list",
                permission="core.change_holiday",
                icon="calendar3",
                order=900,
            )
        )

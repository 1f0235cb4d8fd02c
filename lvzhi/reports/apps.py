from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class ReportsConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.reports"
    verbose_name = _("Reports")

    def register(self) -> None:
        from lvzhi.core.navigation import NavItem, register

        register(
            NavItem(_("Reports"), "reports:dashboard", "reports.view_dashboard", "bar-chart", 90),
            NavItem(_("My duty profile"), "reports:me", "reports.view_profile", "person-badge", 91),
            NavItem(
                _("Our handling record"),
                "reports:unit",
                "reports.view_unit_record",
                "clipboard-data",
                92,
            ),
        )

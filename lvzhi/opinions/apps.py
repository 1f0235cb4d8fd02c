from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "lvzhi.opinions"
    label = "opinions"
    verbose_name = _("Public-opinion reports")

    def ready(self) -> None:
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.opinions import audit, settings_defs, workflow  # noqa: F401 -- registers
        from lvzhi.org.home import Shortcut, register_shortcuts

        register(
            NavItem(
                _("My reports"), "opinions:my_reports", "opinions.create_report", "megaphone", 50
            ),
            NavItem(_("Opinion reports"), "opinions:queue", "opinions.view_queue", "megaphone", 51),
            NavItem(
                _("Issues"), "opinions:issue_list", "opinions.view_issues", "journal-richtext", 52
            ),
        )
        register_shortcuts(
            "member",
            Shortcut(
                _("My public-opinion reports"),
                "opinions:my_reports",
                "opinions.create_report",
                "megaphone",
            ),
            Shortcut(
                _("Write a report"),
                "opinions:report_create",
                "opinions.create_report",
                "pencil-square",
            ),
        )
        staff = (
            Shortcut(_("Report queue"), "opinions:queue", "opinions.view_queue", "inbox"),
            Shortcut(_("Items in editing"), "opinions:item_list", "opinions.edit", "pencil"),
            Shortcut(
                _("Issues"), "opinions:issue_list", "opinions.view_issues", "journal-richtext"
            ),
            Shortcut(_("Report statistics"), "opinions:stats", "opinions.view_stats", "bar-chart"),
            Shortcut(_("Report settings"), "opinions:settings", "opinions.configure", "sliders"),
        )
        register_shortcuts("staff:opinions", *staff)
        register_shortcuts(
            "leader",
            Shortcut(_("Report queue"), "opinions:queue", "opinions.view_queue", "inbox"),
            Shortcut(
                _("Issues"), "opinions:issue_list", "opinions.view_issues", "journal-richtext"
            ),
            Shortcut(_("Report statistics"), "opinions:stats", "opinions.view_stats", "bar-chart"),
        )
        register_shortcuts(
            "gov_leader",
            Shortcut(
                _("Issues sent to you"),
                "opinions:issue_list",
                "opinions.view_issues",
                "journal-richtext",
            ),
        )

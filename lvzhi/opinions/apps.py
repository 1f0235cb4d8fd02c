from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class OpinionsConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.opinions"
    verbose_name = _("Public-opinion reports")

    def register(self) -> None:
        from lvzhi.opinions import todos

        todos.register()
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org.home import Shortcut, register_shortcuts

        create, view_issues = "opinions.create_report", "opinions.view_issues"
        register(
            NavItem(_("My reports"), "opinions:my_reports", create, "megaphone", 50),
            NavItem(_("Opinion reports"), "opinions:queue", "opinions.view_queue", "megaphone", 51),
            NavItem(_("Issues"), "opinions:issue_list", view_issues, "journal-richtext", 52),
        )
        queue = Shortcut(_("Report queue"), "opinions:queue", "opinions.view_queue", "inbox")
        issues = Shortcut(_("Issues"), "opinions:issue_list", view_issues, "journal-richtext")
        stats = Shortcut(
            _("Report statistics"), "opinions:stats", "opinions.view_stats", "bar-chart"
        )
        mine = Shortcut(_("My public-opinion reports"), "opinions:my_reports", create, "megaphone")
        write = Shortcut(_("Write a report"), "opinions:report_create", create, "pencil-square")
        editing = Shortcut(_("Items in editing"), "opinions:item_list", "opinions.edit", "pencil")
        settings = Shortcut(
            _("Report settings"), "opinions:settings", "opinions.configure", "sliders"
        )
        sent = Shortcut(
            _("Issues sent to you"), "opinions:issue_list", view_issues, "journal-richtext"
        )
        register_shortcuts("member", mine, write)
        register_shortcuts("staff:opinions", queue, editing, issues, stats, settings)
        register_shortcuts("leader", queue, issues, stats)
        register_shortcuts("gov_leader", sent)

from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class PointsConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.points"
    verbose_name = _("Points and assessment")

    def register(self) -> None:
        from lvzhi.points import todos

        todos.register()
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.duties.services import ledger_listen
        from lvzhi.org.home import Shortcut, register_shortcuts
        from lvzhi.points.scoring import on_ledger_change

        # Scores follow the ledger in the same transaction as each record.
        ledger_listen(on_ledger_change)
        register(
            NavItem(_("My points"), "points:my_points", "points.view_own", "trophy", 46),
            NavItem(_("My sector"), "points:sectors", "points.view_convened", "people", 47),
            NavItem(_("Points"), "points:ranking", "points.view_rankings", "bar-chart", 55),
        )
        register_shortcuts(
            "member",
            Shortcut(
                _("My points and required duties"), "points:my_points", "points.view_own", "trophy"
            ),
            Shortcut(
                _("My annual self-report"), "points:self_report", "points.view_own", "pencil-square"
            ),
            Shortcut(
                _("My sector: members, points and talks"),
                "points:sectors",
                "points.view_convened",
                "people",
            ),
        )
        register_shortcuts(
            "staff:duties",
            Shortcut(_("Points rankings"), "points:ranking", "points.view_rankings", "bar-chart"),
            Shortcut(_("Points policies"), "points:policy_list", "points.manage", "sliders"),
            Shortcut(
                _("Annual assessments"),
                "points:assessment_list",
                "points.manage",
                "clipboard-check",
            ),
            Shortcut(
                _("Quarterly bulletins"), "points:bulletin_list", "points.manage", "megaphone"
            ),
            Shortcut(
                _("Excellent-member candidates"),
                "points:candidates",
                "points.view_rankings",
                "award",
            ),
        )
        sectors = Shortcut(
            _("Sectors: points and talks"), "points:sectors", "points.view_rankings", "people"
        )
        register_shortcuts("staff:duties", sectors)
        register_shortcuts(
            "leader",
            Shortcut(_("Points rankings"), "points:ranking", "points.view_rankings", "bar-chart"),
            sectors,
            Shortcut(
                _("Quarterly bulletins"),
                "points:bulletin_list",
                "points.view_rankings",
                "megaphone",
            ),
            Shortcut(
                _("Excellent-member candidates"),
                "points:candidates",
                "points.view_rankings",
                "award",
            ),
        )

from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class ProposalsConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.proposals"
    verbose_name = _("Proposals")

    def register(self) -> None:
        from lvzhi.proposals import todos

        todos.register()
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org.home import Shortcut, register_shortcuts

        register(
            NavItem(_("My proposals"), "proposals:mine", "proposals.file", "file-earmark-text", 50),
            NavItem(_("Proposals"), "proposals:list", "proposals.view_all", "files", 51),
            NavItem(_("Unit inbox"), "proposals:unit_inbox", "proposals.handle", "inbox", 52),
            NavItem(
                _("Supervision"), "proposals:supervision", "proposals.supervise", "binoculars", 53
            ),
        )
        # The office and the leaders both read the whole list and the statistics.
        all_proposals = Shortcut(
            _("All proposals"), "proposals:list", "proposals.view_all", "files"
        )
        stats = Shortcut(
            _("Handling statistics"), "proposals:stats", "proposals.view_all", "bar-chart"
        )
        register_shortcuts(
            "member",
            Shortcut(_("My proposals"), "proposals:mine", "proposals.file", "file-earmark-text"),
            Shortcut(_("New proposal"), "proposals:create", "proposals.file", "pencil-square"),
            Shortcut(
                _("Co-sign invitations"), "proposals:cosign_inbox", "proposals.file", "people"
            ),
            Shortcut(_("Excellent proposals"), "proposals:excellent", "proposals.file", "award"),
        )
        register_shortcuts(
            "staff:proposals",
            Shortcut(_("Review queue"), "proposals:review", "proposals.review", "inbox"),
            Shortcut(
                _("Units' requests"), "proposals:requests", "proposals.review", "arrow-left-right"
            ),
            all_proposals,
            stats,
            Shortcut(
                _("Excellent proposals"), "proposals:excellent", "proposals.view_all", "award"
            ),
            Shortcut(
                _("Categories and decline grounds"),
                "proposals:settings",
                "proposals.configure",
                "gear",
            ),
        )
        register_shortcuts(
            "unit", Shortcut(_("Unit inbox"), "proposals:unit_inbox", "proposals.handle", "inbox")
        )
        register_shortcuts(
            "leader",
            Shortcut(
                _("Supervision board"), "proposals:supervision", "proposals.supervise", "binoculars"
            ),
            all_proposals,
            stats,
        )

from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class DutiesConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.duties"
    verbose_name = _("Duties")

    def register(self) -> None:
        from lvzhi.core.workflow import event_listen
        from lvzhi.duties import tally, todos
        from lvzhi.duties.models import InvitationEvent
        from lvzhi.duties.services import ledger_listen

        todos.register()
        # The summary rows follow the ledger and the invitations in the same transaction.
        ledger_listen(tally.on_ledger_change)
        event_listen(InvitationEvent, tally.on_invitation_event)
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org.home import Shortcut, register_shortcuts

        register(
            NavItem(
                _("Activities"),
                "duties:activity_list",
                "duties.view_activities",
                "calendar-event",
                50,
            ),
            NavItem(_("My duties"), "duties:my_duties", "duties.take_part", "calendar-check", 45),
        )
        register_shortcuts(
            "member",
            Shortcut(
                _("My invitations and duties"),
                "duties:my_duties",
                "duties.take_part",
                "calendar-check",
            ),
            Shortcut(_("Study notes"), "duties:note_list", "duties.take_part", "journal-bookmark"),
            Shortcut(
                _("Services and contributions"),
                "duties:contribution_mine",
                "duties.take_part",
                "hand-thumbs-up",
            ),
            Shortcut(
                _("Annual duty projects"), "duties:project_mine", "duties.take_part", "kanban"
            ),
        )
        register_shortcuts(
            "staff:duties",
            Shortcut(
                _("Duty activities"),
                "duties:activity_list",
                "duties.manage_activities",
                "calendar-event",
            ),
            Shortcut(
                _("New activity"),
                "duties:activity_create",
                "duties.manage_activities",
                "calendar-plus",
            ),
            Shortcut(
                _("Leave requests"),
                "duties:leave_list",
                "duties.manage_activities",
                "envelope-paper",
            ),
            Shortcut(_("Plenary speeches"), "duties:speech_list", "duties.review_duties", "mic"),
            Shortcut(
                _("Services to confirm"),
                "duties:contribution_list",
                "duties.review_duties",
                "patch-check",
            ),
            Shortcut(_("Duty projects"), "duties:project_list", "duties.review_duties", "kanban"),
        )
        register_shortcuts(
            "leader",
            Shortcut(
                _("Duty activities"),
                "duties:activity_list",
                "duties.view_activities",
                "calendar-event",
            ),
        )

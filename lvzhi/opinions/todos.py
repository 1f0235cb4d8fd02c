"""The public-opinion reports' to-dos on the home page
(org.home.register_todos): a member's drafts, the editing desk's submitted
reports, and the issues a party or government leader has not instructed on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.opinions import selectors
from lvzhi.opinions.models import ReportStatus
from lvzhi.org.home import Todo, register_todos


def register() -> None:
    register_todos(
        "member",
        Todo(
            _("Report drafts"),
            "opinions:my_reports",
            lambda r: selectors.drafts_of_user(r.committee, r.user),
            "opinions.create_report",
            f"status={ReportStatus.DRAFT.value}",
            icon="megaphone",
        ),
    )
    register_todos(
        "staff:opinions",
        Todo(
            _("Reports waiting to be edited"),
            "opinions:queue",
            lambda r: selectors.waiting_for_editing(r.committee),
            "opinions.view_queue",
            f"status={ReportStatus.SUBMITTED.value}",
            "inbox",
        ),
    )
    register_todos(
        "gov_leader",
        Todo(
            _("Issues sent to you awaiting an instruction"),
            "opinions:issue_list",
            lambda r: selectors.issues_awaiting_instruction(r.committee, r.user),
            "opinions.view_issues",
            "awaiting=on",
            icon="journal-richtext",
        ),
    )

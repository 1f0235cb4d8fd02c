"""The duties' to-dos on the home page (org.home.register_todos): a member's
invitations to answer and upcoming activities; the office's leave requests
and services to confirm, each counted from the selectors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.duties import selectors
from lvzhi.org.home import Todo, register_todos


def register() -> None:
    register_todos(
        "member",
        Todo(
            _("Invitations to answer"),
            "duties:my_duties",
            lambda r: selectors.invitations_to_answer(r.committee, r.user),
            "duties.take_part",
            icon="envelope-open",
            anchor="upcoming",
        ),
        Todo(
            _("Upcoming activities"),
            "duties:my_duties",
            lambda r: selectors.upcoming_invitations(r.committee, r.user),
            "duties.take_part",
            icon="calendar-event",
            anchor="upcoming",
        ),
    )
    register_todos(
        "staff:duties",
        Todo(
            _("Leave requests waiting"),
            "duties:leave_list",
            lambda r: selectors.leave_requests(r.committee),
            "duties.manage_activities",
            icon="envelope-paper",
        ),
        Todo(
            _("Services to confirm"),
            "duties:contribution_list",
            lambda r: selectors.contributions_to_confirm(r.committee),
            "duties.review_duties",
            "state=submitted",
            "patch-check",
        ),
    )

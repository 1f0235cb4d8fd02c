"""The proposals' to-dos on the home page (org.home.register_todos): what
waits for a member, the office, a handling unit and a leader, each counted
from the selectors and linking to the queue filtered to the same rows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.org.home import Todo, register_todos
from lvzhi.org.http import AuthedRequest
from lvzhi.proposals import filters, selectors
from lvzhi.proposals.models import ExtensionRequest


def _supervised_query(request: AuthedRequest) -> str:
    return f"key=on&supervisor={request.user.pk}&waiting={filters.WAITING_OPEN}"


def _unit(waiting: str) -> Todo:
    labels = {
        selectors.UNIT_TO_SIGN: (_("Assignments to sign for"), "pen", False),
        selectors.UNIT_DUE_SOON: (_("Replies due within 7 days"), "hourglass-split", False),
        selectors.UNIT_OVERDUE: (_("Replies overdue"), "exclamation-octagon", True),
    }
    label, icon, urgent = labels[waiting]
    return Todo(
        label,
        "proposals:unit_inbox",
        lambda r: selectors.unit_waiting(selectors.unit_assignments(r.committee, r.user), waiting),
        "proposals.handle",
        f"waiting={waiting}",
        icon,
        urgent,
    )


def _requests(kind: str) -> Todo:
    """The units' requests waiting for the office, linking to their queue."""
    labels = {
        selectors.REQUEST_EXTENSION: (_("Extension requests waiting"), "calendar-plus"),
        selectors.REQUEST_REASSIGNMENT: (_("Reassignment requests waiting"), "arrow-left-right"),
    }
    label, icon = labels[kind]
    return Todo(
        label,
        "proposals:requests",
        lambda r: selectors.pending_requests(r.committee, kind),
        "proposals.review",
        f"kind={kind}&state={ExtensionRequest.State.PENDING}",
        icon,
    )


def register() -> None:
    file = "proposals.file"
    register_todos(
        "member",
        Todo(
            _("Co-sign requests"),
            "proposals:cosign_inbox",
            lambda r: selectors.cosign_requests(r.committee, r.user),
            file,
            icon="people",
        ),
        Todo(
            _("Replies to evaluate"),
            "proposals:mine",
            lambda r: selectors.awaiting_my_evaluation(r.committee, r.user),
            file,
            "show=to_evaluate",
            icon="star-half",
        ),
        Todo(
            _("Proposal drafts"),
            "proposals:mine",
            lambda r: selectors.drafts_of(r.committee, r.user),
            file,
            "show=to_send",
            icon="pencil-square",
        ),
    )
    register_todos(
        "staff:proposals",
        Todo(
            _("Proposals waiting for review"),
            "proposals:review",
            lambda r: selectors.review_queue(r.committee),
            "proposals.review",
            icon="inbox",
        ),
        _requests(selectors.REQUEST_EXTENSION),
        _requests(selectors.REQUEST_REASSIGNMENT),
        Todo(
            _("Proposals with an overdue reply"),
            "proposals:list",
            lambda r: selectors.with_overdue_assignment(selectors.office_proposals(r.committee)),
            "proposals.review",
            f"waiting={filters.WAITING_OVERDUE}",
            "exclamation-octagon",
            urgent=True,
        ),
    )
    register_todos(
        "unit",
        _unit(selectors.UNIT_TO_SIGN),
        _unit(selectors.UNIT_DUE_SOON),
        _unit(selectors.UNIT_OVERDUE),
    )
    register_todos(
        "leader",
        Todo(
            _("Key proposals I supervise"),
            "proposals:list",
            lambda r: selectors.key_proposals_supervised_by(r.committee, r.user),
            "proposals.supervise",
            _supervised_query,
            "binoculars",
        ),
    )

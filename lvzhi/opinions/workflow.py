"""The report's state table (DESIGN §5): which action moves a report from
which state to which, and who may take it.

    draft ──submit──▶ submitted ──accept──▶ in_editing ──publish──▶ used
                         │  │                   │  │
                         │  └──not_use──▶ not_used ◀──not_use──┘  │
                         └──────merge──▶ merged ◀──────merge──────┘

Forwarding, adoption and instructions do not change the state: they are
recorded on the edited item of a used report and logged in each report's
history."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict
from lvzhi.opinions.models import ReportStatus

S = ReportStatus

# Who may take each action: the report's author (a member), or office staff
# of the public-opinion area.
AUTHOR = "author"
STAFF = "staff"

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "accept"): S.IN_EDITING,
    (S.SUBMITTED, "not_use"): S.NOT_USED,
    (S.IN_EDITING, "not_use"): S.NOT_USED,
    (S.SUBMITTED, "merge"): S.MERGED,
    (S.IN_EDITING, "merge"): S.MERGED,
    (S.IN_EDITING, "publish"): S.USED,
}

ACTORS: dict[str, str] = {
    "submit": AUTHOR,
    "accept": STAFF,
    "not_use": STAFF,
    "merge": STAFF,
    "publish": STAFF,
}


def can(status: str, action: str) -> bool:
    return (status, action) in TRANSITIONS


def next_status(status: str, action: str) -> str:
    """The state after ``action``, or a Conflict saying the report is not in a state for it."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise Conflict(
            _("This cannot be done to a report that is %(status)s.")
            % {"status": ReportStatus(status).label}
        ) from None

"""The state tables of duty activities and invitations (DESIGN §5 Workflow).

Each table maps (from state, action) to the next state; ``WHO`` names who
may take each action: "staff" (office staff of the duties area), "member"
(the invited member themself) or "system" (the QR check-in, closing)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict
from lvzhi.duties.models import Activity, Invitation

A = Activity.State
I = Invitation.State  # noqa: E741 - short name for the table below

ACTIVITY_TRANSITIONS: dict[tuple[str, str], str] = {
    (A.DRAFT, "publish"): A.PUBLISHED,
    (A.DRAFT, "cancel"): A.CANCELLED,
    (A.PUBLISHED, "cancel"): A.CANCELLED,
    (A.PUBLISHED, "close"): A.CLOSED,
}
ACTIVITY_WHO: dict[str, str] = {"publish": "staff", "cancel": "staff", "close": "staff"}

# States in which an invitation is still open (not decided by attendance).
OPEN_STATES = (I.INVITED, I.SIGNED_UP, I.LEAVE_REQUESTED, I.LEAVE_APPROVED, I.LEAVE_REFUSED)
FINAL_STATES = (I.ATTENDED, I.EXCUSED, I.ABSENT)

INVITATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (I.INVITED, "sign_up"): I.SIGNED_UP,
    (I.LEAVE_REFUSED, "sign_up"): I.SIGNED_UP,
    (I.INVITED, "request_leave"): I.LEAVE_REQUESTED,
    (I.SIGNED_UP, "request_leave"): I.LEAVE_REQUESTED,
    (I.LEAVE_REFUSED, "request_leave"): I.LEAVE_REQUESTED,
    (I.LEAVE_REQUESTED, "approve_leave"): I.LEAVE_APPROVED,
    (I.LEAVE_REQUESTED, "refuse_leave"): I.LEAVE_REFUSED,
    # Checking in by QR: whoever is invited and came (even after asking for leave).
    **{(state, "check_in"): I.ATTENDED for state in OPEN_STATES},
    # Staff mark attendance by hand (with a reason) while the activity is open.
    **{(state, "mark_attended"): I.ATTENDED for state in (*OPEN_STATES, I.EXCUSED, I.ABSENT)},
    **{(state, "mark_excused"): I.EXCUSED for state in (*OPEN_STATES, I.ATTENDED, I.ABSENT)},
    **{(state, "mark_absent"): I.ABSENT for state in (*OPEN_STATES, I.ATTENDED, I.EXCUSED)},
    # Closing the activity decides every open invitation.
    (I.LEAVE_APPROVED, "close"): I.EXCUSED,
    **{
        (state, "close"): I.ABSENT
        for state in (I.INVITED, I.SIGNED_UP, I.LEAVE_REQUESTED, I.LEAVE_REFUSED)
    },
}
INVITATION_WHO: dict[str, str] = {
    "sign_up": "member",
    "request_leave": "member",
    "approve_leave": "staff",
    "refuse_leave": "staff",
    "check_in": "member",
    "mark_attended": "staff",
    "mark_excused": "staff",
    "mark_absent": "staff",
    "close": "system",
}


def activity_next(state: str, action: str) -> str:
    try:
        return ACTIVITY_TRANSITIONS[(state, action)]
    except KeyError:
        raise Conflict(
            _("This cannot be done to an activity that is %(state)s.")
            % {"state": Activity.State(state).label}
        ) from None


def invitation_next(state: str, action: str) -> str:
    try:
        return INVITATION_TRANSITIONS[(state, action)]
    except KeyError:
        raise Conflict(
            _("This cannot be done to an invitation that is %(state)s.")
            % {"state": Invitation.State(state).label}
        ) from None

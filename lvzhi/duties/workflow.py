"""The state tables of duty activities, invitations, reported services and
annual duty projects (DESIGN §5 Workflow), written with core's types.

Every state change goes through ``core.workflow.transition``; each row names
the permission of ``duties/rules.py`` that allows it. Audit codes are
``duties.<object>.<action>``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lvzhi.core.workflow import Transition, Workflow
from lvzhi.duties.models import (
    Activity,
    ActivityEvent,
    Contribution,
    ContributionEvent,
    DutyProject,
    DutyProjectEvent,
    Invitation,
    InvitationEvent,
)

A = Activity.State
I = Invitation.State  # noqa: E741 - short name for the table below
C = Contribution.State
P = DutyProject.State

# Each row reads Transition(action, button, from states, permission, to state):
# the order of core.workflow.Transition's fields; no "to state" keeps the state.
# The permissions of duties/rules.py the rows name:
MANAGE = "duties.manage_activity"
ANSWER = "duties.answer_invitation"
DECIDE_LEAVE = "duties.decide_leave"
MARK = "duties.mark_attendance"
CORRECT = "duties.correct_attendance"
REVIEW_ITEM = "duties.review_contribution"
REVIEW_PROJECT = "duties.review_project"
CHANGE_PROJECT = "duties.change_project"

ACTIVITY_FLOW = Workflow(
    model=Activity,
    event_model=ActivityEvent,
    event_subject="activity",
    audit_prefix="duties.activity",
    state_field="state",
    transitions=[
        # Details change while the activity is not over (who is invited only as a draft).
        Transition("change", _("Change the activity"), {A.DRAFT, A.PUBLISHED}, MANAGE),
        Transition("publish", _("Publish and invite"), {A.DRAFT}, MANAGE, A.PUBLISHED),
        Transition(
            "close", _("Close and record attendance"), {A.PUBLISHED}, MANAGE, A.CLOSED, style="dark"
        ),
        Transition(
            "cancel",
            _("Cancel the activity"),
            {A.DRAFT, A.PUBLISHED},
            MANAGE,
            A.CANCELLED,
            style="danger",
        ),
    ],
)

# States in which an invitation is still open (not decided by attendance).
OPEN_STATES = frozenset(
    {I.INVITED, I.SIGNED_UP, I.LEAVE_REQUESTED, I.LEAVE_APPROVED, I.LEAVE_REFUSED}
)
FINAL_STATES = frozenset({I.ATTENDED, I.EXCUSED, I.ABSENT})


# The outcome a member of staff records by hand: its action and button.
MARKS: dict[str, tuple[str, Any]] = {
    I.ATTENDED: ("mark_attended", _("Mark attended")),
    I.EXCUSED: ("mark_excused", _("Mark excused")),
    I.ABSENT: ("mark_absent", _("Mark absent")),
}
# The manual outcome a member of staff chooses → the action that records it.
MARK_ACTIONS: dict[str, str] = {outcome: action for outcome, (action, _label) in MARKS.items()}
# After closing, staff correct an outcome (with a reason; the original is kept).
CORRECTIONS: dict[str, tuple[str, Any]] = {
    I.ATTENDED: ("correct_attended", _("Correct to attended")),
    I.EXCUSED: ("correct_excused", _("Correct to excused")),
    I.ABSENT: ("correct_absent", _("Correct to absent")),
}
CORRECT_ACTIONS: dict[str, str] = {
    outcome: action for outcome, (action, _label) in CORRECTIONS.items()
}


def activity_open(invitation: Any, actor: Any) -> str | None:
    """Members answer and staff decide only while the activity is published."""
    if invitation.activity.state != A.PUBLISHED:
        return str(_("This activity is not open for sign-up or leave."))
    return None


def activity_closed(invitation: Any, actor: Any) -> str | None:
    """Attendance is corrected only once the activity is closed."""
    if invitation.activity.state != A.CLOSED:
        return str(_("Attendance is corrected only after the activity is closed."))
    return None


_OPEN = (activity_open,)

INVITATION_FLOW = Workflow(
    model=Invitation,
    event_model=InvitationEvent,
    event_subject="invitation",
    audit_prefix="duties.invitation",
    state_field="state",
    transitions=[
        Transition(
            "sign_up", _("Sign up"), {I.INVITED, I.LEAVE_REFUSED}, ANSWER, I.SIGNED_UP, guards=_OPEN
        ),
        Transition(
            "request_leave",
            _("Ask for leave"),
            {I.INVITED, I.SIGNED_UP, I.LEAVE_REFUSED},
            ANSWER,
            I.LEAVE_REQUESTED,
            guards=_OPEN,
            style="secondary",
        ),
        # The member takes back a request not yet decided (and may sign up again).
        Transition(
            "withdraw_leave",
            _("Withdraw the leave request"),
            {I.LEAVE_REQUESTED},
            ANSWER,
            I.INVITED,
            guards=_OPEN,
            style="secondary",
        ),
        Transition(
            "approve_leave",
            _("Approve leave"),
            {I.LEAVE_REQUESTED},
            DECIDE_LEAVE,
            I.LEAVE_APPROVED,
            guards=_OPEN,
            style="success",
        ),
        Transition(
            "refuse_leave",
            _("Refuse leave"),
            {I.LEAVE_REQUESTED},
            DECIDE_LEAVE,
            I.LEAVE_REFUSED,
            guards=_OPEN,
            style="danger",
        ),
        # Checking in by QR: whoever is invited and came (even after asking for leave).
        Transition("check_in", _("Check in"), OPEN_STATES, ANSWER, I.ATTENDED, guards=_OPEN),
        # Staff mark attendance by hand (with a reason) while the activity is open.
        *(
            Transition(
                action, label, (OPEN_STATES | FINAL_STATES) - {outcome}, MARK, outcome, guards=_OPEN
            )
            for outcome, (action, label) in MARKS.items()
        ),
        # Closing the activity decides every open invitation.
        Transition("close", _("Decided at closing"), {I.LEAVE_APPROVED}, MARK, I.EXCUSED),
        Transition(
            "close",
            _("Decided at closing"),
            {I.INVITED, I.SIGNED_UP, I.LEAVE_REQUESTED, I.LEAVE_REFUSED},
            MARK,
            I.ABSENT,
        ),
        # After closing: staff correct a final outcome (audited, original kept).
        *(
            Transition(
                action,
                label,
                FINAL_STATES - {outcome},
                CORRECT,
                outcome,
                guards=(activity_closed,),
                style="warning",
            )
            for outcome, (action, label) in CORRECTIONS.items()
        ),
    ],
)

CONTRIBUTION_FLOW = Workflow(
    model=Contribution,
    event_model=ContributionEvent,
    event_subject="contribution",
    audit_prefix="duties.contribution",
    state_field="state",
    transitions=[
        Transition(
            "confirm", _("Confirm"), {C.SUBMITTED}, REVIEW_ITEM, C.CONFIRMED, style="success"
        ),
        Transition(
            "reject", _("Do not confirm"), {C.SUBMITTED}, REVIEW_ITEM, C.REJECTED, style="danger"
        ),
    ],
)

PROJECT_FLOW = Workflow(
    model=DutyProject,
    event_model=DutyProjectEvent,
    event_subject="project",
    audit_prefix="duties.project",
    state_field="state",
    transitions=[
        # The member revises a project not yet approved; it awaits approval again.
        Transition("revise", _("Change"), {P.DECLARED, P.RETURNED}, CHANGE_PROJECT, P.DECLARED),
        Transition(
            "approve", _("Approve"), {P.DECLARED}, REVIEW_PROJECT, P.APPROVED, style="success"
        ),
        Transition(
            "return",
            _("Return for revision"),
            {P.DECLARED},
            REVIEW_PROJECT,
            P.RETURNED,
            style="danger",
        ),
        # Work (an activity, a proposal or report number) is linked to an approved project.
        Transition("link", _("Link work"), {P.APPROVED}, CHANGE_PROJECT),
    ],
)

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

ACTIVITY_FLOW = Workflow(
    model=Activity,
    event_model=ActivityEvent,
    event_subject="activity",
    audit_prefix="duties.activity",
    state_field="state",
    transitions=[
        # Details change while the activity is not over (who is invited only as a draft).
        Transition(
            "change",
            _("Change the activity"),
            source={A.DRAFT, A.PUBLISHED},
            permission="duties.manage_activity",
        ),
        Transition(
            "publish",
            _("Publish and invite"),
            source={A.DRAFT},
            target=A.PUBLISHED,
            permission="duties.manage_activity",
        ),
        Transition(
            "close",
            _("Close and record attendance"),
            source={A.PUBLISHED},
            target=A.CLOSED,
            permission="duties.manage_activity",
            style="dark",
        ),
        Transition(
            "cancel",
            _("Cancel the activity"),
            source={A.DRAFT, A.PUBLISHED},
            target=A.CANCELLED,
            permission="duties.manage_activity",
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


def activity_open(invitation: Any, actor: Any) -> str | None:
    """Members answer and staff decide only while the activity is published."""
    if invitation.activity.state != A.PUBLISHED:
        return str(_("This activity is not open for sign-up or leave."))
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
            "sign_up",
            _("Sign up"),
            source={I.INVITED, I.LEAVE_REFUSED},
            target=I.SIGNED_UP,
            permission="duties.answer_invitation",
            guards=_OPEN,
        ),
        Transition(
            "request_leave",
            _("Ask for leave"),
            source={I.INVITED, I.SIGNED_UP, I.LEAVE_REFUSED},
            target=I.LEAVE_REQUESTED,
            permission="duties.answer_invitation",
            guards=_OPEN,
            style="secondary",
        ),
        Transition(
            "approve_leave",
            _("Approve leave"),
            source={I.LEAVE_REQUESTED},
            target=I.LEAVE_APPROVED,
            permission="duties.decide_leave",
            guards=_OPEN,
            style="success",
        ),
        Transition(
            "refuse_leave",
            _("Refuse leave"),
            source={I.LEAVE_REQUESTED},
            target=I.LEAVE_REFUSED,
            permission="duties.decide_leave",
            guards=_OPEN,
            style="danger",
        ),
        # Checking in by QR: whoever is invited and came (even after asking for leave).
        Transition(
            "check_in",
            _("Check in"),
            source=OPEN_STATES,
            target=I.ATTENDED,
            permission="duties.answer_invitation",
            guards=_OPEN,
        ),
        # Staff mark attendance by hand (with a reason) while the activity is open.
        *(
            Transition(
                action,
                label,
                source=(OPEN_STATES | FINAL_STATES) - {outcome},
                target=outcome,
                permission="duties.mark_attendance",
                guards=_OPEN,
            )
            for outcome, (action, label) in MARKS.items()
        ),
        # Closing the activity decides every open invitation.
        Transition(
            "close",
            _("Decided at closing"),
            source={I.LEAVE_APPROVED},
            target=I.EXCUSED,
            permission="duties.mark_attendance",
        ),
        Transition(
            "close",
            _("Decided at closing"),
            source={I.INVITED, I.SIGNED_UP, I.LEAVE_REQUESTED, I.LEAVE_REFUSED},
            target=I.ABSENT,
            permission="duties.mark_attendance",
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
            "confirm",
            _("Confirm"),
            source={C.SUBMITTED},
            target=C.CONFIRMED,
            permission="duties.review_contribution",
            style="success",
        ),
        Transition(
            "reject",
            _("Do not confirm"),
            source={C.SUBMITTED},
            target=C.REJECTED,
            permission="duties.review_contribution",
            style="danger",
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
        Transition(
            "revise",
            _("Change"),
            source={P.DECLARED, P.RETURNED},
            target=P.DECLARED,
            permission="duties.change_project",
        ),
        Transition(
            "approve",
            _("Approve"),
            source={P.DECLARED},
            target=P.APPROVED,
            permission="duties.review_project",
            style="success",
        ),
        Transition(
            "return",
            _("Return for revision"),
            source={P.DECLARED},
            target=P.RETURNED,
            permission="duties.review_project",
            style="danger",
        ),
        # Work (an activity, a proposal or report number) is linked to an approved project.
        Transition(
            "link",
            _("Link work"),
            source={P.APPROVED},
            permission="duties.change_project",
        ),
    ],
)

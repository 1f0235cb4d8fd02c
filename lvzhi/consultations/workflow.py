"""The state tables of consultations, plans and supervision findings.

Each table maps (state, action) to the next state; ``ACTORS`` says who may
take each action. Services look an action up here and refuse anything the
table does not list, so the tables are the whole truth about what may
happen next."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from lvzhi.consultations.models import Consultation, ConsultationPlan, Finding


class Who(StrEnum):
    STAFF = "staff"  # office staff of the consultations area
    APPROVER = "approver"  # staff of the area or a chairpersons' meeting member
    UNIT = "unit"  # a unit user of the department concerned, or staff
    SYSTEM = "system"  # taken by a service when its condition is met


C = Consultation.State

# topic → preparation → meeting → outcomes → sent → feedback → review → closed
CONSULTATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (C.TOPIC, "prepare"): C.PREPARATION,
    (C.PREPARATION, "convene"): C.MEETING,
    (C.MEETING, "hold"): C.OUTCOMES,
    (C.OUTCOMES, "send"): C.SENT,
    # Taken when the last outcome item gets its feedback (outcome_feedback_give).
    (C.SENT, "feedback_complete"): C.FEEDBACK,
    (C.FEEDBACK, "review"): C.REVIEW,
    (C.REVIEW, "close"): C.CLOSED,
}
CONSULTATION_ACTORS: dict[str, Who] = {
    "prepare": Who.STAFF,
    "convene": Who.STAFF,
    "hold": Who.STAFF,
    "send": Who.STAFF,
    "feedback_complete": Who.SYSTEM,
    "review": Who.STAFF,
    "close": Who.STAFF,
}
CONSULTATION_ACTION_LABELS = {
    "create": _("topic set"),
    "prepare": _("start preparation"),
    "convene": _("open the meeting"),
    "hold": _("meeting held"),
    "send": _("send the outcomes"),
    "feedback_complete": _("all feedback received"),
    "review": _("start the follow-up review"),
    "close": _("close"),
    "hide_post": _("post hidden"),
    "feedback": _("feedback on an outcome"),
}
# The stage order, for the progress bar.
CONSULTATION_STAGES = [
    C.TOPIC,
    C.PREPARATION,
    C.MEETING,
    C.OUTCOMES,
    C.SENT,
    C.FEEDBACK,
    C.REVIEW,
    C.CLOSED,
]
# States in which the meeting's people and speeches may still be recorded.
BEFORE_OUTCOMES = (C.TOPIC, C.PREPARATION, C.MEETING)

P = ConsultationPlan.Status
PLAN_TRANSITIONS: dict[tuple[str, str], str] = {
    (P.DRAFT, "approve"): P.APPROVED,
    (P.APPROVED, "reopen"): P.DRAFT,
    (P.APPROVED, "publish"): P.PUBLISHED,
}
PLAN_ACTORS: dict[str, Who] = {"approve": Who.APPROVER, "reopen": Who.STAFF, "publish": Who.STAFF}
PLAN_ACTION_LABELS = {
    "create": _("drafted"),
    "approve": _("approve"),
    "reopen": _("back to draft"),
    "publish": _("publish"),
}

F = Finding.State
FINDING_TRANSITIONS: dict[tuple[str, str], str] = {
    (F.SENT, "report"): F.REPORTED,
    (F.REPORTED, "confirm"): F.RECTIFIED,
    (F.REPORTED, "return"): F.SENT,
}
FINDING_ACTORS: dict[str, Who] = {"report": Who.UNIT, "confirm": Who.STAFF, "return": Who.STAFF}
FINDING_ACTION_LABELS = {
    "create": _("sent to the department"),
    "report": _("rectification reported"),
    "confirm": _("rectification confirmed"),
    "return": _("returned for further rectification"),
}


def next_state(table: dict[tuple[str, str], str], state: str, action: str) -> str | None:
    return table.get((state, action))


def actions_from(table: dict[tuple[str, str], str], state: str) -> list[str]:
    return [action for (source, action) in table if source == state]

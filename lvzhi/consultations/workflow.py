"""The state tables of topics, plans, consultations and democratic supervision
(core.workflow): for each (state, action) the next state and the named
permission of rules.py that allows it. Services move an object only through
``core.workflow.transition``, so these tables are the whole truth about what
may happen next; pages draw their buttons from ``actions_for``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lvzhi.consultations.models import (
    Consultation,
    ConsultationEvent,
    ConsultationPlan,
    Finding,
    FindingEvent,
    Inspection,
    InspectionEvent,
    PlanEvent,
    SupervisionPlan,
    SupervisionPlanEvent,
    Topic,
    TopicEvent,
)
from lvzhi.core.workflow import Transition, Workflow

# The action name of the first event row, written when the object is created.
CREATE = "create"

# --- Guards: None when the step may go ahead, else the reason --------------------------


def _not_in_plan(topic: Topic, _actor: Any) -> str | None:
    # A list annotates plan_item_count (selectors.topics_for): no query per row.
    count = getattr(topic, "plan_item_count", None)
    if count is None:
        count = 1 if topic.plan_items.exists() else 0
    if count:
        return str(_("The topic is in a plan already; remove it from the plan first."))
    return None


def _plan_has_items(plan: ConsultationPlan, _actor: Any) -> str | None:
    if not plan.items.exists():
        return str(_("Place at least one topic in the plan before approving it."))
    return None


def _supervision_plan_has_items(plan: SupervisionPlan, _actor: Any) -> str | None:
    if not plan.items.exists():
        return str(_("Add at least one item before publishing."))
    return None


def _all_outcomes_answered(consultation: Consultation, _actor: Any) -> str | None:
    if consultation.outcomes.filter(feedback_at__isnull=True).exists():
        return str(_("Feedback on some outcomes is still awaited."))
    return None


def _flow(
    model: Any, event_model: Any, subject: str, transitions: list[Transition], **options: Any
) -> Workflow:
    """A state table of this app: its event rows point at the object through
    ``subject`` and its audit codes are "consultations.<subject>.<action>"
    (a supervision plan's are "consultations.supervision_plan.<action>")."""
    prefix = options.pop("audit_prefix", f"consultations.{subject}")
    return Workflow(
        model=model,
        event_model=event_model,
        event_subject=subject,
        audit_prefix=prefix,
        transitions=transitions,
        **options,
    )


# --- Topics ----------------------------------------------------------------------------

T = Topic.Status
DECIDE_TOPIC = "consultations.decide_topic"
TOPIC_FLOW = _flow(
    Topic,
    TopicEvent,
    "topic",
    [
        Transition(
            "shortlist",
            _("Shortlist"),
            source={T.PROPOSED, T.DECLINED},
            target=T.SHORTLISTED,
            permission=DECIDE_TOPIC,
            guards=(_not_in_plan,),
            style="success",
        ),
        Transition(
            "decline",
            _("Not shortlisted"),
            source={T.PROPOSED, T.SHORTLISTED},
            target=T.DECLINED,
            permission=DECIDE_TOPIC,
            guards=(_not_in_plan,),
            style="secondary",
        ),
    ],
)

# --- The annual plan -------------------------------------------------------------------

P = ConsultationPlan.Status
PLAN_FLOW = _flow(
    ConsultationPlan,
    PlanEvent,
    "plan",
    [
        Transition(
            "approve",
            _("approve"),
            source={P.DRAFT},
            target=P.APPROVED,
            permission="consultations.approve_plan",
            guards=(_plan_has_items,),
        ),
        Transition(
            "reopen",
            _("back to draft"),
            source={P.APPROVED},
            target=P.DRAFT,
            permission="consultations.edit_plan",
            style="secondary",
        ),
        Transition(
            "publish",
            _("publish"),
            source={P.APPROVED},
            target=P.PUBLISHED,
            permission="consultations.publish_plan",
        ),
    ],
)

# --- Consultations ---------------------------------------------------------------------

C = Consultation.State
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
# States in which the meeting's people and preparation may still be recorded.
BEFORE_OUTCOMES = frozenset({C.TOPIC, C.PREPARATION, C.MEETING})
# States in which speeches are recorded: at the meeting or just after it.
SPEECH_STATES = frozenset({C.MEETING, C.OUTCOMES})
# States in which a consultation may be evaluated: once the feedback has come in.
EVALUATION_STATES = frozenset({C.FEEDBACK, C.REVIEW, C.CLOSED})

MANAGE = "consultations.manage_consultation"
ANSWER = "consultations.answer_consultation"
# The office's steps from one stage to the next: action, button label, from, to.
# topic → preparation → meeting → outcomes → sent → (feedback) → review → closed
STAGE_STEPS = [
    ("prepare", _("start preparation"), C.TOPIC, C.PREPARATION),
    ("convene", _("open the meeting"), C.PREPARATION, C.MEETING),
    ("hold", _("meeting held"), C.MEETING, C.OUTCOMES),
    ("send", _("send the outcomes"), C.OUTCOMES, C.SENT),
    ("review", _("start the follow-up review"), C.FEEDBACK, C.REVIEW),
    ("close", _("close"), C.REVIEW, C.CLOSED),
]

CONSULTATION_FLOW = _flow(
    Consultation,
    ConsultationEvent,
    "consultation",
    [
        *(
            Transition(action, label, source={before}, target=after, permission=MANAGE)
            for action, label, before, after in STAGE_STEPS
        ),
        # Logged in place: one outcome answered by its department (or staff for it).
        Transition("feedback", _("feedback on an outcome"), source={C.SENT}, permission=ANSWER),
        # Taken by outcome_feedback_give when the last outcome is answered.
        Transition(
            "feedback_complete",
            _("all feedback received"),
            source={C.SENT},
            target=C.FEEDBACK,
            permission=ANSWER,
            guards=(_all_outcomes_answered,),
        ),
        # Logged in place: a moderator hid an online post (网络议政).
        Transition(
            "hide_post",
            _("post hidden"),
            source=set(CONSULTATION_STAGES),
            permission="consultations.moderate_consultation",
            style="danger",
        ),
    ],
    state_field="state",
)

# --- Democratic supervision ------------------------------------------------------------

S = SupervisionPlan.Status
SUPERVISION_PLAN_FLOW = _flow(
    SupervisionPlan,
    SupervisionPlanEvent,
    "plan",
    [
        Transition(
            "publish",
            _("Publish"),
            source={S.DRAFT},
            target=S.PUBLISHED,
            permission="consultations.publish_supervision_plan",
            guards=(_supervision_plan_has_items,),
        ),
    ],
    audit_prefix="consultations.supervision_plan",
)

IS = Inspection.State
INSPECTION_FLOW = _flow(
    Inspection,
    InspectionEvent,
    "inspection",
    [
        Transition(
            "hold",
            _("Record as held"),
            source={IS.PLANNED},
            target=IS.HELD,
            permission="consultations.hold_inspection",
        ),
    ],
    state_field="state",
)

F = Finding.State
REVIEW_FINDING = "consultations.review_finding"
FINDING_FLOW = _flow(
    Finding,
    FindingEvent,
    "finding",
    [
        Transition(
            "report",
            _("rectification reported"),
            source={F.SENT},
            target=F.REPORTED,
            permission="consultations.report_finding",
        ),
        Transition(
            "confirm",
            _("rectification confirmed"),
            source={F.REPORTED},
            target=F.RECTIFIED,
            permission=REVIEW_FINDING,
            style="success",
        ),
        Transition(
            "return",
            _("returned for further rectification"),
            source={F.REPORTED},
            target=F.SENT,
            permission=REVIEW_FINDING,
            style="danger",
        ),
    ],
    state_field="state",
)

# What the first event row of each kind of object says.
CREATE_LABELS: dict[type[Any], Any] = {
    Topic: _("proposed"),
    ConsultationPlan: _("drafted"),
    Consultation: _("topic set"),
    SupervisionPlan: _("drafted"),
    Inspection: _("planned"),
    Finding: _("sent to the department"),
}


def event_labels(flow: Workflow) -> dict[str, str]:
    """Action code → label, for a timeline of the flow's event rows."""
    labels = {action: flow.label(action) for action in flow.actions()}
    labels[CREATE] = str(CREATE_LABELS[flow.model])
    return labels

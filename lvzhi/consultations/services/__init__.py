"""Writes of consultations and democratic supervision: one function per use case.

Every function is keyword-only, takes the acting user, checks its named
permission first (rules.py, directly or through the state table), runs in one
transaction, writes the event row of each transition and the audit trail,
and raises a DomainError with a Chinese message (nothing is written then).

- topics_plans: 协商议题 and the annual plan (协商计划)
- consultations: 协商活动 from topic to outcomes (preparation, people, speeches)
- outcomes: 协商成果, the departments' feedback, quality evaluation
- online: 网络议政 posts and moderation
- supervision: 民主监督 plans, inspections, findings and rectification"""

from lvzhi.consultations.selectors import online_window_state, participant_of, seat_of
from lvzhi.consultations.services.consultations import (
    DEPARTMENT_FORMATS,
    consultation_close,
    consultation_convene,
    consultation_create,
    consultation_hold,
    consultation_prepare,
    consultation_review,
    consultation_send,
    participant_add,
    preparation_add,
    speech_record,
)
from lvzhi.consultations.services.edits import consultation_update, topic_update
from lvzhi.consultations.services.online import post_create, post_edit, post_hide
from lvzhi.consultations.services.outcomes import (
    criterion_save,
    evaluation_save,
    outcome_add,
    outcome_feedback_give,
    outcome_remove,
)
from lvzhi.consultations.services.supervision import (
    finding_confirm,
    finding_create,
    finding_report,
    finding_return,
    inspection_create,
    inspection_hold,
    supervision_item_add,
    supervision_plan_create,
    supervision_plan_publish,
)
from lvzhi.consultations.services.topics_plans import (
    allowed_topic_sources,
    plan_approve,
    plan_create,
    plan_item_add,
    plan_item_remove,
    plan_publish,
    plan_reopen,
    topic_create,
    topic_create_from_public,
    topic_decline,
    topic_shortlist,
)

__all__ = [
    "DEPARTMENT_FORMATS",
    "allowed_topic_sources",
    "consultation_close",
    "consultation_convene",
    "consultation_create",
    "consultation_hold",
    "consultation_prepare",
    "consultation_review",
    "consultation_send",
    "consultation_update",
    "criterion_save",
    "evaluation_save",
    "finding_confirm",
    "finding_create",
    "finding_report",
    "finding_return",
    "inspection_create",
    "inspection_hold",
    "online_window_state",
    "outcome_add",
    "outcome_feedback_give",
    "outcome_remove",
    "participant_add",
    "participant_of",
    "plan_approve",
    "plan_create",
    "plan_item_add",
    "plan_item_remove",
    "plan_publish",
    "plan_reopen",
    "post_create",
    "post_edit",
    "post_hide",
    "preparation_add",
    "seat_of",
    "speech_record",
    "supervision_item_add",
    "supervision_plan_create",
    "supervision_plan_publish",
    "topic_create",
    "topic_create_from_public",
    "topic_decline",
    "topic_shortlist",
    "topic_update",
]

"""Consultation and supervision pages. Thin: selectors read, rules decide
(through core.web), services write. Objects are loaded through selectors
filtered by the current committee and the user, so anything else answers 404.

- topics_plans: topics and the annual plan
- consultations: consultations, their steps, preparation, people, speeches, evaluation
- outcomes: outcomes and feedback, the units' and party/government's inboxes, criteria
- online: online posts and moderation
- supervision: democratic supervision"""

from lvzhi.consultations.views.consultations import (
    consultation_create,
    consultation_detail,
    consultation_edit,
    consultation_list,
    consultation_transition,
    evaluation_edit,
    outcome_add,
    participant_add,
    preparation_add,
    speech_add,
)
from lvzhi.consultations.views.online import post_create, post_edit, post_hide
from lvzhi.consultations.views.outcomes import (
    criterion_edit,
    criterion_list,
    gov_outcomes,
    outcome_feedback,
    outcome_remove,
    settings_edit,
    unit_inbox,
)
from lvzhi.consultations.views.supervision import (
    finding_create,
    finding_detail,
    finding_list,
    finding_transition,
    inspection_create,
    inspection_detail,
    inspection_hold,
    supervision_detail,
    supervision_item_add,
    supervision_list,
    supervision_plan_create,
    supervision_publish,
)
from lvzhi.consultations.views.topics_plans import (
    plan_create,
    plan_detail,
    plan_item_add,
    plan_item_remove,
    plan_list,
    plan_transition,
    topic_create,
    topic_decide,
    topic_edit,
    topic_list,
)

__all__ = [
    "consultation_create",
    "consultation_detail",
    "consultation_edit",
    "consultation_list",
    "consultation_transition",
    "criterion_edit",
    "criterion_list",
    "evaluation_edit",
    "finding_create",
    "finding_detail",
    "finding_list",
    "finding_transition",
    "gov_outcomes",
    "inspection_create",
    "inspection_detail",
    "inspection_hold",
    "outcome_add",
    "outcome_feedback",
    "outcome_remove",
    "participant_add",
    "plan_create",
    "plan_detail",
    "plan_item_add",
    "plan_item_remove",
    "plan_list",
    "plan_transition",
    "post_create",
    "post_edit",
    "post_hide",
    "preparation_add",
    "settings_edit",
    "speech_add",
    "supervision_detail",
    "supervision_item_add",
    "supervision_list",
    "supervision_plan_create",
    "supervision_publish",
    "topic_create",
    "topic_decide",
    "topic_edit",
    "topic_list",
    "unit_inbox",
]

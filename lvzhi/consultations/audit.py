"""The audit codes the consultations app writes (core.audit), imported by
core.app_config when the app is ready. The state tables of workflow.py register their
own transition codes ("consultations.plan.approve", ...)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.consultations.models import TopicSource
from lvzhi.core.audit import Category, audit_actions_in

data_action = audit_actions_in(Category.DATA)
config_action = audit_actions_in(Category.CONFIG)
export_action = audit_actions_in(Category.EXPORT)

TOPIC_CREATE = data_action("consultations.topic.create", _("consultation topic proposed"))
PLAN_CREATE = data_action("consultations.plan.create", _("consultation plan drafted"))
PLAN_ITEM_ADD = data_action(
    "consultations.plan_item_add", _("topic placed in the consultation plan")
)
PLAN_ITEM_REMOVE = data_action(
    "consultations.plan_item_remove", _("topic taken out of the consultation plan")
)
CONSULTATION_CREATE = data_action("consultations.consultation.create", _("consultation created"))
CONSULTATION_CHANGE = data_action("consultations.consultation_change", _("consultation changed"))
CONSULTATION_CORRECT = data_action(
    "consultations.consultation_correct", _("consultation corrected after the fact")
)
TOPIC_CHANGE = data_action("consultations.topic_change", _("consultation topic changed"))
TOPIC_CORRECT = data_action(
    "consultations.topic_correct", _("consultation topic corrected after the fact")
)
PREPARATION_ADD = data_action(
    "consultations.preparation_add", _("consultation preparation recorded")
)
PARTICIPANT_ADD = data_action("consultations.participant_add", _("consultation participant added"))
SPEECH_RECORD = data_action("consultations.speech_record", _("consultation speech recorded"))
OUTCOME_ADD = data_action("consultations.outcome_add", _("consultation outcome written"))
OUTCOME_REMOVE = data_action("consultations.outcome_remove", _("consultation outcome removed"))
POST_CREATE = data_action("consultations.post_create", _("online consultation post published"))
POST_EDIT = data_action("consultations.post_edit", _("online consultation post edited"))
CRITERION_SAVE = config_action(
    "consultations.criterion_save", _("consultation evaluation criterion saved")
)
EVALUATION_SAVE = data_action("consultations.evaluation_save", _("consultation quality evaluated"))
SUPERVISION_PLAN_CREATE = data_action(
    "consultations.supervision_plan.create", _("supervision plan drafted")
)
SUPERVISION_ITEM_ADD = data_action(
    "consultations.supervision_item_add", _("supervision item added")
)
INSPECTION_CREATE = data_action("consultations.inspection.create", _("inspection planned"))
FINDING_CREATE = data_action("consultations.finding.create", _("supervision finding sent"))
EXPORT = export_action("consultations.export", _("consultation list exported"))

# The auditor's page names the detail keys of these rows.
register_detail_labels(
    {
        "unit": pgettext_lazy("audit detail", "department (number)"),
        "plan": pgettext_lazy("audit detail", "plan (number)"),
        "consultation": pgettext_lazy("audit detail", "consultation (number)"),
        "topic": pgettext_lazy("audit detail", "topic"),
        "max_score": pgettext_lazy("audit detail", "full marks"),
        "is_active": pgettext_lazy("audit detail", "in use"),
        "post": pgettext_lazy("audit detail", "post (number)"),
        "outcome": pgettext_lazy("audit detail", "outcome"),
    },
    {"is_active": {"True": _("yes"), "False": _("no")}, "source": dict(TopicSource.choices)},
)

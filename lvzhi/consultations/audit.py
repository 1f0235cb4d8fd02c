"""The audit codes the consultations app writes (core.audit), imported by
core.app_config when the app is ready. The state tables of workflow.py register their
own transition codes ("consultations.plan.approve", ...)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.audit import Category, register_audit_actions

TOPIC_CREATE = "consultations.topic.create"
PLAN_CREATE = "consultations.plan.create"
PLAN_ITEM_ADD = "consultations.plan_item_add"
PLAN_ITEM_REMOVE = "consultations.plan_item_remove"
CONSULTATION_CREATE = "consultations.consultation.create"
PREPARATION_ADD = "consultations.preparation_add"
PARTICIPANT_ADD = "consultations.participant_add"
SPEECH_RECORD = "consultations.speech_record"
OUTCOME_ADD = "consultations.outcome_add"
OUTCOME_REMOVE = "consultations.outcome_remove"
POST_CREATE = "consultations.post_create"
POST_EDIT = "consultations.post_edit"
CRITERION_SAVE = "consultations.criterion_save"
EVALUATION_SAVE = "consultations.evaluation_save"
SUPERVISION_PLAN_CREATE = "consultations.supervision_plan.create"
SUPERVISION_ITEM_ADD = "consultations.supervision_item_add"
INSPECTION_CREATE = "consultations.inspection.create"
FINDING_CREATE = "consultations.finding.create"
EXPORT = "consultations.export"

register_audit_actions(
    Category.DATA,
    {
        TOPIC_CREATE: _("consultation topic proposed"),
        PLAN_CREATE: _("consultation plan drafted"),
        PLAN_ITEM_ADD: _("topic placed in the consultation plan"),
        PLAN_ITEM_REMOVE: _("topic taken out of the consultation plan"),
        CONSULTATION_CREATE: _("consultation created"),
        PREPARATION_ADD: _("consultation preparation recorded"),
        PARTICIPANT_ADD: _("consultation participant added"),
        SPEECH_RECORD: _("consultation speech recorded"),
        OUTCOME_ADD: _("consultation outcome written"),
        OUTCOME_REMOVE: _("consultation outcome removed"),
        POST_CREATE: _("online consultation post published"),
        POST_EDIT: _("online consultation post edited"),
        SUPERVISION_PLAN_CREATE: _("supervision plan drafted"),
        SUPERVISION_ITEM_ADD: _("supervision item added"),
        INSPECTION_CREATE: _("inspection planned"),
        FINDING_CREATE: _("supervision finding sent"),
        EVALUATION_SAVE: _("consultation quality evaluated"),
    },
)
register_audit_actions(
    Category.CONFIG, {CRITERION_SAVE: _("consultation evaluation criterion saved")}
)
register_audit_actions(Category.EXPORT, {EXPORT: _("consultation list exported")})

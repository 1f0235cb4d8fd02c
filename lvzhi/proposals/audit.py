"""The audit codes of the proposals app that are not workflow steps (the
state tables in workflow.py register theirs: "proposal.<action>" and so on)."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.audit import Category, register_audit_actions

PROPOSAL_CREATE = "proposal.create"
PROPOSAL_EDIT = "proposal.edit"
ATTACHMENT_ADD = "proposal.attachment_add"
EXCELLENT_PUBLISH = "proposal.excellent_publish"
EXPORT = "proposal.export"
CATEGORY_CHANGED = "proposals.category_changed"
DECLINE_GROUND_CHANGED = "proposals.decline_ground_changed"

register_audit_actions(
    Category.DATA,
    {
        PROPOSAL_CREATE: _("proposal draft created"),
        PROPOSAL_EDIT: _("proposal draft changed"),
        ATTACHMENT_ADD: _("attachment added to a proposal"),
    },
)
register_audit_actions(
    Category.WORKFLOW, {EXCELLENT_PUBLISH: _("excellent proposals list published")}
)
register_audit_actions(Category.EXPORT, {EXPORT: _("proposals exported")})
register_audit_actions(
    Category.CONFIG,
    {
        CATEGORY_CHANGED: _("proposal category changed"),
        DECLINE_GROUND_CHANGED: _("ground for declining changed"),
    },
)

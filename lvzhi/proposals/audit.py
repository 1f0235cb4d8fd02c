"""The audit codes of the proposals app that are not workflow steps (the
state tables in workflow.py register theirs: "proposal.<action>" and so on)."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.audit import Category, audit_actions_in

data_action = audit_actions_in(Category.DATA)
workflow_action = audit_actions_in(Category.WORKFLOW)
export_action = audit_actions_in(Category.EXPORT)
config_action = audit_actions_in(Category.CONFIG)

PROPOSAL_CREATE = data_action("proposal.create", _("proposal draft created"))
PROPOSAL_EDIT = data_action("proposal.edit", _("proposal draft changed"))
ATTACHMENT_ADD = data_action("proposal.attachment_add", _("attachment added to a proposal"))
ASSIGNMENT_MESSAGE = data_action(
    "proposal.assignment_message", _("message between a handling unit and the proposers")
)
PROPOSAL_CORRECTED = data_action(
    "proposal.corrected", _("proposal's title, category or kind corrected")
)
EXCELLENT_PUBLISH = workflow_action(
    "proposal.excellent_publish", _("excellent proposals list published")
)
EXPORT = export_action("proposal.export", _("proposals exported"))
CATEGORY_CHANGED = config_action("proposals.category_changed", _("proposal category changed"))
DECLINE_GROUND_CHANGED = config_action(
    "proposals.decline_ground_changed", _("ground for declining changed")
)

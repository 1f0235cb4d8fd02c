"""Writes of the proposal chain: one function per use case (DESIGN §4–5).

Each is keyword-only, takes ``actor=``, checks its named permission
(rules.py) first, runs in one transaction, locks the row it changes and
moves its state only through ``core.workflow.transition`` (the tables of
workflow.py), which writes the event row and the audit row; it records
duties and notifies whoever must act next. A refusal raises a DomainError
with a Chinese message and writes nothing but the audited refusal."""

from lvzhi.proposals.services._common import ATTACHMENT_PURPOSE, LETTER_PURPOSE
from lvzhi.proposals.services.corrections import proposal_correct
from lvzhi.proposals.services.drafting import (
    cosigner_answer,
    proposal_attachment_add,
    proposal_draft_create_from_public,
    proposal_draft_save,
    proposal_submit,
    proposal_withdraw,
)
from lvzhi.proposals.services.evaluation import (
    evaluations_expire,
    proposal_close,
    proposal_evaluate,
)
from lvzhi.proposals.services.handling import (
    assignment_accept,
    assignment_co_opinion,
    assignment_precontact,
    assignment_reply,
    extension_decide,
    extension_request,
    proposal_assign,
    quality_rate,
    reassignment_decide,
    reassignment_request,
    reply_review,
)
from lvzhi.proposals.services.review import (
    proposal_convert,
    proposal_decline,
    proposal_merge,
    proposal_register,
    proposal_return,
)
from lvzhi.proposals.services.settings import (
    DEFAULT_CATEGORIES,
    DEFAULT_DECLINE_GROUNDS,
    ConfigModel,
    ConfigRow,
    config_defaults_add,
    config_field,
    config_row_add,
    config_row_delete,
    config_row_move,
    config_row_rename,
    config_row_set_active,
    defaults_ensure,
)
from lvzhi.proposals.services.supervision import (
    excellent_publish,
    excellent_select,
    proposal_mark_key,
    supervision_note_add,
)
from lvzhi.proposals.services.threads import assignment_message_add, thread_url

__all__ = [
    "ATTACHMENT_PURPOSE",
    "DEFAULT_CATEGORIES",
    "DEFAULT_DECLINE_GROUNDS",
    "LETTER_PURPOSE",
    "ConfigModel",
    "ConfigRow",
    "assignment_accept",
    "assignment_co_opinion",
    "assignment_message_add",
    "assignment_precontact",
    "assignment_reply",
    "config_defaults_add",
    "config_field",
    "config_row_add",
    "config_row_delete",
    "config_row_move",
    "config_row_rename",
    "config_row_set_active",
    "cosigner_answer",
    "defaults_ensure",
    "evaluations_expire",
    "excellent_publish",
    "excellent_select",
    "extension_decide",
    "extension_request",
    "proposal_assign",
    "proposal_attachment_add",
    "proposal_close",
    "proposal_convert",
    "proposal_correct",
    "proposal_decline",
    "proposal_draft_create_from_public",
    "proposal_draft_save",
    "proposal_evaluate",
    "proposal_mark_key",
    "proposal_merge",
    "proposal_register",
    "proposal_return",
    "proposal_submit",
    "proposal_withdraw",
    "quality_rate",
    "reassignment_decide",
    "reassignment_request",
    "reply_review",
    "supervision_note_add",
    "thread_url",
]

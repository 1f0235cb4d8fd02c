"""Writes of public-opinion reports: one function per use case (DESIGN §4).

Every function is keyword-only, takes the acting user and checks its named
permission first (``opinions/rules.py``), runs in one transaction, locks the
rows it changes, moves states through the state tables (``workflow.py``,
which write the report's or issue's event row and the audit row), notes the
other steps in each report's history, writes the audit trail, notifies the
submitters and raises a ``DomainError`` with a Chinese message when a rule
refuses (nothing is written then). Duty records go through
``duties.services`` in the same transaction: submitting earns
``opinion_submitted``; an adoption earns ``opinion_adopted_<level>``; an
instruction ``opinion_instruction`` — each shared 1/n among the n submitters.

- ``drafting``: drafts, submission, drafts made from citizens' messages
- ``editing``: taking into editing, the edited text, merging, not used
- ``issues``: issues and their publication
- ``outcomes``: forwarding, adoptions, leaders' instructions
- ``configuration``: the length limit and the categories"""

from lvzhi.opinions.services._common import ATTACHMENT_PURPOSE, REASON_MAX, TITLE_MAX, share_of
from lvzhi.opinions.services.configuration import settings_update
from lvzhi.opinions.services.drafting import (
    report_draft_create_from_public,
    report_save_draft,
    report_submit,
)
from lvzhi.opinions.services.editing import (
    item_update,
    report_accept,
    report_not_use,
    reports_merge,
)
from lvzhi.opinions.services.issues import (
    issue_add_items,
    issue_create,
    issue_move_item,
    issue_publish,
    issue_remove_item,
    issue_update,
)
from lvzhi.opinions.services.outcomes import (
    ADOPTION_KINDS,
    adoption_correct,
    adoption_record,
    adoption_withdraw,
    instruction_record,
    instruction_withdraw,
    instruction_write,
    item_forward,
)

__all__ = [
    "ADOPTION_KINDS",
    "ATTACHMENT_PURPOSE",
    "REASON_MAX",
    "TITLE_MAX",
    "adoption_correct",
    "adoption_record",
    "adoption_withdraw",
    "instruction_record",
    "instruction_withdraw",
    "instruction_write",
    "issue_add_items",
    "issue_create",
    "issue_move_item",
    "issue_publish",
    "issue_remove_item",
    "issue_update",
    "item_forward",
    "item_update",
    "report_accept",
    "report_draft_create_from_public",
    "report_not_use",
    "report_save_draft",
    "report_submit",
    "reports_merge",
    "settings_update",
    "share_of",
]

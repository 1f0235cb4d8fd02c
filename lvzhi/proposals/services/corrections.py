"""Corrections after the fact (DESIGN §12): the proposal office puts right a
proposal's title, category or kind once the proposer can no longer edit it
(after submission). The kernel (core.corrections) keeps each original value
and writes one audit row.

Points: the duty records of a proposal go to its lead proposer and its
confirmed co-signers, whatever its kind; a correction never changes who
they are. A change of kind that would (a joint proposal with confirmed
co-signers made individual, or a proposal with none made joint) is refused
instead, so no record has to move."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.corrections import correction_reason, corrections_record, field_values
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import refuse_state
from lvzhi.proposals.audit import PROPOSAL_CORRECTED
from lvzhi.proposals.models import TITLE_MAX, CoSigner, Proposal, ProposalCategory
from lvzhi.proposals.services._common import ONLY_OFFICE, clean_text, lock, same_committee
from lvzhi.proposals.workflow import CORRIGIBLE, PROPOSAL_FLOW

CORRECTED_FIELDS = ["title", "category", "kind", "on_behalf_of"]
IN_WHOSE_NAME = (Proposal.Kind.SECTOR, Proposal.Kind.PARTY, Proposal.Kind.SPECIAL_COMMITTEE)


def _kind_errors(proposal: Proposal, kind: str, on_behalf_of: str) -> str | None:
    if kind not in Proposal.Kind.values:
        return _("Choose a valid kind of proposal.")
    if kind in IN_WHOSE_NAME and not on_behalf_of:
        return _("Say in whose name this proposal is filed.")
    confirmed = proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).exists()
    if kind == Proposal.Kind.JOINT and not confirmed:
        return _("Only a proposal with confirmed co-signers can be a joint proposal.")
    if kind != Proposal.Kind.JOINT and confirmed:
        return _(
            "This proposal has confirmed co-signers: it stays a joint proposal "
            "(their duty records depend on it)."
        )
    return None


def proposal_correct(
    *,
    actor: Any,
    proposal: Proposal,
    title: str,
    category: ProposalCategory | None,
    kind: str,
    on_behalf_of: str = "",
    reason: str,
) -> Proposal:
    """The office corrects the title, category or kind (and in whose name it
    is filed) of a submitted proposal, with a reason; the originals stay
    readable (core.corrections). Nothing changed, or a kind that does not
    fit the co-signers, is refused and nothing is written."""
    require_perm(actor, "proposals.correct_proposal", proposal, message=_(ONLY_OFFICE))
    reason = correction_reason(reason)
    title = clean_text(title, _("Title"), required=True, limit=TITLE_MAX)
    on_behalf_of = clean_text(on_behalf_of, _("Filed in the name of"), required=False, limit=64)
    if category is None:
        raise ValidationFailed(_("Choose a category."))
    with transaction.atomic():
        proposal = lock(proposal)
        if proposal.status not in CORRIGIBLE:  # moved on (withdrawn, returned) meanwhile
            raise refuse_state(PROPOSAL_FLOW, proposal)
        same_committee(category, proposal.committee_id, _("Choose a category of this committee."))
        if kind not in IN_WHOSE_NAME:
            on_behalf_of = ""
        error = _kind_errors(proposal, kind, on_behalf_of)
        if error:
            raise ValidationFailed(error)
        before = field_values(proposal, CORRECTED_FIELDS)
        proposal.title, proposal.category, proposal.kind = title, category, kind
        proposal.on_behalf_of = on_behalf_of
        proposal.save(update_fields=[*CORRECTED_FIELDS, "updated_at"])
        corrections_record(
            proposal, before=before, actor=actor, reason=reason, audit_action=PROPOSAL_CORRECTED
        )
    return proposal

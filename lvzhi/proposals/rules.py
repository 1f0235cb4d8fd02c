"""Who may do what with proposals (django-rules). Object predicates take a
Proposal; the service layer checks the same predicates again before writing."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.roles import unit_ids_of
from lvzhi.accounts.rules import is_leader, is_staff_in, is_unit
from lvzhi.org.rules import is_member
from lvzhi.proposals import workflow
from lvzhi.proposals.models import Assignment, CoSigner, Proposal

is_proposals_staff = is_staff_in(Area.PROPOSALS)


@rules.predicate
def is_proposer(user: Any, proposal: Proposal | None = None) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    return bool(proposal.proposer.person.user_id == user.pk)


@rules.predicate
def is_cosigner(user: Any, proposal: Proposal | None = None) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    return CoSigner.objects.filter(proposal=proposal, member__person__user=user).exists()


@rules.predicate
def is_office_visible(user: Any, proposal: Proposal | None = None) -> bool:
    return proposal is not None and proposal.status in workflow.OFFICE_VISIBLE


@rules.predicate
def is_assigned_unit(user: Any, proposal: Proposal | None = None) -> bool:
    """A user of a unit the proposal is (or was, until replied) assigned to,
    or of the unit a declined proposal was forwarded to as a suggestion letter."""
    if proposal is None:
        return False
    units = unit_ids_of(user, proposal)
    if not units:
        return False
    if proposal.letter_unit_id in units:
        return True
    return (
        Assignment.objects.filter(proposal=proposal, unit_id__in=units)
        .exclude(state=Assignment.State.WITHDRAWN)
        .exists()
    )


def _committee_of(proposal: Proposal | None) -> Any:
    return proposal.committee_id if proposal is not None else None


@rules.predicate
def is_office_of_proposal(user: Any, proposal: Proposal | None = None) -> bool:
    return proposal is not None and bool(
        is_proposals_staff(user, _committee_of(proposal))
        or is_leader(user, _committee_of(proposal))
    )


# Committee-level permissions (object: the committee).
rules.add_perm("proposals.file", is_member)
rules.add_perm("proposals.view_all", is_proposals_staff | is_leader)
rules.add_perm("proposals.review", is_proposals_staff)
rules.add_perm("proposals.configure", is_proposals_staff)  # categories and decline grounds
rules.add_perm("proposals.handle", is_unit)
rules.add_perm("proposals.supervise", is_leader | is_proposals_staff)
rules.add_perm("proposals.export", is_proposals_staff | is_leader)
rules.add_perm("proposals.view_excellent", is_member | is_proposals_staff | is_leader)

# Object-level permission (object: the proposal). Drafts are private to the
# proposer and the invited co-signers.
rules.add_perm(
    "proposals.view_proposal",
    is_proposer | is_cosigner | (is_office_visible & is_office_of_proposal) | is_assigned_unit,
)

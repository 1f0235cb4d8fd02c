"""Who may do what with proposals (django-rules): the only statement of it.

Committee-level permissions take the committee; object-level ones are named
``proposals.<verb>_<object>`` and take a Proposal, an Assignment, a CoSigner
or an extension or reassignment request. The state tables (workflow.py) name
these permissions; services check them before writing."""

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
is_public_staff = is_staff_in(Area.PUBLIC)
REPLYING_ROLES = (Assignment.Role.LEAD, Assignment.Role.SPLIT)
# The detail page loads a proposal with its co-signers and assignments under
# these names (selectors.proposal_page_qs); the checks below then read them
# instead of asking the database once per check.
LOADED_COSIGNERS = "loaded_cosigners"
LOADED_ASSIGNMENTS = "loaded_assignments"


def _is_user_of(user: Any, member: Any) -> bool:
    return bool(user.is_authenticated and member.person.user_id == user.pk)


# --- On a proposal ---------------------------------------------------------------------


@rules.predicate
def is_proposer(user: Any, proposal: Proposal | None = None) -> bool:
    return proposal is not None and _is_user_of(user, proposal.proposer)


@rules.predicate
def is_cosigner(user: Any, proposal: Proposal | None = None) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    loaded = getattr(proposal, LOADED_COSIGNERS, None)
    if loaded is not None:
        return any(_is_user_of(user, c.member) for c in loaded)
    return CoSigner.objects.filter(proposal=proposal, member__person__user=user).exists()


@rules.predicate
def is_confirmed_cosigner(user: Any, proposal: Proposal | None = None) -> bool:
    if proposal is None or not user.is_authenticated:
        return False
    loaded = getattr(proposal, LOADED_COSIGNERS, None)
    if loaded is not None:
        return any(
            _is_user_of(user, c.member) and c.state == CoSigner.State.CONFIRMED for c in loaded
        )
    return CoSigner.objects.filter(
        proposal=proposal, member__person__user=user, state=CoSigner.State.CONFIRMED
    ).exists()


@rules.predicate
def is_past_drafting(user: Any, proposal: Proposal | None = None) -> bool:
    """Submitted or later: the proposer can no longer edit it (not withdrawn)."""
    return proposal is not None and proposal.status in workflow.CORRIGIBLE


@rules.predicate
def is_office_visible(user: Any, proposal: Proposal | None = None) -> bool:
    return proposal is not None and proposal.status in workflow.OFFICE_VISIBLE


def _units_on(user: Any, proposal: Proposal | None, roles: tuple[str, ...] = ()) -> bool:
    if proposal is None:
        return False
    units = unit_ids_of(user, proposal)
    if not units:
        return False
    loaded = getattr(proposal, LOADED_ASSIGNMENTS, None)
    if loaded is not None:
        return any(
            a.unit_id in units
            and a.state != Assignment.State.WITHDRAWN
            and (not roles or a.role in roles)
            for a in loaded
        )
    rows = Assignment.objects.filter(proposal=proposal, unit_id__in=units).exclude(
        state=Assignment.State.WITHDRAWN
    )
    if roles:
        rows = rows.filter(role__in=roles)
    return rows.exists()


@rules.predicate
def is_assigned_unit(user: Any, proposal: Proposal | None = None) -> bool:
    """A user of a unit the proposal is (or was, until replied) assigned to,
    or of the unit a declined proposal was forwarded to as a suggestion letter."""
    if proposal is None:
        return False
    if proposal.letter_unit_id is not None and proposal.letter_unit_id in unit_ids_of(
        user, proposal
    ):
        return True
    return _units_on(user, proposal)


@rules.predicate
def is_replying_unit(user: Any, proposal: Proposal | None = None) -> bool:
    """A user of a lead or split unit of the proposal (not reassigned away)."""
    return _units_on(user, proposal, REPLYING_ROLES)


@rules.predicate
def is_co_unit(user: Any, proposal: Proposal | None = None) -> bool:
    return _units_on(user, proposal, (Assignment.Role.CO,))


@rules.predicate
def is_office_of_proposal(user: Any, proposal: Proposal | None = None) -> bool:
    return proposal is not None and bool(
        is_proposals_staff(user, proposal) or is_leader(user, proposal)
    )


# --- On an assignment, a co-signer, a request -------------------------------------------


@rules.predicate
def is_assignment_unit(user: Any, assignment: Assignment | None = None) -> bool:
    return assignment is not None and assignment.unit_id in unit_ids_of(user, assignment)


@rules.predicate
def is_replying_role(user: Any, assignment: Assignment | None = None) -> bool:
    return assignment is not None and assignment.role in REPLYING_ROLES


@rules.predicate
def is_co_role(user: Any, assignment: Assignment | None = None) -> bool:
    return assignment is not None and assignment.role == Assignment.Role.CO


@rules.predicate
def is_lead_unit_of_its_proposal(user: Any, assignment: Assignment | None = None) -> bool:
    """A user of the lead unit of the same proposal (whose reply ends a co-unit's part)."""
    if assignment is None:
        return False
    return Assignment.objects.filter(
        proposal_id=assignment.proposal_id,
        role=Assignment.Role.LEAD,
        unit_id__in=unit_ids_of(user, assignment),
    ).exists()


@rules.predicate
def is_proposer_of_its_proposal(user: Any, assignment: Assignment | None = None) -> bool:
    return assignment is not None and _is_user_of(user, assignment.proposal.proposer)


@rules.predicate
def is_proposer_side(user: Any, assignment: Assignment | None = None) -> bool:
    """The lead proposer or a confirmed co-signer of the assignment's proposal."""
    if assignment is None:
        return False
    proposal = assignment.proposal
    return bool(is_proposer(user, proposal) or is_confirmed_cosigner(user, proposal))


@rules.predicate
def is_the_cosigner(user: Any, cosigner: CoSigner | None = None) -> bool:
    return cosigner is not None and _is_user_of(user, cosigner.member)


@rules.predicate
def is_staff_of_request(user: Any, request: Any = None) -> bool:
    return request is not None and bool(is_proposals_staff(user, request.assignment))


# Committee-level permissions (object: the committee).
rules.add_perm("proposals.file", is_member)
rules.add_perm("proposals.view_all", is_proposals_staff | is_leader)
rules.add_perm("proposals.review", is_proposals_staff)
# Categories, decline grounds and deadlines; also on a category or ground row.
rules.add_perm("proposals.configure", is_proposals_staff)
rules.add_perm("proposals.handle", is_unit)
rules.add_perm("proposals.supervise", is_leader | is_proposals_staff)
rules.add_perm("proposals.export", is_proposals_staff | is_leader)
rules.add_perm("proposals.view_excellent", is_member | is_proposals_staff | is_leader)
rules.add_perm("proposals.manage_excellent", is_proposals_staff)
# 三听三转: staff turn citizens' messages into a member's draft.
rules.add_perm("proposals.draft_for_member", is_proposals_staff | is_public_staff)

# On a proposal. Drafts are private to the proposer and the invited co-signers.
rules.add_perm(
    "proposals.view_proposal",
    is_proposer | is_cosigner | (is_office_visible & is_office_of_proposal) | is_assigned_unit,
)
# Editing also needs a draft or returned state (the table's "submit" row).
rules.add_perm("proposals.edit_proposal", is_proposer)
rules.add_perm("proposals.submit_proposal", is_proposer)
rules.add_perm("proposals.withdraw_proposal", is_proposer)
rules.add_perm("proposals.cosign_proposal", is_cosigner)
rules.add_perm("proposals.register_proposal", is_proposals_staff)
rules.add_perm("proposals.review_proposal", is_proposals_staff)
rules.add_perm("proposals.assign_proposal", is_proposals_staff)
rules.add_perm("proposals.close_proposal", is_proposals_staff)
# Title, category and kind after the fact (services.proposal_correct).
rules.add_perm("proposals.correct_proposal", is_proposals_staff & is_past_drafting)
rules.add_perm("proposals.select_excellent_proposal", is_proposals_staff)
rules.add_perm("proposals.handle_proposal", is_replying_unit)
rules.add_perm("proposals.rate_proposal", is_replying_unit)
rules.add_perm("proposals.assist_proposal", is_co_unit)
rules.add_perm("proposals.relinquish_proposal", is_replying_unit | is_co_unit)
rules.add_perm("proposals.evaluate_proposal", is_proposer)
rules.add_perm("proposals.cosigner_evaluate_proposal", is_confirmed_cosigner)
# Only the daily job, which runs with no user, marks "not evaluated".
rules.add_perm("proposals.expire_proposal", rules.always_deny)
rules.add_perm("proposals.mark_key_proposal", is_leader)
rules.add_perm("proposals.supervise_proposal", is_leader | is_proposals_staff)

# On an assignment.
rules.add_perm("proposals.handle_assignment", is_assignment_unit & is_replying_role)
rules.add_perm("proposals.reply_assignment", is_assignment_unit & is_replying_role)
rules.add_perm("proposals.assist_assignment", is_assignment_unit & is_co_role)
rules.add_perm("proposals.relinquish_assignment", is_assignment_unit)
rules.add_perm("proposals.end_assignment", is_lead_unit_of_its_proposal)
rules.add_perm("proposals.withdraw_assignment", is_proposals_staff)
rules.add_perm("proposals.reopen_assignment", is_proposer_of_its_proposal)
# 办理沟通: the unit and the proposers write; the office and the leaders read.
rules.add_perm(
    "proposals.view_assignment_thread",
    is_assignment_unit | is_proposer_side | is_proposals_staff | is_leader,
)
rules.add_perm("proposals.write_assignment_message", is_assignment_unit | is_proposer_side)
rules.add_perm("proposals.write_as_unit", is_assignment_unit)

# On a co-signer row and on a unit's requests.
rules.add_perm("proposals.answer_cosigner", is_the_cosigner)
rules.add_perm("proposals.decide_extension", is_staff_of_request)
rules.add_perm("proposals.decide_reassignment", is_staff_of_request)

"""The permission matrix: who holds each named permission of rules.py, by
role and by relation to the object — the lead proposer, a confirmed and an
invited co-signer, the assigned lead and co-unit, another unit, the proposal
office, staff of another area, a leader, another committee's office, anonymous."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from lvzhi.accounts.models import Area, Role
from lvzhi.core.permissions import has_perm
from lvzhi.proposals.models import CoSigner, ExtensionRequest, Proposal
from lvzhi.proposals.tests.conftest import World, make_member, make_role_user
from lvzhi.proposals.tests.test_tables import a_proposal, an_assignment

S = Proposal.Status


@pytest.fixture
def people(world: World) -> dict[str, Any]:
    invited = make_member(world.committee, world.term, "p-invited", "陈受邀")
    return {
        "proposer": world.proposer_user,
        "cosigner": world.cosigner_user,
        "invited": invited.person.user,
        "lead_unit": world.lead_user,
        "co_unit": world.co_user,
        "other_unit": world.other_unit_user,
        "staff": world.staff,
        "other_area_staff": make_role_user(world.committee, "p-opstaff", Role.STAFF, Area.OPINIONS),
        "leader": world.leader,
        "other_committee_staff": world.other_staff,
        "anonymous": AnonymousUser(),
        "_invited_member": invited,
    }


def _proposal_with_everyone(world: World, people: dict[str, Any], state: str) -> Proposal:
    proposal = a_proposal(world, state)
    CoSigner.objects.create(
        proposal=proposal, member=world.cosigner, state=CoSigner.State.CONFIRMED
    )
    CoSigner.objects.create(proposal=proposal, member=people["_invited_member"])
    an_assignment(world, proposal)
    an_assignment(world, proposal, "co")
    return proposal


OFFICE = {"staff"}
PROPOSER = {"proposer"}
# Object-level permissions on a proposal in handling, and who holds them.
ON_A_PROPOSAL: dict[str, set[str]] = {
    "proposals.view_proposal": {
        "proposer",
        "cosigner",
        "invited",
        "lead_unit",
        "co_unit",
        "staff",
        "leader",
    },
    "proposals.edit_proposal": PROPOSER,
    "proposals.submit_proposal": PROPOSER,
    "proposals.withdraw_proposal": PROPOSER,
    "proposals.evaluate_proposal": PROPOSER,
    "proposals.cosign_proposal": {"cosigner", "invited"},
    "proposals.cosigner_evaluate_proposal": {"cosigner"},
    "proposals.register_proposal": OFFICE,
    "proposals.review_proposal": OFFICE,
    "proposals.assign_proposal": OFFICE,
    "proposals.close_proposal": OFFICE,
    "proposals.select_excellent_proposal": OFFICE,
    "proposals.handle_proposal": {"lead_unit"},
    "proposals.rate_proposal": {"lead_unit"},
    "proposals.assist_proposal": {"co_unit"},
    "proposals.relinquish_proposal": {"lead_unit", "co_unit"},
    "proposals.mark_key_proposal": {"leader"},
    "proposals.supervise_proposal": {"leader", "staff"},
    "proposals.expire_proposal": set(),
}
# Committee-level permissions (object: the committee).
ON_THE_COMMITTEE: dict[str, set[str]] = {
    "proposals.file": {"proposer", "cosigner", "invited"},
    "proposals.view_all": {"staff", "leader"},
    "proposals.review": OFFICE,
    "proposals.configure": OFFICE,
    "proposals.handle": {"lead_unit", "co_unit", "other_unit"},
    "proposals.supervise": {"leader", "staff"},
    "proposals.export": {"leader", "staff"},
    "proposals.view_excellent": {"proposer", "cosigner", "invited", "staff", "leader"},
    "proposals.manage_excellent": OFFICE,
    "proposals.draft_for_member": OFFICE,
}


def _holders(people: dict[str, Any], perm: str, obj: Any) -> set[str]:
    return {
        name
        for name, user in people.items()
        if not name.startswith("_") and has_perm(user, perm, obj)
    }


@pytest.mark.parametrize("perm", list(ON_A_PROPOSAL))
def test_who_holds_each_permission_on_a_proposal(
    world: World, people: dict[str, Any], perm: str
) -> None:
    proposal = _proposal_with_everyone(world, people, S.IN_HANDLING)
    assert _holders(people, perm, proposal) == ON_A_PROPOSAL[perm]


@pytest.mark.parametrize("perm", list(ON_THE_COMMITTEE))
def test_who_holds_each_permission_in_the_committee(
    world: World, people: dict[str, Any], perm: str
) -> None:
    assert _holders(people, perm, world.committee) == ON_THE_COMMITTEE[perm]


def test_a_draft_is_private_to_its_proposer_and_co_signers(
    world: World, people: dict[str, Any]
) -> None:
    proposal = a_proposal(world, S.DRAFT)
    CoSigner.objects.create(proposal=proposal, member=world.cosigner)
    CoSigner.objects.create(proposal=proposal, member=people["_invited_member"])
    assert _holders(people, "proposals.view_proposal", proposal) == {
        "proposer",
        "cosigner",
        "invited",
    }


@pytest.mark.parametrize(
    "perm,role,holders",
    [
        ("proposals.handle_assignment", "lead", {"lead_unit"}),
        ("proposals.handle_assignment", "co", set()),
        ("proposals.reply_assignment", "lead", {"lead_unit"}),
        ("proposals.assist_assignment", "co", {"co_unit"}),
        ("proposals.assist_assignment", "lead", set()),
        ("proposals.relinquish_assignment", "lead", {"lead_unit"}),
        ("proposals.relinquish_assignment", "co", {"co_unit"}),
        ("proposals.end_assignment", "co", {"lead_unit"}),
        ("proposals.withdraw_assignment", "lead", OFFICE),
        ("proposals.reopen_assignment", "lead", PROPOSER),
    ],
)
def test_who_holds_each_permission_on_an_assignment(
    world: World, people: dict[str, Any], perm: str, role: str, holders: set[str]
) -> None:
    proposal = _proposal_with_everyone(world, people, S.IN_HANDLING)
    assignment = proposal.assignments.get(role=role)
    assert _holders(people, perm, assignment) == holders


def test_only_the_co_signer_answers_and_only_the_office_decides_requests(
    world: World, people: dict[str, Any]
) -> None:
    proposal = _proposal_with_everyone(world, people, S.IN_HANDLING)
    mine = proposal.cosigners.get(member=world.cosigner)
    assert _holders(people, "proposals.answer_cosigner", mine) == {"cosigner"}
    lead = proposal.assignments.get(role="lead")
    request = ExtensionRequest.objects.create(
        assignment=lead, requested_due=lead.reply_due, reason="理由"
    )
    assert _holders(people, "proposals.decide_extension", request) == OFFICE

"""Similar proposals across the committee above and those below: the
committees where the user has neither a role nor a seat are left out before
the scope is built, and that changes nothing of what is seen."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from lvzhi.assist import advice, indexing, scope
from lvzhi.assist.models import Kind, SearchEntry
from lvzhi.assist.tests.conftest import SCHOOL, in_past_year
from lvzhi.org.models import Committee
from lvzhi.org.tests.factories import HandlingUnitFactory, MemberFactory
from lvzhi.proposals import services
from lvzhi.proposals.models import Proposal, ProposalCategory
from lvzhi.proposals.tests.conftest import World, assigned

pytestmark = pytest.mark.django_db


def county_proposal(world: World, actor: Any, unit: Any) -> Proposal:
    county = world.other_committee
    proposal = services.proposal_draft_save(
        actor=actor,
        committee=county,
        title=SCHOOL["title"],
        category=ProposalCategory.objects.get(committee=county, name="社会建设"),
        kind="individual",
        reason=SCHOOL["reason"],
        suggestions=SCHOOL["suggestions"],
    )
    proposal = services.proposal_submit(actor=actor, proposal=proposal)
    proposal = services.proposal_register(actor=world.other_staff, proposal=proposal)
    services.proposal_assign(actor=world.other_staff, proposal=proposal, lead=unit)
    return in_past_year(proposal)


@pytest.fixture
def province(world: World) -> dict[str, Any]:
    """The world's committee above its second one (a county below the city),
    a proposal handled in each, and the city's proposer also holding a seat
    in the county, with a proposal of their own there."""
    county = world.other_committee
    Committee.objects.filter(pk=county.pk).update(parent=world.committee)
    county.refresh_from_db()
    unit = HandlingUnitFactory(committee=county, name="别处县教育局")
    city_p = in_past_year(assigned(world, **SCHOOL))
    county_p = county_proposal(world, world.other_member.person.user, unit)
    MemberFactory(committee=county, term=world.other_member.term, person=world.proposer.person)
    fresh = type(world.proposer_user).objects.get(pk=world.proposer_user.pk)  # no cached seats
    own_p = county_proposal(world, fresh, unit)
    indexing.rebuild()
    return {"county": county, "city": city_p, "county_p": county_p, "own": own_p}


def similar(user: Any, committee: Committee) -> set[int]:
    words = advice.draft_terms(**SCHOOL)
    return {s.proposal.pk for s in advice.similar_past(user, committee, words)}


def test_staff_see_only_their_own_committees_proposals(
    world: World, province: dict[str, Any]
) -> None:
    assert similar(world.staff, world.committee) == {province["city"].pk}
    assert similar(world.other_staff, province["county"]) == {
        province["county_p"].pk,
        province["own"].pk,
    }


def test_a_seat_in_a_neighbour_brings_ones_own_proposals_there(
    world: World, province: dict[str, Any]
) -> None:
    assert similar(world.proposer_user, world.committee) == {
        province["city"].pk,
        province["own"].pk,
    }
    # Not the county's other proposals: the seat opens only the member's own.
    assert province["county_p"].pk not in similar(world.proposer_user, world.committee)


def test_leaving_out_committees_out_of_reach_changes_nothing(
    world: World, province: dict[str, Any]
) -> None:
    users = [
        world.staff,
        world.leader,
        world.proposer_user,
        world.cosigner_user,
        world.lead_user,
        world.other_unit_user,
        world.other_staff,
        world.other_member.person.user,
    ]
    for committee in (world.committee, province["county"]):
        around = Committee.objects.filter(
            Q(pk=committee.pk) | Q(pk=committee.parent_id) | Q(parent=committee)
        )
        for user in users:
            every = advice._visible_entries(user, list(around))
            reached = advice._visible_entries(user, scope.proposal_reach(user, around))
            assert set(reached.values_list("pk", flat=True)) == set(
                every.values_list("pk", flat=True)
            ), (user, committee)
    assert SearchEntry.objects.filter(kind=Kind.PROPOSAL).count() == 3


def test_reach_costs_one_query_however_many_committees_below(
    world: World, province: dict[str, Any]
) -> None:
    for n in range(5):
        Committee.objects.create(code=f"below-{n}", name=f"下级{n}", parent=world.committee)
    around = Committee.objects.filter(Q(pk=world.committee.pk) | Q(parent=world.committee))
    world.staff.refresh_from_db()
    scope.proposal_reach(world.staff, around)  # the role cache, as a page has it
    with CaptureQueriesContext(connection) as ctx:
        reached = scope.proposal_reach(world.staff, around)
    assert len(ctx.captured_queries) == 1
    assert [c.pk for c in reached] == [world.committee.pk]

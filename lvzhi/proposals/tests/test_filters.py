"""The list filters: each narrows by one allowed value, ignores a bad one
(the other filters still apply), and offers only the committee's rows."""

from __future__ import annotations

from django.http import QueryDict

from lvzhi.org.tests.factories import HandlingUnitFactory
from lvzhi.proposals import selectors
from lvzhi.proposals.filters import ProposalFilter, SupervisionFilter, UnitInboxFilter
from lvzhi.proposals.models import ProposalCategory
from lvzhi.proposals.tests.conftest import World, assigned, lead_assignment, submitted


def office(world: World, query: str) -> ProposalFilter:
    return ProposalFilter(
        QueryDict(query),
        queryset=selectors.office_proposals(world.committee),
        committee=world.committee,
    )


def test_the_office_list_filters_by_status_text_kind_year_unit_and_key(world: World) -> None:
    waiting = submitted(world, title="关于社区养老的建议")
    handled = assigned(world, title="关于河道治理的建议")
    assert list(office(world, "status=submitted").qs) == [waiting]
    assert list(office(world, "q=河道").qs) == [handled]
    assert list(office(world, f"unit={world.lead_unit.pk}").qs) == [handled]
    assert set(office(world, "kind=individual").qs) == {waiting, handled}
    assert set(office(world, f"year={waiting.submitted_at.year}").qs) == {waiting, handled}
    assert list(office(world, "key=on").qs) == []
    assert set(office(world, "").qs) == {waiting, handled}


def test_a_bad_value_is_ignored_and_the_other_filters_still_apply(world: World) -> None:
    waiting = submitted(world)
    handled = assigned(world)
    for bad in ("year=1800", "year=abc", "category=999999", "unit=x", "kind=nonsense"):
        filtered = office(world, f"{bad}&status=submitted")
        assert list(filtered.qs) == [waiting], bad
        assert filtered.form.errors, bad
    whole = office(world, "status=nonsense")
    assert set(whole.qs) == {waiting, handled} and whole.form.errors


def test_choices_are_the_committees_own_rows(world: World) -> None:
    foreign_category = ProposalCategory.objects.create(committee=world.other_committee, name="外")
    foreign_unit = HandlingUnitFactory(committee=world.other_committee)
    filterset = office(world, "")
    categories = set(filterset.form.fields["category"].queryset)
    units = set(filterset.form.fields["unit"].queryset)
    assert world.category in categories and foreign_category not in categories
    assert world.lead_unit in units and foreign_unit not in units
    # Another committee's unit as a value: refused, the list stays whole.
    assert office(world, f"unit={foreign_unit.pk}").form.errors
    board = SupervisionFilter(
        None, queryset=selectors.supervision_board(world.committee), committee=world.committee
    )
    assert foreign_unit not in set(board.form.fields["unit"].queryset)


def test_the_unit_inbox_filters_by_state_and_refuses_withdrawn(world: World) -> None:
    proposal = assigned(world)
    mine = selectors.unit_assignments(world.committee, world.lead_user)
    active = UnitInboxFilter(QueryDict("state=active"), queryset=mine, committee=world.committee)
    assert list(active.qs) == [lead_assignment(proposal)]
    replied = UnitInboxFilter(QueryDict("state=replied"), queryset=mine, committee=world.committee)
    assert list(replied.qs) == []
    withdrawn = UnitInboxFilter(
        QueryDict("state=withdrawn"), queryset=mine, committee=world.committee
    )
    assert withdrawn.form.errors and list(withdrawn.qs) == [lead_assignment(proposal)]

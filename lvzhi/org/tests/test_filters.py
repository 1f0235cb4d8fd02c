"""The organisation's list filters (org/filters.py): an allowed value
narrows the list, a bad one is ignored, choices are the committee's own."""

from __future__ import annotations

from django.http import QueryDict

from lvzhi.org import selectors
from lvzhi.org.filters import ActiveFilter, MemberFilter, UnitFilter
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.tests.factories import (
    HandlingUnitFactory,
    MemberFactory,
    SectorFactory,
    StudioFactory,
    TermFactory,
)


def members(committee: Committee, query: str) -> set[str]:
    rows = MemberFilter(
        QueryDict(query), queryset=selectors.member_list(committee), committee=committee
    ).qs
    return {m.person.name for m in rows}


def test_the_member_filter_narrows_by_an_allowed_value(
    member: Member, committee: Committee
) -> None:
    sector = SectorFactory(committee=committee)
    other = MemberFactory(
        committee=committee, term=member.term, sector=sector, person__name="孙界别"
    )
    assert members(committee, f"sector={sector.pk}") == {other.person.name}
    assert members(committee, f"status={Member.Status.RESIGNED}") == set()


def test_a_bad_member_filter_value_is_ignored(member: Member, committee: Committee) -> None:
    old = TermFactory(committee=committee, number=14, is_current=False)
    MemberFactory(committee=committee, term=old, person__name="往届")
    # A wrong term falls back to the current one; a wrong status is no filter.
    assert members(committee, "term=abc&status=nonsense") == {member.person.name}
    assert members(committee, "term=") == {member.person.name, "往届"}


def test_the_member_filter_offers_only_the_committees_sectors(
    member: Member, committee: Committee, other_committee: Committee
) -> None:
    own = SectorFactory(committee=committee, name="本会界别")
    foreign = SectorFactory(committee=other_committee, name="别会界别")
    filterset = MemberFilter(
        QueryDict(f"sector={foreign.pk}"),
        queryset=selectors.member_list(committee),
        committee=committee,
    )
    offered = [label for _value, label in filterset.form.fields["sector"].choices]
    assert own.name in offered and foreign.name not in offered
    assert "sector" in filterset.form.errors
    assert member in filterset.qs


def test_the_unit_filter_by_kind_search_and_active(committee: Committee) -> None:
    court = HandlingUnitFactory(committee=committee, name="中级法院", kind=HandlingUnit.Kind.COURT)
    old = HandlingUnitFactory(committee=committee, name="已撤并局", is_active=False)

    def names(query: str) -> set[str]:
        qs = UnitFilter(QueryDict(query), queryset=selectors.units_of(committee)).qs
        return {u.name for u in qs}

    assert names(f"kind={HandlingUnit.Kind.COURT}") == {court.name}
    assert names("q=法院&active=1") == {court.name}
    assert names("active=0") == {old.name}
    assert names("kind=bogus&active=maybe") == {court.name, old.name}


def test_the_active_filter_of_studios(committee: Committee) -> None:
    kept = StudioFactory(committee=committee, name="在用")
    StudioFactory(committee=committee, name="停用", is_active=False)
    qs = ActiveFilter(QueryDict("active=1"), queryset=selectors.studios_of(committee)).qs
    assert list(qs) == [kept]

"""Every figure equals a recount of the known rows (tests/conftest.py)."""

from __future__ import annotations

import pytest

from lvzhi.points.models import Policy, Requirement, RequirementSet
from lvzhi.proposals.models import Proposal
from lvzhi.reports.figures import SECTIONS, duties, proposals
from lvzhi.reports.figures.base import Section
from lvzhi.reports.period import year_period
from lvzhi.reports.tests.conftest import YEAR, Known

pytestmark = pytest.mark.django_db


def figures_of(section: Section) -> dict[str, object]:
    return {f.key: f.value for f in section.figures}


def table(section: Section, key: str) -> list[list[object]]:
    found = next(t for t in section.tables if t.key == key)
    return [list(r) for r in found.plain_rows()]


def test_proposal_figures_equal_a_recount(known: Known) -> None:
    section = proposals.section(known.committee, year_period(YEAR))
    assert figures_of(section) == {
        "received": 4,
        "registered": 2,
        "declined": 1,
        "replied": 2,
        "on_time_rate": 50.0,
        "satisfaction_rate": 100.0,
    }
    by_category = dict(table(section, "proposals.by_category"))
    assert by_category["教育"] == 2
    assert sum(by_category.values()) == 4  # type: ignore[arg-type]
    assert dict(table(section, "proposals.by_kind")) == {"委员个人提案": 3, "委员联名提案": 1}
    assert table(section, "proposals.answer_classes") == [["A类", 1, 50.0], ["B类", 1, 50.0]]
    assert table(section, "proposals.by_unit") == [["市教育局", 2, 2, 50.0]]
    satisfaction = table(section, "proposals.satisfaction")
    assert [row[1:] for row in satisfaction] == [[2, 0, 0], [1, 1, 0], [1, 1, 0]]
    assert table(section, "proposals.trend") == [[YEAR - 1, 1, 1], [YEAR, 4, 2]]


def test_a_quarter_counts_only_its_proposals(known: Known) -> None:
    section = proposals.section(known.committee, year_period(YEAR, 2))
    assert figures_of(section)["received"] == 2  # April and May


def test_another_committees_proposals_are_never_counted(known: Known, other_committee) -> None:  # type: ignore[no-untyped-def]
    section = proposals.section(other_committee, year_period(YEAR))
    assert figures_of(section)["received"] == 1
    assert Proposal.objects.filter(committee=known.committee).count() == 6


def test_each_figure_links_to_the_rows_it_counts(known: Known, client_for, staff_of) -> None:  # type: ignore[no-untyped-def]
    section = proposals.section(known.committee, year_period(YEAR))
    client = client_for(staff_of("proposals"))
    for figure in section.figures:
        if not figure.url:
            continue
        if figure.key == "replied":
            continue  # links to the registered ones, of which the replied are a part
        page = client.get(figure.url)
        assert page.status_code == 200
        assert page.context["page_obj"].paginator.count == figure.value, figure.key


def test_every_section_builds_on_an_empty_committee(committee) -> None:  # type: ignore[no-untyped-def]
    for spec in SECTIONS.values():
        section = spec.build(committee, year_period(YEAR))
        assert not section.has_data


def test_duty_figures_read_the_stored_scores(known: Known) -> None:
    section = duties.section(known.committee, year_period(YEAR))
    assert figures_of(section) == {"scored": 3, "average": 20.0, "competent_rate": 0.0}
    assert table(section, "duties.points") == [["0–19", 1], ["20–39", 2]]
    by_sector = table(section, "duties.by_sector")  # each member in a sector of their own
    assert sorted(row[2] for row in by_sector) == [10.0, 20.0, 30.0]  # type: ignore[type-var]


def test_each_count_comes_with_the_period_before(known: Known) -> None:
    section = proposals.section(known.committee, year_period(YEAR))
    previous = {f.key: f.previous for f in section.figures}
    assert previous["received"] == 1  # the proposal of 2025
    assert previous["registered"] == 1
    assert previous["on_time_rate"] is None  # rates are not compared


def test_the_period_before_a_quarter_is_the_quarter_before() -> None:
    assert year_period(YEAR, 1).previous() == year_period(YEAR - 1, 4)
    assert year_period(YEAR, 3).previous() == year_period(YEAR, 2)
    assert year_period(YEAR).previous() == year_period(YEAR - 1)


def test_required_duties_met_are_counted_per_requirement(known: Known) -> None:
    required = RequirementSet.objects.create(committee=known.committee, code="six", name="六个一")
    Requirement.objects.create(
        requirement_set=required, label="两件立案提案", kinds=["proposal_registered"], count=2
    )
    Requirement.objects.create(
        requirement_set=required, label="一件提案", kinds=["proposal_filed"], count=1, order=1
    )
    Policy.objects.create(
        committee=known.committee,
        year=YEAR,
        name="积分办法",
        status=Policy.Status.ACTIVE,
        requirement_set=required,
    )
    section = duties.section(known.committee, year_period(YEAR))
    assert table(section, "duties.requirements") == [
        ["两件立案提案", 1, 33.3],
        ["一件提案", 2, 66.7],
    ]


def test_no_active_policy_means_no_requirements(known: Known) -> None:
    section = duties.section(known.committee, year_period(YEAR))
    assert table(section, "duties.requirements") == []

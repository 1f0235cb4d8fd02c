"""The points lists' filters: an allowed value filters, a bad value is
ignored, and a sector of another committee is neither offered nor applied."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from lvzhi.duties.models import DutyKind as K
from lvzhi.org.tests.factories import CommitteeFactory, SectorFactory
from lvzhi.points import filters, selectors
from lvzhi.points.models import Assessment
from lvzhi.points.tests.helpers import YEAR, active_default_policy, open_assessment, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(committee, new_member):
    active_default_policy(committee)
    one, two = new_member(), new_member()
    record(one, K.RESEARCH)
    record(two, K.PLENARY_ATTENDED)
    return one, two


def _ranking(committee, query):
    return filters.RankingFilter(
        QueryDict(query), queryset=selectors.ranking(committee, YEAR), committee=committee
    )


def test_ranking_filter_by_sector_name_and_grade(committee, two):
    one, other = two
    assert [s.member for s in _ranking(committee, f"sector={one.sector_id}").qs] == [one]
    name = other.person.name
    assert [s.member for s in _ranking(committee, f"q={name}").qs] == [other]
    assert {s.member for s in _ranking(committee, "grade=not_competent").qs} == {one, other}
    assert list(_ranking(committee, "grade=excellent").qs) == []


def test_ranking_filter_ignores_bad_values_and_other_committees_sectors(committee, two):
    foreign = SectorFactory(committee=CommitteeFactory())
    for query in ("sector=abc", f"sector={foreign.pk}", "grade=nonsense"):
        ranking = _ranking(committee, query)
        assert len(ranking.qs) == 2, query
    offered = set(_ranking(committee, "").filters["sector"].queryset)
    assert foreign not in offered
    assert {m.sector for m in two} <= offered


def test_assessment_filter_and_the_pages(client, committee, two, duties_staff):
    one, other = two
    open_assessment(one)
    open_assessment(other)
    rows = selectors.assessments_of(committee, YEAR)
    assert len(filters.AssessmentFilter(QueryDict("state=open"), queryset=rows).qs) == 2
    assert len(filters.AssessmentFilter(QueryDict("state=reviewed"), queryset=rows).qs) == 0
    assert len(filters.AssessmentFilter(QueryDict("state=bad"), queryset=rows).qs) == 2
    client.force_login(duties_staff)
    response = client.get(reverse("points:assessment_list") + f"?year={YEAR}&state=open")
    assert {a.member for a in response.context["page_obj"]} == {one, other}
    assert response.context["filter"].form["state"].value() == Assessment.State.OPEN
    response = client.get(reverse("points:ranking") + f"?year={YEAR}&sector={one.sector_id}")
    assert [s.member for s in response.context["page_obj"]] == [one]

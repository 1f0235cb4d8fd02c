"""Duties by sector and by special committee: scores, grades, participation
and the members who met every requirement (六个一), each a recount of known
rows, each linked count the length of the ranking it links to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from lvzhi.accounts.models import Role
from lvzhi.duties import tally
from lvzhi.duties.models import Activity, ActivityKind, Invitation
from lvzhi.org.models import Member, SpecialCommittee
from lvzhi.org.tests.factories import MemberFactory
from lvzhi.points.models import Grade, MemberScore, Policy, Requirement, RequirementSet
from lvzhi.reports.figures import duties
from lvzhi.reports.period import year_period
from lvzhi.reports.tests.conftest import YEAR, Known, at

pytestmark = pytest.mark.django_db
ATTENDED, INVITED = Invitation.State.ATTENDED, Invitation.State.INVITED


def three(known: Known) -> list[Member]:
    """The fixture's members by score: 30 (the member), 10, 20."""
    scores = MemberScore.objects.filter(committee=known.committee, year=YEAR)
    return [s.member for s in scores.order_by("-score")[:1]] + [
        s.member for s in scores.order_by("score")[:2]
    ]


@pytest.fixture
def groups(known: Known) -> list[Member]:
    """提案委员会: the member (excellent, attended) and the second (not
    competent, invited only); 文史委员会: the member and the third
    (competent, attended). Requirements: one filed proposal (the member and
    the second met it) and two registered ones (the member only)."""
    first, second, third = three(known)
    committee = known.committee
    for member, grade in ((first, Grade.EXCELLENT), (second, Grade.NOT_COMPETENT)):
        MemberScore.objects.filter(member=member).update(grade=grade)
    MemberScore.objects.filter(member=third).update(grade=Grade.COMPETENT)
    proposals = SpecialCommittee.objects.create(committee=committee, name="提案委员会")
    history = SpecialCommittee.objects.create(committee=committee, name="文史委员会", order=1)
    first.special_committees.add(proposals, history)
    second.special_committees.add(proposals)
    third.special_committees.add(history)
    activity = Activity.objects.create(
        committee=committee,
        kind=ActivityKind.RESEARCH,
        title="调研",
        start_at=at(dt.date(YEAR, 6, 1)),
        end_at=at(dt.date(YEAR, 6, 1)),
        place="示例镇",
        session_half_days=1,
    )
    for member, state in ((first, ATTENDED), (second, INVITED), (third, ATTENDED)):
        Invitation.objects.create(
            committee=committee, activity=activity, member=member, state=state
        )
    tally.rebuild()  # the invitations were written around the services
    required = RequirementSet.objects.create(committee=committee, code="six", name="六个一")
    Requirement.objects.create(
        requirement_set=required, label="一件提案", kinds=["proposal_filed"], count=1
    )
    Requirement.objects.create(
        requirement_set=required,
        label="两件立案提案",
        kinds=["proposal_registered"],
        count=2,
        order=1,
    )
    Policy.objects.create(
        committee=committee,
        year=YEAR,
        name="积分办法",
        status=Policy.Status.ACTIVE,
        requirement_set=required,
    )
    return [first, second, third]


def rows_of(key: str, known: Known) -> list[list[Any]]:
    section = duties.section(known.committee, year_period(YEAR))
    found = next(t for t in section.tables if t.key == key)
    return [list(r) for r in found.plain_rows()]


def test_duties_by_special_committee_equal_a_recount(known: Known, groups: Any) -> None:
    # name, scored, average, excellent, competent, not competent, invited,
    # attended, attendance %, met every requirement, share %
    assert rows_of("duties.by_special_committee", known) == [
        ["提案委员会", 2, 20.0, 1, 0, 1, 2, 1, 50.0, 1, 50.0],
        ["文史委员会", 2, 25.0, 1, 1, 0, 2, 2, 100.0, 1, 50.0],
    ]


def test_duties_by_sector_equal_a_recount(known: Known, groups: Any) -> None:
    first, second, third = groups
    rows = {row[0]: row[1:] for row in rows_of("duties.by_sector", known)}
    assert rows[first.sector.name] == [1, 30.0, 1, 0, 0, 1, 1, 100.0, 1, 100.0]
    assert rows[second.sector.name] == [1, 10.0, 0, 0, 1, 1, 0, 0.0, 0, 0.0]
    assert rows[third.sector.name] == [1, 20.0, 0, 1, 0, 1, 1, 100.0, 0, 0.0]


def test_members_in_no_special_committee_are_a_row_of_their_own(known: Known, groups: Any) -> None:
    MemberScore.objects.create(
        committee=known.committee,
        member=MemberFactory(committee=known.committee, term=known.member.term),
        year=YEAR,
        score=5,
    )
    rows = rows_of("duties.by_special_committee", known)
    # The label in whatever language the test runs in (other tests may switch it).
    assert [row[:3] for row in rows][-1] == [gettext("no special committee"), 1, 5.0]


def test_each_count_of_a_group_links_to_the_ranking_of_its_members(
    known: Known, groups: Any, make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user(Role.LEADER, known.committee, username="leader"))
    section = duties.section(known.committee, year_period(YEAR))
    checked = 0
    for table in section.tables:
        if table.key not in ("duties.by_sector", "duties.by_special_committee"):
            continue
        for row in table.rows:
            for cell in row:
                if cell.url:
                    page = client.get(cell.url)
                    assert page.status_code == 200, cell.url
                    assert page.context["page_obj"].paginator.count == cell.value, cell.url
                    checked += 1
    assert checked == (2 + 3) * 4  # two committees, three sectors; scored and three grades


def test_the_groups_cost_the_same_queries_for_more_members(known: Known, groups: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            duties.by_group(
                known.committee,
                year_period(YEAR),
                duties.GROUPINGS[1],
                duties.active_requirements(known.committee, YEAR),
            )
        return len(queries)

    before = count()
    for _ in range(3):
        extra = MemberFactory(committee=known.committee, term=known.member.term)
        extra.special_committees.add(*SpecialCommittee.objects.filter(committee=known.committee))
        MemberScore.objects.create(committee=known.committee, member=extra, year=YEAR, score=1)
    assert count() == before == 3  # requirements, members (scores, met), invitations


def test_an_activity_counts_in_the_period_of_its_local_day() -> None:
    from django.utils import timezone

    from lvzhi.reports.figures.base import within_days

    bounds = within_days(year_period(YEAR), "start_at")
    late = timezone.make_aware(dt.datetime(YEAR, 12, 31, 23, 30))
    early = timezone.make_aware(dt.datetime(YEAR + 1, 1, 1, 0, 10))
    assert bounds["start_at__gte"] <= late < bounds["start_at__lt"]
    assert not early < bounds["start_at__lt"]
    assert bounds["start_at__gte"] == timezone.make_aware(dt.datetime(YEAR, 1, 1))

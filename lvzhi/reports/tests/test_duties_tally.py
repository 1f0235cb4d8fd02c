"""The duties section of a whole year reads the summary rows (duties.tally)
and gives the same numbers as counting the invitations and duty records
themselves; a quarter or a range counts the raw rows; the page's queries do
not grow with the members."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import Area, Role
from lvzhi.duties import services
from lvzhi.duties.models import ActivityKind, Invitation
from lvzhi.duties.tests.factories import make_activity, make_member
from lvzhi.org.models import Committee, SpecialCommittee
from lvzhi.points.models import Policy, Requirement, RequirementSet
from lvzhi.reports.figures import duties
from lvzhi.reports.period import Period, year_period
from lvzhi.reports.tests.conftest import YEAR, Known

pytestmark = pytest.mark.django_db
S = Invitation.State
# The tables the tally feeds (the scores' tables read MemberScore either way).
TALLIED = (
    "duties.participation",
    "duties.requirements",
    "duties.by_sector",
    "duties.by_special_committee",
)


def local(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def tables(committee: Committee, period: Period, *, tallied: bool) -> dict[str, Any]:
    section = duties.section(committee, period, tallied=tallied)
    return {
        t.key: [[(c.value, c.url) for c in row] for row in t.rows]
        for t in section.tables
        if t.key in TALLIED
    }


def requirements(committee: Committee) -> None:
    """六个一 for the year: one research trip, one plenary half-day, one study note."""
    required = RequirementSet.objects.create(committee=committee, code="six", name="六个一")
    for order, (label, kinds, count) in enumerate(
        (
            ("一次调研", ["research"], 1),
            ("一次全会", ["plenary_attended", "plenary_excused"], 1),
            ("一篇心得", ["study_note"], 1),
            ("不限", ["other"], 0),
        )
    ):
        Requirement.objects.create(
            requirement_set=required, label=label, kinds=kinds, count=count, order=order
        )
    Policy.objects.create(
        committee=committee,
        year=YEAR,
        name="积分办法",
        status=Policy.Status.ACTIVE,
        requirement_set=required,
    )


def a_year_of_duties(committee: Committee, staff: Any, members: list[Any]) -> None:
    """Activities of several kinds through the services: published, marked,
    checked in, closed, corrected, one cancelled, one on New Year's Eve late
    at night and one just after; study notes written and one deleted."""
    first, second = members[:2]
    note = None
    plenary = make_activity(
        committee,
        staff,
        kind=ActivityKind.PLENARY,
        session_half_days=2,
        start_at=local(dt.date(YEAR, 1, 12)),
    )
    research = make_activity(
        committee, staff, kind=ActivityKind.RESEARCH, start_at=local(dt.date(YEAR, 5, 6))
    )
    eve = make_activity(
        committee,
        staff,
        kind=ActivityKind.TRAINING,
        start_at=local(dt.date(YEAR, 12, 31), 23, 30),
    )
    make_activity(
        committee,
        staff,
        kind=ActivityKind.TRAINING,
        start_at=local(dt.date(YEAR + 1, 1, 1), 0, 10),
    )
    cancelled = make_activity(
        committee, staff, kind=ActivityKind.STUDY, start_at=local(dt.date(YEAR, 7, 1))
    )
    services.activity_cancel(activity=cancelled, actor=staff, reason="改期")
    for i, member in enumerate(members):
        if i % 3 != 2:
            services.invitation_mark(
                invitation=Invitation.objects.get(activity=plenary, member=member),
                actor=staff,
                outcome=S.ATTENDED,
                reason="到会",
            )
        if i % 2 == 0:
            services.invitation_mark(
                invitation=Invitation.objects.get(activity=research, member=member),
                actor=staff,
                outcome=S.ATTENDED,
                reason="到场",
            )
        if i % 4 == 1:
            note = services.study_note_save(
                member=member,
                actor=member.person.user,
                title="心得",
                text="学习体会",
                date=dt.date(YEAR, 3, 1),
            )
    if note is not None:  # the last one written, deleted again
        services.study_note_delete(note=note, actor=note.member.person.user)
    services.invitation_mark(
        invitation=Invitation.objects.get(activity=eve, member=first),
        actor=staff,
        outcome=S.ATTENDED,
        reason="到会",
    )
    for activity in (plenary, research):
        services.activity_close(activity=activity, actor=staff)
    services.invitation_correct(
        invitation=Invitation.objects.get(activity=research, member=second),
        actor=staff,
        outcome=S.ATTENDED,
        reason="补签到",
    )


@pytest.fixture
def year_of_duties(committee: Committee, make_user: Any) -> list[Any]:
    staff = make_user(Role.STAFF, committee, Area.DUTIES, username="duties-staff")
    sc = SpecialCommittee.objects.create(committee=committee, name="提案委员会")
    members = [make_member(committee) for _ in range(7)]
    for member in members[:4]:
        member.special_committees.add(sc)
    requirements(committee)
    a_year_of_duties(committee, staff, members)
    return members


def test_a_whole_year_from_the_tally_equals_the_raw_count(
    committee: Committee, year_of_duties: Any
) -> None:
    for year in (YEAR, YEAR + 1):
        tallied = tables(committee, year_period(year), tallied=True)
        assert tallied == tables(committee, year_period(year), tallied=False)
    figures = tables(committee, year_period(YEAR), tallied=True)
    kinds = {row[0][0]: [c[0] for c in row[1:]] for row in figures["duties.participation"]}
    plenary, research = ActivityKind.PLENARY.label, ActivityKind.RESEARCH.label
    # activities, invited, attended, %
    assert kinds[plenary][:3] == [1, 7, 5]
    assert kinds[research][:3] == [1, 7, 5]  # four marked, one corrected after closing
    assert kinds[ActivityKind.TRAINING.label][:3] == [1, 7, 1]  # New Year's Eve, local time
    assert kinds[ActivityKind.STUDY.label][:3] == [1, 7, 0]  # cancelled: the invitations stay
    met = [row[1][0] for row in figures["duties.requirements"]]
    assert met == [5, 5, 1, 7]


def test_the_known_fixture_reads_the_same_through_the_tally(known: Known) -> None:
    assert tables(known.committee, year_period(YEAR), tallied=True) == tables(
        known.committee, year_period(YEAR), tallied=False
    )


def test_a_quarter_or_a_range_counts_the_raw_rows(
    committee: Committee, year_of_duties: Any
) -> None:
    assert duties.tally_year(year_period(YEAR)) == YEAR
    assert duties.tally_year(Period(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))) == YEAR
    assert duties.tally_year(year_period(YEAR, 2)) is None
    assert duties.tally_year(Period(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 30))) is None
    quarter = tables(committee, year_period(YEAR, 2), tallied=True)
    kinds = {row[0][0]: row[2][0] for row in quarter["duties.participation"]}
    assert kinds == {ActivityKind.RESEARCH.label: 7}
    # A whole year asked for as a range of days is the same year.
    days = Period(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    assert tables(committee, days, tallied=True)["duties.participation"] == [
        [(c[0], c[1]) for c in row]
        for row in tables(committee, days, tallied=False)["duties.participation"]
    ]


@pytest.mark.parametrize("query", [{"year": YEAR}, {"year": YEAR, "quarter": 2}])
def test_the_duties_page_takes_at_most_15_queries_for_n_members_as_for_3n(
    committee: Committee, make_user: Any, client_for: Any, query: dict[str, Any]
) -> None:
    staff = make_user(Role.STAFF, committee, Area.DUTIES, username="duties-staff")
    requirements(committee)
    client = client_for(make_user(Role.LEADER, committee, username="leader"))
    url = reverse("reports:section", args=["duties"])
    assert client.get(url, query).status_code == 200
    counts = []
    for n in (10, 20):  # N = 10 members, then 3N = 30
        a_year_of_duties(committee, staff, [make_member(committee) for _ in range(n)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        counts.append(sum(1 for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))))
    assert counts[0] == counts[1] <= 15, counts


def test_a_members_profile_reads_the_same_through_the_tally(
    committee: Committee, year_of_duties: Any
) -> None:
    from lvzhi.reports.profile import profile

    def shown(member: Any, tallied: bool) -> Any:
        section = profile(member, YEAR, tallied=tallied)
        return (
            [(f.key, f.value) for f in section.figures],
            [[(c.value, c.url) for c in row] for t in section.tables for row in t.rows],
        )

    for member in year_of_duties[:3]:
        assert shown(member, True) == shown(member, False)
    assert shown(year_of_duties[0], True)[0][0] == ("duties", 2)  # plenary and research

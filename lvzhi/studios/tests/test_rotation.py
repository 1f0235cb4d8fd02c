"""The sector rotation planner's fairness rules, odd cases included."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.models import Holiday
from lvzhi.org.models import Committee
from lvzhi.org.tests.factories import SectorClusterFactory, SectorFactory
from lvzhi.studios import rotation, services
from lvzhi.studios.models import BlockedWeek, DutyWeek, RotationPlan, RoundTableLead


def weeks(n: int) -> list[date]:
    return [date(2030, 1, 7) + timedelta(weeks=i) for i in range(n)]


def test_every_sector_gets_a_week_before_any_gets_a_second_and_counts_differ_by_one() -> None:
    sectors = list("ABCDEFG")
    pairs = rotation.assign_duty_weeks(sectors, weeks(20))
    assert len(pairs) == 20
    order = [s for s, _ in pairs]
    assert sorted(order[:7]) == sectors  # the first round is everyone once
    counts = Counter(order)
    assert set(counts) == set(sectors)
    assert max(counts.values()) - min(counts.values()) <= 1
    # Even spread: a sector's turns are exactly len(sectors) weeks apart.
    for sector in sectors:
        turns = [i for i, s in enumerate(order) if s == sector]
        assert all(b - a == 7 for a, b in itertools.pairwise(turns))


def test_more_sectors_than_weeks_gives_each_sector_exactly_one_week_spread_evenly() -> None:
    sectors = [f"S{i}" for i in range(18)]
    free = weeks(5)
    pairs = rotation.assign_duty_weeks(sectors, free)
    assert Counter(s for s, _ in pairs) == dict.fromkeys(sectors, 1)
    per_week = Counter(w for _, w in pairs)
    assert set(per_week) == set(free)
    assert max(per_week.values()) - min(per_week.values()) <= 1


def test_no_sector_or_no_week_gives_nothing() -> None:
    assert rotation.assign_duty_weeks([], weeks(3)) == []
    assert rotation.assign_duty_weeks(["A"], []) == []


def test_round_table_leads_go_round_and_continue_after_last_year() -> None:
    assert rotation.assign_leads(["A", "B", "C"], 4) == [(1, "A"), (2, "B"), (3, "C"), (4, "A")]
    assert rotation.rotate_after(["A", "B", "C"], "A") == ["B", "C", "A"]
    assert rotation.rotate_after(["A", "B", "C"], "Z") == ["A", "B", "C"]


def test_a_week_with_fewer_than_three_working_days_is_a_holiday_week(db: None) -> None:
    Holiday.objects.filter(date__year=2030).delete()
    monday = date(2030, 2, 4)
    for offset in range(3):  # Mon–Wed off: two working days left
        Holiday.objects.create(
            date=monday + timedelta(days=offset), kind=Holiday.Kind.HOLIDAY, name="春节"
        )
    half = date(2030, 3, 4)
    for offset in range(2):  # Mon–Tue off: three working days left, not a holiday week
        Holiday.objects.create(
            date=half + timedelta(days=offset), kind=Holiday.Kind.HOLIDAY, name="测试"
        )
    found = rotation.holiday_weeks(2030)
    assert monday in found and half not in found


def test_make_up_working_days_count(db: None) -> None:
    monday = date(2030, 10, 7)
    for offset in range(4):
        Holiday.objects.create(
            date=monday + timedelta(days=offset), kind=Holiday.Kind.HOLIDAY, name="国庆"
        )
    # Friday works, and Saturday and Sunday are make-up working days: three.
    for offset in (5, 6):
        Holiday.objects.create(
            date=monday + timedelta(days=offset), kind=Holiday.Kind.WORKDAY, name="调休"
        )
    assert monday not in rotation.holiday_weeks(2030)


@pytest.fixture
def sectors(committee: Committee) -> list[Any]:
    first = SectorClusterFactory(committee=committee, name="第一联组", order=1)
    second = SectorClusterFactory(committee=committee, name="第二联组", order=2)
    return [
        SectorFactory(committee=committee, name=name, order=i, cluster=first if i < 3 else second)
        for i, name in enumerate(["中共", "民革", "民盟", "经济界", "教育界"])
    ]


def test_the_plan_skips_blocked_and_holiday_weeks_and_covers_every_sector(
    committee: Committee, sectors: list[Any], staff_user: Any
) -> None:
    Holiday.objects.filter(date__year=2030).delete()
    spring = date(2030, 2, 4)
    for offset in range(5):
        Holiday.objects.create(
            date=spring + timedelta(days=offset), kind=Holiday.Kind.HOLIDAY, name="春节"
        )
    plan = services.rotation_plan_create(committee=committee, year=2030, rounds=4, actor=staff_user)
    services.blocked_week_add(
        plan=plan, week_start=date(2030, 3, 6), reason="全体会议", actor=staff_user
    )
    with pytest.raises(Conflict):
        services.blocked_week_add(
            plan=plan, week_start=date(2030, 3, 4), reason="again", actor=staff_user
        )
    with pytest.raises(ValidationFailed):
        services.blocked_week_add(
            plan=plan, week_start=date(2031, 3, 4), reason="x", actor=staff_user
        )
    services.rotation_generate(plan=plan, actor=staff_user)
    planned = list(DutyWeek.objects.filter(plan=plan).order_by("week_start"))
    used = {w.week_start for w in planned}
    assert date(2030, 3, 4) not in used  # blocked (Monday of the 6th)
    assert spring not in used  # holiday week
    assert len(used) == len(rotation.weeks_of_year(2030)) - 2
    counts = Counter(w.sector_id for w in planned)
    assert set(counts) == {s.pk for s in sectors}
    assert max(counts.values()) - min(counts.values()) <= 1
    assert [w.sector for w in planned[:5]] == sectors
    leads = RoundTableLead.objects.filter(plan=plan)
    assert leads.count() == 8  # two clusters × four round tables
    assert [lead.sector.name for lead in leads if lead.cluster.name == "第二联组"] == [
        "经济界",
        "教育界",
        "经济界",
        "教育界",
    ]


def test_next_year_continues_the_round_robin(
    committee: Committee, sectors: list[Any], staff_user: Any
) -> None:
    first = services.rotation_plan_create(
        committee=committee, year=2030, rounds=3, actor=staff_user
    )
    services.rotation_generate(plan=first, actor=staff_user)
    last = DutyWeek.objects.filter(plan=first).order_by("-week_start").first()
    assert last is not None
    second = services.rotation_plan_create(
        committee=committee, year=2031, rounds=3, actor=staff_user
    )
    services.rotation_generate(plan=second, actor=staff_user)
    opening = DutyWeek.objects.filter(plan=second).order_by("week_start").first()
    assert opening is not None
    assert opening.sector == rotation.rotate_after(sectors, last.sector)[0]
    last_lead = RoundTableLead.objects.filter(plan=first, cluster=sectors[0].cluster).last()
    first_lead = RoundTableLead.objects.filter(plan=second, cluster=sectors[0].cluster).first()
    assert last_lead is not None and first_lead is not None
    assert first_lead.sector == rotation.rotate_after(sectors[:3], last_lead.sector)[0]


def test_every_week_blocked_is_refused_clearly(
    committee: Committee, sectors: list[Any], staff_user: Any
) -> None:
    plan = services.rotation_plan_create(committee=committee, year=2030, rounds=1, actor=staff_user)
    BlockedWeek.objects.bulk_create(
        BlockedWeek(committee=committee, plan=plan, week_start=w, reason="x")
        for w in rotation.weeks_of_year(2030)
    )
    with pytest.raises(ValidationFailed):
        services.rotation_generate(plan=plan, actor=staff_user)


def test_hand_edits_change_a_week_and_a_lead(
    committee: Committee, sectors: list[Any], staff_user: Any
) -> None:
    plan = services.rotation_plan_create(committee=committee, year=2030, rounds=2, actor=staff_user)
    services.rotation_generate(plan=plan, actor=staff_user)
    row = DutyWeek.objects.filter(plan=plan).order_by("week_start").first()
    assert row is not None
    services.duty_week_update(
        duty_week=row, sector=sectors[4], week_start=date(2030, 12, 31), actor=staff_user
    )
    row.refresh_from_db()
    assert row.edited and row.sector == sectors[4] and row.week_start == date(2030, 12, 30)
    lead = RoundTableLead.objects.filter(plan=plan, cluster=sectors[0].cluster).first()
    assert lead is not None
    with pytest.raises(ValidationFailed):
        services.round_table_lead_update(lead=lead, sector=sectors[4], actor=staff_user)
    services.round_table_lead_update(lead=lead, sector=sectors[2], actor=staff_user)
    assert RoundTableLead.objects.get(pk=lead.pk).sector == sectors[2]
    with pytest.raises(Conflict):
        services.rotation_plan_create(committee=committee, year=2030, rounds=2, actor=staff_user)
    assert RotationPlan.objects.count() == 1

"""The sector rotation planner (界别周轮值、联组轮流牵头), as pure functions.

Fairness rules (docs/studios.md):

* Every sector gets at least one duty week a year (每个界别每年不少于1周).
* Round robin: no sector has a second week before every sector had its
  first, so turns are spread evenly (a sector's weeks are ``len(sectors)``
  weeks apart) and counts differ by at most one.
* The round robin continues from last year's plan: the sector after the one
  that had the last week of last year starts, so over the years the extra
  weeks go round too.
* Weeks staff blocked and holiday weeks are skipped. A holiday week is a
  week (Monday to Sunday) with fewer than ``MIN_WORKING_DAYS`` working days
  in the holiday table (the Spring Festival and National Day golden weeks).
* More sectors than free weeks: each sector still gets exactly one week and
  the sectors are spread evenly (a week holds at most one more sector than
  any other week).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

from lvzhi.core.models import Holiday

T = TypeVar("T")

# A week with fewer working days than this is a holiday week (no duty).
MIN_WORKING_DAYS = 3


def weeks_of_year(year: int) -> list[date]:
    """The Mondays of ``year`` (a week belongs to the year its Monday is in)."""
    day = date(year, 1, 1)
    day += timedelta(days=(7 - day.weekday()) % 7)
    weeks = []
    while day.year == year:
        weeks.append(day)
        day += timedelta(days=7)
    return weeks


def holiday_weeks(year: int) -> set[date]:
    """Mondays of the weeks with fewer than MIN_WORKING_DAYS working days
    (public holidays off, make-up working days on, from core.Holiday)."""
    weeks = weeks_of_year(year)
    overrides = dict(
        Holiday.objects.filter(date__range=(weeks[0], weeks[-1] + timedelta(days=6))).values_list(
            "date", "kind"
        )
    )
    found = set()
    for monday in weeks:
        working = 0
        for offset in range(7):
            day = monday + timedelta(days=offset)
            kind = overrides.get(day)
            if kind == Holiday.Kind.HOLIDAY:
                continue
            if kind == Holiday.Kind.WORKDAY or day.weekday() < 5:
                working += 1
        if working < MIN_WORKING_DAYS:
            found.add(monday)
    return found


def rotate_after(items: Sequence[T], last: T | None) -> list[T]:
    """``items`` starting with the one after ``last`` (unchanged if ``last`` is not there)."""
    items = list(items)
    if last in items:
        start = items.index(last) + 1
        return items[start:] + items[:start]
    return items


def assign_duty_weeks(sectors: Sequence[T], weeks: Sequence[date]) -> list[tuple[T, date]]:
    """(sector, week) pairs: round robin over the free weeks, or, with more
    sectors than weeks, every sector once with the sectors spread evenly."""
    sectors, weeks = list(sectors), sorted(weeks)
    if not sectors or not weeks:
        return []
    if len(sectors) <= len(weeks):
        return [(sectors[i % len(sectors)], week) for i, week in enumerate(weeks)]
    return [(sector, weeks[i * len(weeks) // len(sectors)]) for i, sector in enumerate(sectors)]


def assign_leads(sectors: Sequence[T], rounds: int) -> list[tuple[int, T]]:
    """(round number, lead sector) for a cluster: the lead goes round in order."""
    sectors = list(sectors)
    if not sectors:
        return []
    return [(n + 1, sectors[n % len(sectors)]) for n in range(rounds)]

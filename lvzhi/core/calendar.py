"""Working days (工作日) with the holiday table staff maintain, and the
deadline colours every queue shows (DESIGN §5, Deadlines)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from django.utils import timezone

from lvzhi.core.models import Holiday

# Enough to cover the longest deadline we count (6 months ≈ 130 working days)
# plus long holidays; read once per call instead of once per day.
_LOOKAHEAD_DAYS = 400


def _overrides(start: date, end: date) -> dict[date, str]:
    rows = Holiday.objects.filter(date__range=(start, end)).values_list("date", "kind")
    return dict(rows)


def _is_working(day: date, overrides: dict[date, str]) -> bool:
    kind = overrides.get(day)
    if kind == Holiday.Kind.HOLIDAY:
        return False
    if kind == Holiday.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day: date) -> bool:
    return _is_working(day, _overrides(day, day))


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    window_end = start + timedelta(days=max(_LOOKAHEAD_DAYS, days * 3))
    overrides = _overrides(start, window_end)
    current, remaining = start, days
    while remaining:
        current += timedelta(days=1)
        if _is_working(current, overrides):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = _overrides(start, end)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if _is_working(start + timedelta(days=offset), overrides)
    )


class DeadlineState(StrEnum):
    NORMAL = "normal"
    BLUE = "blue"  # 30 days or fewer left
    YELLOW = "yellow"  # 7 days or fewer left
    RED = "red"  # overdue


def deadline_state(deadline: date, today: date | None = None) -> DeadlineState:
    today = today or timezone.localdate()
    left = (deadline - today).days
    if left < 0:
        return DeadlineState.RED
    if left <= 7:
        return DeadlineState.YELLOW
    if left <= 30:
        return DeadlineState.BLUE
    return DeadlineState.NORMAL

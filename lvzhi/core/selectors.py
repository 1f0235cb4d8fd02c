"""Reads of the shared kernel. The holiday table is global: one State Council
schedule holds for every committee, so it is not committee-scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from lvzhi.core.models import Holiday, Notification

# Years a user may ask for; anything else falls back to the current year.
MIN_YEAR, MAX_YEAR = 2000, 2100


def holidays_in_year(year: int) -> QuerySet[Holiday]:
    """The year's days; ``is_workday`` lets the page tell the kinds apart."""
    workday = ExpressionWrapper(Q(kind=Holiday.Kind.WORKDAY), output_field=BooleanField())
    return Holiday.objects.filter(date__year=year).annotate(is_workday=workday).order_by("date")


def holiday_years() -> list[int]:
    """Years that have rows, plus this year and next (one query)."""
    today = timezone.localdate()
    years = set(
        Holiday.objects.annotate(year=ExtractYear("date"))
        .values_list("year", flat=True)
        .distinct()
        .order_by()
    )
    years |= {today.year, today.year + 1}
    return sorted(years)


def parse_year(value: str | None) -> int:
    """The year asked for in a query string, or the current year when absent or wrong."""
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        return timezone.localdate().year
    return year


def notifications_of(user: Any) -> QuerySet[Notification]:
    """A user's own in-app notifications, across committees, newest first
    (the id breaks ties, so pages never overlap): the inbox page and the API."""
    return (
        Notification.objects.filter(recipient_id=user.pk)
        .select_related("committee")
        .order_by("-created_at", "-id")
    )

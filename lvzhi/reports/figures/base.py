"""The shapes every section's figures take: a headline ``Figure`` and a
``Table`` of rows that a chart draws too. Each value carries the URL of the
filtered list of the rows behind it (DESIGN principle 7)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise

from lvzhi.org.home import count_together
from lvzhi.org.models import Committee
from lvzhi.reports.period import Period

Label = str | Promise


@dataclass(frozen=True)
class Cell:
    value: Any
    url: str = ""


@dataclass(frozen=True)
class Figure:
    key: str
    label: Label
    value: int | float | None
    url: str = ""
    percent: bool = False
    previous: int | float | None = None


@dataclass
class Table:
    """Rows of one breakdown; the first column labels them, ``series`` names
    the numeric columns the chart draws (``chart``: bar, pie, line or none)."""

    key: str
    title: Label
    headers: Sequence[Label]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: str = "bar"
    series: Sequence[int] = (1,)

    def chart_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.chart,
            "title": str(self.title),
            "labels": [str(row[0].value) for row in self.rows],
            "series": [
                {"name": str(self.headers[i]), "data": [row[i].value for row in self.rows]}
                for i in self.series
            ],
        }

    def plain_rows(self) -> Iterable[list[Any]]:
        """The values, labels as text (a lazy label is not a value a workbook takes)."""
        for row in self.rows:
            yield [str(c.value) if isinstance(c.value, Promise) else c.value for c in row]


@dataclass
class Section:
    key: str
    title: Label
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        if not self.figures:  # a table of zeros (the roll-up's committees) is no data
            return any(c.value for t in self.tables for row in t.rows for c in row[1:])
        return any(f.value for f in self.figures if not f.percent)


# One table of a section built by itself, for an export that asks for it alone.
TableBuilder = Callable[[Committee, Period], Table]


def rows_url(url_name: str, period: Period | None = None, **params: Any) -> str:
    """The list page ``url_name`` filtered to ``params`` (and the period's days);
    empty when the list is not installed."""
    try:
        base = reverse(url_name)
    except NoReverseMatch:
        return ""
    query = {**(period.query() if period else {}), **{k: v for k, v in params.items() if v != ""}}
    return f"{base}?{urlencode(query)}" if query else base


def within(period: Period, field: str) -> dict[str, Any]:
    """The lookups keeping the rows whose ``field`` (a date) falls in the period."""
    return {f"{field}__gte": period.since, f"{field}__lte": period.until}


def within_days(period: Period, field: str) -> dict[str, Any]:
    """The lookups keeping the rows whose ``field`` (a moment) falls on a day
    of the period, in the committee's time zone: a range of moments an index
    on ``field`` serves (``field__date`` casts every row first)."""
    first = datetime.combine(period.since, time.min)
    after = datetime.combine(period.until + timedelta(days=1), time.min)
    return {
        f"{field}__gte": timezone.make_aware(first),
        f"{field}__lt": timezone.make_aware(after),
    }


def pct(part: int | None, whole: int | None) -> float | None:
    """A share in percent to one decimal; None when there is nothing to share."""
    return round(100 * (part or 0) / whole, 1) if whole else None


def counted(committee: Committee, querysets: dict[str, QuerySet[Any]]) -> dict[str, int]:
    """Count each queryset (its distinct rows) in one SQL statement: a
    section's headline figures cost one query, however many they are."""
    return dict(zip(querysets, count_together(committee, list(querysets.values())), strict=True))


# A section's counts: name -> the queryset whose rows it counts.
Counts = Callable[[Committee, Period], dict[str, QuerySet[Any]]]
# The counts of a period and of the one before it.
Counted = tuple[dict[str, int], dict[str, int]]


def counted_with_previous(committee: Committee, period: Period, querysets: Counts) -> Counted:
    """The counts of the period and of the one before it (``Period.previous``),
    all in the same single query."""
    return counted_sections(committee, period, {"": querysets})[""]


def counted_sections(
    committee: Committee, period: Period, sections: Mapping[str, Counts]
) -> dict[str, Counted]:
    """``counted_with_previous`` of several sections (key -> their counts) in
    one query for all of them."""
    flat: dict[str, QuerySet[Any]] = {}
    names: dict[str, list[str]] = {}
    for key, querysets in sections.items():
        now = querysets(committee, period)
        names[key] = list(now)
        flat.update({f"{key}|{k}": qs for k, qs in now.items()})
        before = querysets(committee, period.previous())
        flat.update({f"{key}|before:{k}": qs for k, qs in before.items()})
    n = counted(committee, flat)
    return {
        key: ({k: n[f"{key}|{k}"] for k in ks}, {k: n[f"{key}|before:{k}"] for k in ks})
        for key, ks in names.items()
    }


def with_previous(figures: list[Figure], before: dict[str, int]) -> list[Figure]:
    """The counting figures with the same count of the period before."""
    return [
        f if f.percent or f.key not in before else replace(f, previous=before[f.key])
        for f in figures
    ]

"""The period a report covers, read from the query string: a year (``?year=``),
a quarter of it (``&quarter=``), or a range of dates (``?since=&until=``).

Bad input is a ``PeriodError`` with a Chinese message the page shows instead
of the figures; nothing is guessed from a malformed value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from lvzhi.core.web import FIRST_YEAR, LAST_YEAR, this_year

QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
QUARTER_LAST_DAY = {3: 31, 6: 30, 9: 30, 12: 31}


class PeriodError(ValueError):
    """A period the query string asks for that cannot be read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    since: date
    until: date
    year: int | None = None
    quarter: int | None = None

    @property
    def label(self) -> str:
        if self.year is not None and self.quarter is not None:
            return _("%(year)s, quarter %(quarter)s") % {"year": self.year, "quarter": self.quarter}
        if self.year is not None:
            return _("%(year)s") % {"year": self.year}
        return f"{self.since.isoformat()} – {self.until.isoformat()}"

    def query(self) -> dict[str, str]:
        """The period as the lists' ``since``/``until`` filters take it."""
        return {"since": self.since.isoformat(), "until": self.until.isoformat()}

    def own_query(self) -> dict[str, str]:
        """The period as this page was asked for it (for the picker and exports)."""
        if self.year is not None:
            query = {"year": str(self.year)}
            if self.quarter is not None:
                query["quarter"] = str(self.quarter)
            return query
        return self.query()

    def previous(self) -> Period:
        """The period to compare with: the year before, the quarter before, or
        the same days a year earlier."""
        if self.year is not None and self.quarter is not None:
            if self.quarter == 1:
                return year_period(self.year - 1, 4)
            return year_period(self.year, self.quarter - 1)
        if self.year is not None:
            return year_period(self.year - 1)
        return Period(_year_earlier(self.since), _year_earlier(self.until))


def _year_earlier(day: date) -> date:
    # 29 February has no match a year earlier: the 28th stands for it.
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def year_period(year: int, quarter: int | None = None) -> Period:
    if quarter is None:
        return Period(date(year, 1, 1), date(year, 12, 31), year=year)
    first, last = QUARTER_MONTHS[quarter]
    return Period(
        date(year, first, 1), date(year, last, QUARTER_LAST_DAY[last]), year=year, quarter=quarter
    )


def _whole_number(value: str, message: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise PeriodError(message)
    return int(text)


def _day(value: str, message: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(message) from None


def period_from(params: Any, *, default_year: int | None = None) -> Period:
    """The period of ``params`` (a QueryDict); this year when none is asked for."""
    since, until = params.get("since", ""), params.get("until", "")
    if since or until:
        if not (since and until):
            raise PeriodError(_("Give both the first and the last day of the period."))
        first = _day(since, _("The first day is not a date (write it as 2026-01-31)."))
        last = _day(until, _("The last day is not a date (write it as 2026-12-31)."))
        if first > last:
            raise PeriodError(_("The first day of the period is after its last day."))
        if first.year < FIRST_YEAR or last.year > LAST_YEAR:
            raise PeriodError(
                _("Choose a period between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return Period(first, last)
    year_text = params.get("year", "")
    year = (
        _whole_number(year_text, _("The year must be a number such as 2026."))
        if year_text
        else (default_year or this_year())
    )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("Choose a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    quarter_text = params.get("quarter", "")
    quarter = None
    if quarter_text:
        quarter = _whole_number(quarter_text, _("The quarter must be 1, 2, 3 or 4."))
        if quarter not in QUARTER_MONTHS:
            raise PeriodError(_("The quarter must be 1, 2, 3 or 4."))
    return year_period(year, quarter)

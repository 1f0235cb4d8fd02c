from datetime import date

import pytest
from django.http import QueryDict

from lvzhi.reports.period import PeriodError, period_from


def read(query: str):  # type: ignore[no-untyped-def]
    return period_from(QueryDict(query), default_year=2026)


def test_no_parameters_mean_the_whole_of_this_year() -> None:
    period = read("")
    assert (period.since, period.until, period.year) == (date(2026, 1, 1), date(2026, 12, 31), 2026)


def test_a_quarter_covers_its_three_months() -> None:
    period = read("year=2025&quarter=2")
    assert (period.since, period.until) == (date(2025, 4, 1), date(2025, 6, 30))
    assert period.own_query() == {"year": "2025", "quarter": "2"}


def test_a_range_of_days_is_taken_as_given() -> None:
    period = read("since=2026-03-01&until=2026-05-31")
    assert (period.since, period.until, period.year) == (date(2026, 3, 1), date(2026, 5, 31), None)
    assert period.query() == {"since": "2026-03-01", "until": "2026-05-31"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "数字"),
        ("year=1800", "2000"),
        ("year=2026&quarter=5", "1、2、3或4"),
        ("year=2026&quarter=x", "1、2、3或4"),
        ("since=2026-05-01&until=2026-04-01", "晚于截止日期"),
        ("since=2026-05-01", "同时填写"),
        ("since=yesterday&until=2026-04-01", "格式不正确"),
    ],
)
def test_a_bad_period_is_refused_with_a_message_saying_why(query: str, message: str) -> None:
    with pytest.raises(PeriodError) as refused:
        read(query)
    assert message in refused.value.message


def test_a_range_is_compared_with_the_same_days_a_year_earlier() -> None:
    before = read("since=2024-02-29&until=2024-03-31").previous()
    assert (before.since, before.until) == (date(2023, 2, 28), date(2023, 3, 31))

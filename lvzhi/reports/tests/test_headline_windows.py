"""The proposals' headline counts both periods in one pass each: a range of
days and the same days a year earlier, neither touching the other."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict

from lvzhi.reports.figures import proposals
from lvzhi.reports.period import period_from
from lvzhi.reports.tests.conftest import YEAR, Known

pytestmark = pytest.mark.django_db


def test_a_range_and_the_same_days_a_year_earlier(known: Known) -> None:
    period = period_from(QueryDict(f"since={YEAR}-02-01&until={YEAR}-05-31"))
    now, before = proposals.counts(known.committee, period)
    # 2 April (registered, evaluated, replied late) and 3 May (declined);
    # a year earlier, 1 March 2025 (closed, registered).
    assert (now["received"], now["registered"], now["declined"]) == (2, 1, 1)
    assert (now["replied"], now["on_time"], now["evaluated"]) == (1, 0, 1)
    assert (before["received"], before["registered"], before["declined"]) == (1, 1, 0)
    assert before["replied"] == before["evaluated"] == 0
    assert period.previous().since == dt.date(YEAR - 1, 2, 1)

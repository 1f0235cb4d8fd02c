from datetime import date

import pytest

from lvzhi.core.calendar import (
    DeadlineState,
    add_working_days,
    deadline_state,
    working_days_between,
)
from lvzhi.core.models import Holiday


@pytest.mark.django_db
def test_add_working_days_skips_weekends_and_holidays_and_counts_make_up_days():
    Holiday.objects.all().delete()
    Holiday.objects.create(date=date(2026, 10, 1), kind="holiday", name="国庆节")
    Holiday.objects.create(date=date(2026, 10, 2), kind="holiday", name="国庆节")
    Holiday.objects.create(date=date(2026, 10, 10), kind="workday", name="国庆节调休")
    # Wed 30 Sep + 1 working day: Thu 1 and Fri 2 are holidays, Sat 3/Sun 4 weekend.
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 5)
    # Fri 9 Oct + 1: Saturday 10 Oct is a make-up working day.
    assert add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 5)) == 1


def test_deadline_state_colours():
    today = date(2026, 3, 1)
    assert deadline_state(date(2026, 2, 28), today) is DeadlineState.RED
    assert deadline_state(date(2026, 3, 8), today) is DeadlineState.YELLOW
    assert deadline_state(date(2026, 3, 31), today) is DeadlineState.BLUE
    assert deadline_state(date(2026, 4, 1), today) is DeadlineState.NORMAL

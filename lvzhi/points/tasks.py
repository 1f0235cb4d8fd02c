"""Periodic jobs of the points app (found by huey's Django integration)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lvzhi.core.context import acting_as
from lvzhi.org.models import Committee
from lvzhi.points import services
from lvzhi.points.models import Bulletin, Policy


def previous_quarter(today: dt.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def bulletins_generate(today: dt.date | None = None) -> int:
    """Draft the bulletin of the quarter just ended for every committee with an
    active policy that year; a bulletin already there is left for review."""
    year, quarter = previous_quarter(today or timezone.localdate())
    made = 0
    committee_ids = Policy.objects.filter(year=year, status=Policy.Status.ACTIVE).values(
        "committee_id"
    )
    for committee in Committee.objects.filter(pk__in=committee_ids, is_active=True):
        if Bulletin.objects.filter(committee=committee, year=year, quarter=quarter).exists():
            continue
        services.bulletin_generate(committee=committee, year=year, quarter=quarter, actor=None)
        made += 1
    return made


@db_periodic_task(crontab(minute="30", hour="6", day="1", month="1,4,7,10"))
def generate_quarterly_bulletins() -> int:
    """On the first day of each quarter: draft the previous quarter's bulletins."""
    with acting_as(channel="job:points_bulletins"):
        return bulletins_generate()

"""What the sector rotation holds for one sector and year, for the convener's
sector page (lvzhi.points.sector_work): its duty weeks at the sector service
centre and the round tables of its cluster it leads — two queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.points.sector_work import WorkItem
from lvzhi.studios.models import DutyWeek, RoundTableLead


def rotation_of_sector(sector: Any, year: int) -> list[WorkItem]:
    weeks = DutyWeek.objects.filter(
        committee_id=sector.committee_id, sector=sector, plan__year=year
    ).order_by("week_start")
    leads = (
        RoundTableLead.objects.filter(
            committee_id=sector.committee_id, sector=sector, plan__year=year
        )
        .select_related("cluster")
        .order_by("number", "id")
    )
    items = [
        WorkItem(
            gettext_lazy("Sector duty week"),
            _("%(start)s to %(end)s")
            % {
                "start": date_format(week.week_start, "SHORT_DATE_FORMAT"),
                "end": date_format(week.week_start + dt.timedelta(days=6), "SHORT_DATE_FORMAT"),
            },
        )
        for week in weeks
    ]
    items += [
        WorkItem(
            gettext_lazy("Leads a round table"),
            _("Round table %(number)s of %(cluster)s")
            % {"number": lead.number, "cluster": lead.cluster.name},
        )
        for lead in leads
    ]
    return items

"""The reports endpoint of the JSON API (mounted by lvzhi.api at ``/reports``):
the dashboard's headline figures the caller may see, built by the same
section specs and named permissions as the dashboard page."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import FIRST_YEAR, LAST_YEAR, committee_for, this_year
from lvzhi.reports.figures import SECTIONS
from lvzhi.reports.period import PeriodError, period_from

router = Router(tags=["reports"])


class YearIn(Schema):
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)


class FigureOut(Schema):
    key: str
    label: str
    value: float | None
    percent: bool
    link: str


class SectionOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]


class DashboardOut(Schema):
    year: int
    sections: list[SectionOut]


@router.get("/dashboard", response=DashboardOut, summary="The dashboard figures I may see")
def reports_dashboard(request: HttpRequest, query: Query[YearIn]) -> dict[str, object]:
    committee = committee_for(request, "reports.view_dashboard")
    year = query.year or this_year()
    try:
        period = period_from({"year": str(year)})
    except PeriodError as error:
        raise ValidationFailed(error.message) from error
    sections = [
        spec.build(committee, period, detail=False)
        for spec in SECTIONS.values()
        if has_perm(request.user, f"reports.view_{spec.key}", committee)
    ]
    return {
        "year": year,
        "sections": [
            {
                "key": s.key,
                "title": str(s.title),
                "figures": [
                    {
                        "key": f.key,
                        "label": str(f.label),
                        "value": f.value,
                        "percent": f.percent,
                        "link": f.url,
                    }
                    for f in s.figures
                ],
            }
            for s in sections
        ],
    }

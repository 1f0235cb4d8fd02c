"""Studios (委员工作室): the year's star ratings and the activities of the period."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lvzhi.org.models import Committee
from lvzhi.reports.figures.base import Cell, Figure, Section, Table, rows_url, within
from lvzhi.reports.period import Period
from lvzhi.studios.models import Activity, StarRating

RATINGS = "studios:rating_list"


def section(committee: Committee, period: Period, *, detail: bool = True) -> Section:
    stars = (
        []
        if not detail
        else StarRating.objects.filter(committee=committee, year=period.until.year)
        .annotate(shown=Coalesce("adjusted_stars", "computed_stars"))
        .values("shown")
        .annotate(n=Count("id"))
        .order_by("-shown")
    )
    activities = list(
        Activity.objects.filter(committee=committee, **within(period, "date"))
        .values("kind")
        .annotate(n=Count("id"), served=Sum("people_served"))
        .order_by("-n")
    )
    kinds = dict(Activity.Kind.choices)
    figures = [
        Figure("activities", _("Studio activities"), sum(r["n"] for r in activities)),
        Figure("served", _("People served"), sum(r["served"] or 0 for r in activities)),
    ]
    tables = [
        Table(
            "studios.activities",
            _("Studio activities by kind"),
            [_("Kind"), _("Activities"), _("People served")],
            [
                [Cell(kinds.get(r["kind"], r["kind"])), Cell(r["n"]), Cell(r["served"] or 0)]
                for r in activities
            ],
        ),
    ]
    if detail:
        tables.append(
            Table(
                "studios.stars",
                _("Studios by star rating"),
                [_("Stars"), _("Studios")],
                [
                    [
                        Cell(_("%(n)s stars") % {"n": r["shown"]}),
                        Cell(r["n"], rows_url(RATINGS, year=period.until.year)),
                    ]
                    for r in stars
                ],
            )
        )
    return Section("studios", _("Studios"), figures, tables)

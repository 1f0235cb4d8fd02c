"""Public-opinion reports (社情民意): submitted and used in the period, and what
came of the items: adoptions and leaders' instructions by level."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.opinions.models import Adoption, Instruction, Level, Report, ReportStatus
from lvzhi.org.models import Committee
from lvzhi.reports.figures.base import (
    Cell,
    Counted,
    Figure,
    Section,
    Table,
    counted_with_previous,
    rows_url,
    with_previous,
    within,
)
from lvzhi.reports.period import Period

QUEUE = "opinions:queue"
ITEMS = "opinions:item_list"


def submitted(committee: Committee, period: Period) -> QuerySet[Report]:
    return Report.objects.filter(
        committee=committee,
        **within(period, "submitted_at__date"),
    ).exclude(status=ReportStatus.DRAFT)


def _outcomes(
    model: type[Adoption] | type[Instruction], committee: Committee, period: Period
) -> QuerySet[Any]:
    """Adoptions or instructions dated in the period, not withdrawn."""
    return model.objects.filter(
        committee=committee,
        **within(period, "date"),
        withdrawn_at__isnull=True,
    )


def counts(committee: Committee, period: Period) -> dict[str, QuerySet[Any]]:
    reports = submitted(committee, period)
    adoptions = _outcomes(Adoption, committee, period)
    instructions = _outcomes(Instruction, committee, period)
    return {
        "submitted": reports,
        "used": reports.filter(status=ReportStatus.USED),
        **{f"adopted_{level}": adoptions.filter(level=level) for level in Level.values},
        **{f"instructed_{level}": instructions.filter(level=level) for level in Level.values},
    }


def section(
    committee: Committee, period: Period, *, detail: bool = True, counted: Counted | None = None
) -> Section:
    n, before = counted or counted_with_previous(committee, period, counts)
    adopted = {level: n[f"adopted_{level}"] for level in Level.values}
    instructed = {level: n[f"instructed_{level}"] for level in Level.values}
    figures = [
        Figure("submitted", _("Reports submitted"), n["submitted"], rows_url(QUEUE, period)),
        Figure(
            "used",
            _("Used in an issue"),
            n["used"],
            rows_url(QUEUE, period, status=ReportStatus.USED),
        ),
        Figure("adopted", _("Adoptions"), sum(adopted.values()), rows_url(ITEMS)),
        Figure("instructed", _("Leaders' instructions"), sum(instructed.values()), rows_url(ITEMS)),
    ]
    table = Table(
        "opinions.by_level",
        _("Adoptions and instructions by level"),
        [_("Level"), _("Adoptions"), _("Instructions")],
        [
            [Cell(label), Cell(adopted.get(level, 0)), Cell(instructed.get(level, 0))]
            for level, label in Level.choices
        ],
        series=(1, 2),
    )
    return Section("opinions", _("Public-opinion reports"), with_previous(figures, before), [table])

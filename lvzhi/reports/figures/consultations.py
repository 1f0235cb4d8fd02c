"""Consultations (协商): those met in the period by format, their
recommendations sent, the feedback received on time and the follow-up
quality reviews."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.consultations.models import Consultation, ConsultationFormat, Evaluation, OutcomeItem
from lvzhi.org.models import Committee
from lvzhi.reports.figures.base import (
    Cell,
    Counted,
    Figure,
    Section,
    Table,
    counted_with_previous,
    pct,
    rows_url,
    with_previous,
    within,
)
from lvzhi.reports.period import Period

LIST = "consultations:consultation_list"


def held(committee: Committee, period: Period) -> QuerySet[Consultation]:
    return Consultation.objects.filter(committee=committee, **within(period, "meeting_date"))


def counts(committee: Committee, period: Period) -> dict[str, QuerySet[Any]]:
    consultations = held(committee, period)
    sent = OutcomeItem.objects.filter(consultation__in=consultations, sent_at__isnull=False)
    return {
        "held": consultations,
        "outcomes_sent": sent,
        "on_time": sent.filter(
            feedback_at__isnull=False, feedback_at__date__lte=F("feedback_deadline")
        ),
        "reviewed": Evaluation.objects.filter(consultation__in=consultations),
    }


def section(
    committee: Committee, period: Period, *, detail: bool = True, counted: Counted | None = None
) -> Section:
    n, before = counted or counted_with_previous(committee, period, counts)
    figures = [
        Figure("held", _("Consultations held"), n["held"], rows_url(LIST, period)),
        Figure("outcomes_sent", _("Recommendations sent"), n["outcomes_sent"]),
        Figure(
            "feedback_on_time_rate",
            _("Feedback received on time"),
            pct(n["on_time"], n["outcomes_sent"]),
            percent=True,
        ),
        Figure("reviewed", _("Follow-up quality reviews"), n["reviewed"]),
    ]
    figures = with_previous(figures, before)
    if not detail:
        return Section("consultations", _("Consultations"), figures, [])
    consultations = held(committee, period)
    average = Evaluation.objects.filter(consultation__in=consultations, max_total__gt=0).aggregate(
        average=Avg(100.0 * F("total") / F("max_total"))
    )["average"]
    figures.append(
        Figure(
            "review_average",
            _("Average review score (percentage of the maximum)"),
            round(average, 1) if average is not None else None,
            percent=True,
        )
    )
    rows = consultations.values("format").annotate(n=Count("id")).order_by("-n")
    labels = dict(ConsultationFormat.choices)
    table = Table(
        "consultations.by_format",
        _("Consultations by format"),
        [_("Format"), _("Consultations")],
        [
            [
                Cell(labels.get(r["format"], r["format"])),
                Cell(r["n"], rows_url(LIST, period, format=r["format"])),
            ]
            for r in rows
        ],
    )
    return Section("consultations", _("Consultations"), figures, [table])

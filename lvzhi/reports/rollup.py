"""Roll-up across the committee tree: the committee's own headline numbers
and, beside them, each committee directly below it — aggregates only (counts
and an average), never a row about a person. One GROUP BY committee query
per section, whatever the number of lower committees."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.consultations.models import Consultation
from lvzhi.opinions.models import Report, ReportStatus
from lvzhi.org.models import Committee
from lvzhi.points.models import MemberScore
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.workflow import OFFICE_VISIBLE
from lvzhi.public.models import Message
from lvzhi.reports.figures.base import Cell, Table, within
from lvzhi.reports.period import Period
from lvzhi.studios.models import Activity


@dataclass(frozen=True)
class Rollup:
    section: str
    rows: Callable[[list[int], Period], QuerySet[Any]]
    columns: dict[str, tuple[Promise, Any]]


ROLLUPS = [
    Rollup(
        "proposals",
        lambda ids, p: Proposal.objects.filter(
            committee_id__in=ids, status__in=OFFICE_VISIBLE, **within(p, "submitted_at__date")
        ),
        {
            "received": (_("Proposals received"), Count("id")),
            "registered": (_("Registered"), Count("id", filter=Q(registered_at__isnull=False))),
        },
    ),
    Rollup(
        "opinions",
        lambda ids, p: Report.objects.filter(
            committee_id__in=ids, **within(p, "submitted_at__date")
        ).exclude(status=ReportStatus.DRAFT),
        {
            "submitted": (_("Reports submitted"), Count("id")),
            "used": (_("Used in an issue"), Count("id", filter=Q(status=ReportStatus.USED))),
        },
    ),
    Rollup(
        "consultations",
        lambda ids, p: Consultation.objects.filter(
            committee_id__in=ids, **within(p, "meeting_date")
        ),
        {"held": (_("Consultations held"), Count("id"))},
    ),
    Rollup(
        "duties",
        lambda ids, p: MemberScore.objects.filter(committee_id__in=ids, year=p.until.year),
        {
            "scored": (_("Members scored"), Count("id")),
            "average": (_("Average score"), Avg("score")),
        },
    ),
    Rollup(
        "public",
        lambda ids, p: Message.objects.filter(
            committee_id__in=ids, **within(p, "created_at__date")
        ),
        {"messages": (_("Messages received"), Count("id"))},
    ),
    Rollup(
        "studios",
        lambda ids, p: Activity.objects.filter(committee_id__in=ids, **within(p, "date")),
        {"activities": (_("Studio activities"), Count("id"))},
    ),
]


def lower_committees(committee: Committee) -> QuerySet[Committee]:
    return Committee.objects.filter(parent=committee, is_active=True).order_by("name")


def _shown(value: Any) -> Any:
    return round(float(value), 1) if value is not None and not isinstance(value, int) else value


def table(committee: Committee, period: Period, sections: Iterable[str]) -> Table:
    """One row per committee (its own first), a column per figure of the
    sections the user may read."""
    committees = [committee, *lower_committees(committee)]
    ids = [c.pk for c in committees]
    wanted = set(sections)
    headers: list[Any] = [_("Committee")]
    values: dict[int, list[Any]] = {pk: [] for pk in ids}
    for rollup in ROLLUPS:
        if rollup.section not in wanted:
            continue
        aggregates = {key: aggregate for key, (_label, aggregate) in rollup.columns.items()}
        grouped = {
            row["committee_id"]: row
            for row in rollup.rows(ids, period)
            .order_by()
            .values("committee_id")
            .annotate(**aggregates)
        }
        headers += [label for label, _aggregate in rollup.columns.values()]
        for pk in ids:
            row = grouped.get(pk, {})
            values[pk] += [
                _shown(row.get(key, None if isinstance(aggregate, Avg) else 0))
                for key, aggregate in aggregates.items()
            ]
    return Table(
        "rollup.committees",
        _("This committee and the committees below it"),
        headers,
        [[Cell(c.name), *(Cell(v) for v in values[c.pk])] for c in committees],
        chart="",
    )

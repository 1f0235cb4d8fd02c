"""A handling unit's own record for a period: its assignments, replies on
time, the classes of its replies, what the proposers thought of them and the
quality ratings it gave the proposals."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from lvzhi.proposals.models import Assignment, Evaluation, QualityRating, Reply, Satisfaction
from lvzhi.reports.figures.base import Cell, Figure, Section, Table, pct, rows_url, within
from lvzhi.reports.figures.proposals import ON_TIME
from lvzhi.reports.period import Period

INBOX = "proposals:unit_inbox"


def record(committee_id: int, unit_ids: Iterable[int], period: Period) -> Section:
    assignments = Assignment.objects.filter(
        committee_id=committee_id,
        unit_id__in=list(unit_ids),
        **within(period, "assigned_on"),
    ).exclude(state=Assignment.State.WITHDRAWN)
    n = assignments.aggregate(
        assigned=Count("id"),
        replied=Count("id", filter=Q(replied_on__isnull=False)),
        on_time=Count("id", filter=ON_TIME),
    )
    classes = (
        Reply.objects.filter(assignment__in=assignments)
        .values("reply_class", "class_label")
        .annotate(n=Count("id"))
        .order_by("reply_class")
    )
    got = Evaluation.objects.filter(
        proposal__assignments__in=assignments.filter(
            role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT]
        ),
        not_evaluated=False,
    ).aggregate(
        evaluated=Count("id", distinct=True),
        **{a: Count("id", filter=Q(result=a), distinct=True) for a in Satisfaction.values},
    )
    given = (
        QualityRating.objects.filter(assignment__in=assignments)
        .values("rating")
        .annotate(n=Count("id"))
    )
    ratings = {r["rating"]: r["n"] for r in given}
    figures = [
        Figure("assigned", _("Assignments"), n["assigned"], rows_url(INBOX)),
        Figure(
            "replied", _("Replied"), n["replied"], rows_url(INBOX, state=Assignment.State.REPLIED)
        ),
        Figure("on_time_rate", _("Replied on time"), pct(n["on_time"], n["replied"]), percent=True),
        Figure(
            "satisfaction_rate",
            _("Satisfied or basically satisfied"),
            pct(got[Satisfaction.SATISFIED] + got[Satisfaction.BASIC], got["evaluated"]),
            percent=True,
        ),
    ]
    return Section(
        "unit",
        _("Our handling record"),
        figures,
        [
            Table(
                "unit.classes",
                _("Replies by answer class"),
                [_("Class"), _("Replies")],
                [[Cell(r["class_label"] or r["reply_class"]), Cell(r["n"])] for r in classes],
                chart="pie",
            ),
            Table(
                "unit.satisfaction",
                _("Proposers' evaluations of our replies"),
                [_("Result"), _("Evaluations")],
                [[Cell(label), Cell(got[code])] for code, label in Satisfaction.choices],
            ),
            Table(
                "unit.quality",
                _("Quality ratings we gave the proposals"),
                [_("Quality"), _("Proposals")],
                [
                    [Cell(label), Cell(ratings.get(code, 0))]
                    for code, label in QualityRating.Rating.choices
                ],
            ),
        ],
    )

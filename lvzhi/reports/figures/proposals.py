"""Proposals (提案): what was received, registered and declined in the period,
how it was handled (on time, answer classes), what the proposers thought of
it, per unit and over the years. Each breakdown is one GROUP BY query."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from lvzhi.org.models import Committee
from lvzhi.proposals.models import Assignment, Evaluation, Proposal, Reply, Satisfaction
from lvzhi.proposals.workflow import OFFICE_VISIBLE
from lvzhi.reports.figures.base import (
    Cell,
    Figure,
    Section,
    Table,
    TableBuilder,
    pct,
    rows_url,
    with_previous,
    within,
)
from lvzhi.reports.period import Period

LIST = "proposals:list"
TREND_YEARS = 5
# Replies to the proposer come from the lead unit or a split unit; a co-unit
# sends its opinion to the lead unit instead.
REPLYING_ROLES = (Assignment.Role.LEAD, Assignment.Role.SPLIT)
DIMENSIONS = (
    ("contact", _("contact before replying")),
    ("attitude", _("attitude")),
    ("result", _("result")),
)


def received(committee: Committee, period: Period) -> QuerySet[Proposal]:
    """Proposals submitted in the period the office can see (not drafts, not withdrawn)."""
    return Proposal.objects.filter(
        committee=committee,
        status__in=OFFICE_VISIBLE,
        **within(period, "submitted_at__date"),
    )


# Replied by the reply date, or by the extended one when granted.
ON_TIME = Q(replied_on__isnull=False, replied_on__lte=Coalesce(F("extended_due"), F("reply_due")))


def counts(committee: Committee, period: Period) -> tuple[dict[str, int], dict[str, int]]:
    """Every count of the headline and of the satisfaction table, for the
    period and the one before it: one aggregate each over the proposals, the
    replying assignments and the evaluations of both periods, the period a
    FILTER (on the province, 28 DISTINCT subqueries each scanning the
    committee's proposals took 200–260 ms; these three take a tenth)."""
    before = period.previous()
    span = Period(min(period.since, before.since), max(period.until, before.until))
    day = "submitted_at__date"
    windows = {"": period, "before:": before}

    def each(path: str, conditions: dict[str, Q]) -> dict[str, Count]:
        return {
            f"{prefix}{key}": Count("id", filter=Q(**within(p, path + day)) & condition)
            for prefix, p in windows.items()
            for key, condition in conditions.items()
        }

    proposal = Proposal.objects.filter(
        committee=committee, status__in=OFFICE_VISIBLE, **within(span, day)
    ).aggregate(
        **each(
            "",
            {
                "received": Q(),
                "registered": Q(registered_at__isnull=False),
                "declined": Q(status=Proposal.Status.DECLINED),
            },
        )
    )
    of_proposals = {
        "proposal__committee": committee,
        "proposal__status__in": OFFICE_VISIBLE,
        **within(span, "proposal__" + day),
    }
    assignment = (
        Assignment.objects.filter(role__in=REPLYING_ROLES, **of_proposals)
        .exclude(state=Assignment.State.WITHDRAWN)
        .aggregate(
            **each("proposal__", {"replied": Q(replied_on__isnull=False), "on_time": ON_TIME})
        )
    )
    evaluation = Evaluation.objects.filter(not_evaluated=False, **of_proposals).aggregate(
        **each(
            "proposal__",
            {
                "evaluated": Q(),
                **{
                    f"{field}_{answer}": Q(**{field: answer})
                    for field, _label in DIMENSIONS
                    for answer in Satisfaction.values
                },
            },
        )
    )
    n = {**proposal, **assignment, **evaluation}
    now = {k: v for k, v in n.items() if not k.startswith("before:")}
    return now, {k: n[f"before:{k}"] for k in now}


def headline(period: Period, n: dict[str, int]) -> list[Figure]:
    content = n["result_satisfied"] + n["result_basic"]
    return [
        Figure("received", _("Proposals received"), n["received"], rows_url(LIST, period)),
        Figure(
            "registered",
            _("Registered"),
            n["registered"],
            rows_url(LIST, period, registered=1),
        ),
        Figure(
            "declined",
            _("Declined"),
            n["declined"],
            rows_url(LIST, period, status=Proposal.Status.DECLINED),
        ),
        Figure("replied", _("Replies sent"), n["replied"]),
        Figure("on_time_rate", _("Replied on time"), pct(n["on_time"], n["replied"]), percent=True),
        Figure(
            "satisfaction_rate",
            _("Satisfied or basically satisfied"),
            pct(content, n["evaluated"]),
            percent=True,
        ),
    ]


def _grouped(rows: Any, label: Any, url: Any) -> list[list[Cell]]:
    return [[Cell(label(r)), Cell(r["n"], url(r))] for r in rows]


def by_category(committee: Committee, period: Period) -> Table:
    rows = (
        received(committee, period)
        .values("category_id", "category__name")
        .annotate(n=Count("id"))
        .order_by("-n", "category__name")
    )
    return Table(
        "proposals.by_category",
        _("Proposals by category"),
        [_("Category"), _("Proposals")],
        _grouped(
            rows,
            lambda r: r["category__name"] or _("no category"),
            # No filter of the list lists the proposals without a category.
            lambda r: rows_url(LIST, period, category=r["category_id"]) if r["category_id"] else "",
        ),
    )


def by_kind(committee: Committee, period: Period) -> Table:
    labels = dict(Proposal.Kind.choices)
    rows = received(committee, period).values("kind").annotate(n=Count("id")).order_by("-n")
    return Table(
        "proposals.by_kind",
        _("Proposals by kind"),
        [_("Kind"), _("Proposals")],
        _grouped(
            rows,
            lambda r: labels.get(r["kind"], r["kind"]),
            lambda r: rows_url(LIST, period, kind=r["kind"]),
        ),
        chart="pie",
    )


def answer_classes(committee: Committee, period: Period) -> Table:
    """Replies of the period's proposals by the class they were given (its
    label as recorded on the reply)."""
    replies = Reply.objects.filter(assignment__proposal__in=received(committee, period))
    rows = list(
        replies.values("reply_class", "class_label").annotate(n=Count("id")).order_by("reply_class")
    )
    total = sum(r["n"] for r in rows)
    return Table(
        "proposals.answer_classes",
        _("Replies by answer class"),
        [_("Class"), _("Replies"), _("Share (%)")],
        [
            [
                Cell(r["class_label"] or r["reply_class"]),
                # Not linked: the list has no filter by the class of a reply.
                Cell(r["n"]),
                Cell(pct(r["n"], total)),
            ]
            for r in rows
        ],
        chart="pie",
    )


def satisfaction_table(n: dict[str, int]) -> Table:
    return Table(
        "proposals.satisfaction",
        _("Satisfaction by dimension"),
        [_("Dimension"), _("satisfied"), _("basically satisfied"), _("dissatisfied")],
        [
            [Cell(label), *(Cell(n[f"{field}_{answer}"]) for answer in Satisfaction.values)]
            for field, label in DIMENSIONS
        ],
        series=(1, 2, 3),
    )


def by_unit(committee: Committee, period: Period) -> Table:
    rows = (
        Assignment.objects.filter(proposal__in=received(committee, period))
        .exclude(state=Assignment.State.WITHDRAWN)
        .values("unit_id", "unit__name")
        .annotate(
            n=Count("id"),
            replied=Count("id", filter=Q(replied_on__isnull=False)),
            on_time=Count("id", filter=ON_TIME),
        )
        .order_by("-n", "unit__name")
    )
    return Table(
        "proposals.by_unit",
        _("Handling by unit"),
        [_("Handling unit"), _("Assignments"), _("Replied"), _("On time (%)")],
        [
            [
                Cell(r["unit__name"]),
                Cell(r["n"], rows_url(LIST, period, unit=r["unit_id"])),
                Cell(r["replied"]),
                Cell(pct(r["on_time"], r["replied"])),
            ]
            for r in rows
        ],
        series=(1, 2),
    )


def trend(committee: Committee, period: Period) -> Table:
    last = period.until.year
    rows = (
        Proposal.objects.filter(
            committee=committee,
            status__in=OFFICE_VISIBLE,
            submitted_at__year__gt=last - TREND_YEARS,
            submitted_at__year__lte=last,
        )
        .annotate(y=ExtractYear("submitted_at"))
        .values("y")
        .annotate(n=Count("id"), registered=Count("id", filter=Q(registered_at__isnull=False)))
        .order_by("y")
    )
    return Table(
        "proposals.trend",
        _("Proposals over the years"),
        [_("Year"), _("Received"), _("Registered")],
        [
            [
                Cell(r["y"]),
                Cell(r["n"], rows_url(LIST, year=r["y"])),
                Cell(r["registered"], rows_url(LIST, year=r["y"], registered=1)),
            ]
            for r in rows
        ],
        chart="line",
        series=(1, 2),
    )


def section(
    committee: Committee, period: Period, *, detail: bool = True, tables_too: bool = True
) -> Section:
    """``tables_too=False``: the headline figures alone (the year's text)."""
    n, before = counts(committee, period)
    tables = [by_category(committee, period)] if tables_too else []
    if detail and tables_too:
        tables += [
            by_kind(committee, period),
            answer_classes(committee, period),
            satisfaction_table(n),
            by_unit(committee, period),
            trend(committee, period),
        ]
    return Section("proposals", _("Proposals"), with_previous(headline(period, n), before), tables)


# Each table of the section built alone (an export asks for one).
TABLES: dict[str, TableBuilder] = {
    "proposals.by_category": by_category,
    "proposals.by_kind": by_kind,
    "proposals.answer_classes": answer_classes,
    "proposals.satisfaction": lambda c, p: satisfaction_table(counts(c, p)[0]),
    "proposals.by_unit": by_unit,
    "proposals.trend": trend,
}

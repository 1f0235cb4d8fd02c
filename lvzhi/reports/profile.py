"""A member's 履职画像 for a year: duties by category against the committee's
median member, the stored score against the committee's median score, and
what the member did by kind (which includes what came of it: a proposal
registered, a report adopted). The counts read the duties app's summary
rows (``DutyTally``: per member, year and kind); ``tallied=False`` counts the
duty records themselves (the reference the tests hold the rows to)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.duties.models import KIND_CATEGORY, DutyCategory, DutyKind, DutyRecord, DutyTally
from lvzhi.org.models import Committee, Member
from lvzhi.points.models import MemberScore
from lvzhi.reports.figures.base import Cell, Figure, Section, Table, rows_url

MY_DUTIES = "duties:my_duties"
MY_POINTS = "points:my_points"


def _median_score(committee: Committee, year: int) -> Decimal | None:
    """The middle stored score of the year, read with an offset (two queries,
    whatever the number of members)."""
    scores = MemberScore.objects.filter(committee=committee, year=year).order_by("score")
    n = scores.count()
    if not n:
        return None
    values = list(scores.values_list("score", flat=True)[(n - 1) // 2 : n // 2 + 1])
    return sum(values, Decimal(0)) / len(values)


def _by_member_and_kind(committee: Committee, year: int, tallied: bool) -> QuerySet[Any]:
    """The year's live duty records per member and kind (``member_id``,
    ``kind``, ``n``): the tally rows, or a GROUP BY over the records."""
    if tallied:
        return (
            DutyTally.objects.filter(committee=committee, year=year)
            .order_by()
            .values("member_id", "kind")
            .annotate(n=F("records"))
        )
    return (
        DutyRecord.objects.filter(committee=committee, date__year=year, withdrawn_at__isnull=True)
        .order_by()
        .values("member_id", "kind")
        .annotate(n=Count("id"))
    )


def profile(member: Member, year: int, *, tallied: bool = True) -> Section:
    committee = member.committee
    rows = _by_member_and_kind(committee, year, tallied)
    mine = list(rows.filter(member=member).values("kind", "n").order_by("-n", "kind"))
    # The committee's members by category: per member and kind, then folded
    # into categories (the kind → category map is code, not a column).
    per_member: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows.values("member_id", "kind", "n"):
        per_member[KIND_CATEGORY.get(row["kind"], DutyCategory.OTHER)][row["member_id"]] += row["n"]
    members = Member.objects.filter(committee=committee, term=member.term_id).count() or 1
    mine_by_category: dict[str, int] = defaultdict(int)
    for row in mine:
        mine_by_category[KIND_CATEGORY.get(row["kind"], DutyCategory.OTHER)] += row["n"]
    categories = Table(
        "me.categories",
        _("My duties by category against the committee's median"),
        [_("Category"), _("Mine"), _("Committee median")],
        [
            [
                Cell(label),
                Cell(mine_by_category.get(code, 0), rows_url(MY_DUTIES)),
                Cell(_median_with_zeros(per_member[code], members)),
            ]
            for code, label in DutyCategory.choices
        ],
        series=(1, 2),
    )
    kinds = dict(DutyKind.choices)
    done = Table(
        "me.kinds",
        _("What I did and what came of it"),
        [_("Duty"), _("Times")],
        [[Cell(kinds.get(r["kind"], r["kind"])), Cell(r["n"], rows_url(MY_DUTIES))] for r in mine],
        chart="",
    )
    own = (
        MemberScore.objects.filter(member=member, year=year).values_list("score", flat=True).first()
    )
    middle = _median_score(committee, year)
    figures = [
        Figure("duties", _("Duties recorded"), sum(r["n"] for r in mine), rows_url(MY_DUTIES)),
        Figure(
            "score", _("My score"), float(own) if own is not None else None, rows_url(MY_POINTS)
        ),
        Figure(
            "median", _("Committee median score"), float(middle) if middle is not None else None
        ),
    ]
    return Section("me", _("My duty profile"), figures, [categories, done])


def _median_with_zeros(counts: dict[int, int], members: int) -> float:
    """The median of a category's counts over every member of the term, the
    members with none of it counted as 0."""
    values = list(counts.values()) + [0] * max(members - len(counts), 0)
    return float(median(values)) if values else 0.0

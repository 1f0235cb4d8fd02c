"""Duties (履职): participation in the period's activities by kind, and the
year's stored scores (the points app's ``MemberScore``, read as stored: this
module never computes points) by grade and by band of points."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from lvzhi.duties.models import ActivityKind, Invitation
from lvzhi.org.models import Committee, Member
from lvzhi.points.models import Grade, MemberScore, Policy, Requirement
from lvzhi.reports.figures.base import Cell, Figure, Section, Table, counted, pct, rows_url, within
from lvzhi.reports.period import Period

ACTIVITIES = "duties:activity_list"
SCORES = "points:ranking"
# Bands of a year's score, lower bounds: 0–19, 20–39, … 100 and more.
BAND = 20
TOP_BAND = 100


def participation(committee: Committee, period: Period) -> Table:
    """Invitations to the activities starting in the period, by kind; attended
    counts the members who checked in (or were marked present)."""
    rows = (
        Invitation.objects.filter(
            committee=committee,
            **within(period, "activity__start_at__date"),
        )
        .values("activity__kind")
        .annotate(
            invited=Count("id"),
            attended=Count("id", filter=Q(state=Invitation.State.ATTENDED)),
            activities=Count("activity_id", distinct=True),
        )
        .order_by("-invited")
    )
    labels = dict(ActivityKind.choices)
    return Table(
        "duties.participation",
        _("Participation by activity kind"),
        [_("Kind"), _("Activities"), _("Invited"), _("Attended"), _("Attendance (%)")],
        [
            [
                Cell(labels.get(r["activity__kind"], r["activity__kind"])),
                Cell(r["activities"], rows_url(ACTIVITIES, period, kind=r["activity__kind"])),
                Cell(r["invited"]),
                Cell(r["attended"]),
                Cell(pct(r["attended"], r["invited"])),
            ]
            for r in rows
        ],
        series=(2, 3),
    )


def requirements(committee: Committee, year: int) -> Table:
    """How many members in office met each requirement (六个一) of the year's
    active policy: the members with at least ``count`` duty records of the
    requirement's kinds that year (one query for the requirements, one for
    all the counts)."""
    wanted = list(
        Requirement.objects.filter(
            requirement_set_id__in=Policy.objects.filter(
                committee=committee, year=year, status=Policy.Status.ACTIVE
            ).values("requirement_set_id")
        ).order_by("order", "id")
    )
    members = Member.objects.filter(committee=committee, status=Member.Status.IN_OFFICE)
    records = Q(
        duty_records__date__year=year,
        duty_records__withdrawn_at__isnull=True,
    )
    querysets = {
        "members": members,
        **{
            f"r{r.pk}": members.annotate(
                done=Count("duty_records", filter=records & Q(duty_records__kind__in=r.kinds))
            ).filter(done__gte=r.count)
            for r in wanted
        },
    }
    n = counted(committee, querysets) if wanted else {"members": 0}
    return Table(
        "duties.requirements",
        _("Required duties met"),
        [_("Requirement"), _("Members who met it"), _("Share (%)")],
        [
            [Cell(r.label), Cell(n[f"r{r.pk}"]), Cell(pct(n[f"r{r.pk}"], n["members"]))]
            for r in wanted
        ],
    )


def _one(value: Any) -> float | None:
    return round(float(value), 1) if value is not None else None


def band_of() -> Case:
    whens = [When(score__lt=low + BAND, then=Value(low)) for low in range(0, TOP_BAND, BAND)]
    return Case(*whens, default=Value(TOP_BAND), output_field=IntegerField())


def section(committee: Committee, period: Period, *, detail: bool = True) -> Section:
    year = period.until.year
    scores = MemberScore.objects.filter(committee=committee, year=year)
    summary = scores.aggregate(
        members=Count("id"),
        average=Avg("score"),
        **{grade: Count("id", filter=Q(grade=grade)) for grade in Grade.values},
    )
    average = summary["average"]
    figures = [
        Figure("scored", _("Members scored"), summary["members"], rows_url(SCORES, year=year)),
        Figure(
            "average",
            _("Average score"),
            _one(average),
        ),
        Figure(
            "competent_rate",
            _("Excellent or competent"),
            pct(summary[Grade.EXCELLENT] + summary[Grade.COMPETENT], summary["members"]),
            percent=True,
        ),
    ]
    tables = [
        Table(
            "duties.grades",
            _("Members by grade"),
            [_("Grade"), _("Members")],
            [[Cell(label), Cell(summary[grade])] for grade, label in Grade.choices],
            chart="pie",
        )
    ]
    if detail:
        by_sector = (
            scores.values("member__sector__name")
            .annotate(n=Count("id"), avg=Avg("score"))
            .order_by("member__sector__name")
        )
        bands = (
            scores.annotate(band=band_of()).values("band").annotate(n=Count("id")).order_by("band")
        )
        tables += [
            participation(committee, period),
            requirements(committee, year),
            Table(
                "duties.by_sector",
                _("Scores by sector"),
                [_("Sector"), _("Members"), _("Average score")],
                [
                    [
                        Cell(r["member__sector__name"] or _("no sector")),
                        Cell(r["n"]),
                        Cell(_one(r["avg"])),
                    ]
                    for r in by_sector
                ],
            ),
            Table(
                "duties.points",
                _("Points distribution"),
                [_("Points"), _("Members")],
                [
                    [
                        Cell(
                            f"{r['band']}+"
                            if r["band"] == TOP_BAND
                            else f"{r['band']}–{r['band'] + BAND - 1}"
                        ),
                        Cell(r["n"]),
                    ]
                    for r in bands
                ],
            ),
        ]
    return Section("duties", _("Duties"), figures, tables)

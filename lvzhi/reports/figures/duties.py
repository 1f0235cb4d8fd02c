"""Duties (履职): participation in the period's activities by kind, and the
year's stored scores (the points app's ``MemberScore``, read as stored: this
module never computes points) by grade and by band of points.

A whole year's participation and every year's required duties (六个一) read
the duties app's summary rows (``duties.tally``: ``InvitationTally``,
``DutyTally``, kept in step with each write) instead of the year's
invitations and duty records; a quarter or a range of days counts the
invitations themselves. ``tallied=False`` counts the raw rows for a year too:
the reference the tests hold the summary rows to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.duties.models import (
    Activity,
    ActivityKind,
    DutyRecord,
    DutyTally,
    Invitation,
    InvitationTally,
)
from lvzhi.org.models import Committee, Member
from lvzhi.points.models import Grade, MemberScore, Policy, Requirement
from lvzhi.reports.figures.base import (
    Cell,
    Figure,
    Section,
    Table,
    TableBuilder,
    counted,
    pct,
    rows_url,
    within_days,
)
from lvzhi.reports.period import Period

ACTIVITIES = "duties:activity_list"
SCORES = "points:ranking"
# Bands of a year's score, lower bounds: 0–19, 20–39, … 100 and more.
BAND = 20
TOP_BAND = 100


def tally_year(period: Period) -> int | None:
    """The year of a period that is one whole year (1 January to 31 December),
    else None: only a whole year reads the invitation tally."""
    year = period.since.year
    whole = period.since == date(year, 1, 1) and period.until == date(year, 12, 31)
    return year if whole else None


def _invitations(committee: Committee, period: Period) -> QuerySet[Invitation]:
    """The invitations to the committee's activities starting in the period."""
    return Invitation.objects.filter(
        committee=committee,
        activity__committee=committee,
        **within_days(period, "activity__start_at"),
    )


def _by_kind(committee: Committee, period: Period, tallied: bool) -> QuerySet[Any]:
    """Per activity kind (``kind``): activities, invited, attended. A whole
    year sums the members' tally rows; the activities (not a member's figure)
    are counted by a subquery per kind over the activities with an invitation."""
    year = tally_year(period) if tallied else None
    if year is None:
        return (
            _invitations(committee, period)
            .values(kind=F("activity__kind"))
            .annotate(
                invited=Count("id"),
                attended=Count("id", filter=Q(state=Invitation.State.ATTENDED)),
                activities=Count("activity_id", distinct=True),
            )
            .order_by("-invited", "kind")
        )
    activities = (
        Activity.objects.filter(
            committee=committee, kind=OuterRef("kind"), **within_days(period, "start_at")
        )
        .filter(Exists(Invitation.objects.filter(committee=committee, activity=OuterRef("pk"))))
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        InvitationTally.objects.filter(committee=committee, year=year)
        .values(kind=F("activity_kind"))
        .annotate(invited=Sum("invited"), attended=Sum("attended"))
        .annotate(activities=Subquery(activities))
        .order_by("-invited", "kind")
    )


def participation(committee: Committee, period: Period, *, tallied: bool = True) -> Table:
    """Invitations to the activities starting in the period, by kind; attended
    counts the members who checked in (or were marked present)."""
    labels = dict(ActivityKind.choices)
    return Table(
        "duties.participation",
        _("Participation by activity kind"),
        [_("Kind"), _("Activities"), _("Invited"), _("Attended"), _("Attendance (%)")],
        [
            [
                Cell(labels.get(r["kind"], r["kind"])),
                Cell(r["activities"], rows_url(ACTIVITIES, period, kind=r["kind"])),
                Cell(r["invited"]),
                Cell(r["attended"]),
                Cell(pct(r["attended"], r["invited"])),
            ]
            for r in _by_kind(committee, period, tallied)
        ],
        series=(2, 3),
    )


def active_requirements(committee: Committee, year: int) -> list[Requirement]:
    """The requirements (六个一) of the year's active policy, in order."""
    return list(
        Requirement.objects.filter(
            requirement_set_id__in=Policy.objects.filter(
                committee=committee, year=year, status=Policy.Status.ACTIVE
            ).values("requirement_set_id")
        ).order_by("order", "id")
    )


def _in_office(committee: Committee) -> QuerySet[Member]:
    return Member.objects.filter(committee=committee, status=Member.Status.IN_OFFICE)


def tallies(
    committee: Committee, year: int, wanted: list[Requirement], *, tallied: bool = True
) -> QuerySet[Any]:
    """Per member in office with a duty record that year, the records of each
    requirement's kinds (``r<pk>``): one GROUP BY member over the year's
    ``DutyTally`` rows of the committee (a row per member and kind; its
    (committee, year) index), or with ``tallied=False`` over the year's duty
    records (the (committee, date) index)."""
    if not tallied:
        return (
            DutyRecord.objects.filter(
                committee=committee,
                date__year=year,
                withdrawn_at__isnull=True,
                member__in=_in_office(committee),
            )
            .order_by()
            .values("member_id")
            .annotate(
                **{f"r{r.pk}": Count("id", filter=Q(kind__in=r.kinds)) for r in wanted},
            )
        )
    return (
        DutyTally.objects.filter(committee=committee, year=year, member__in=_in_office(committee))
        .order_by()
        .values("member_id")
        .annotate(
            **{f"r{r.pk}": Coalesce(Sum("records", filter=Q(kind__in=r.kinds)), 0) for r in wanted},
        )
    )


def met_all(
    committee: Committee, year: int, wanted: list[Requirement], *, tallied: bool = True
) -> QuerySet[Any]:
    """The members in office who met every requirement (the HAVING of ``tallies``)."""
    return (
        tallies(committee, year, wanted, tallied=tallied)
        .filter(**{f"r{r.pk}__gte": r.count for r in wanted})
        .values("member_id")
    )


def _met_per_requirement(
    committee: Committee, year: int, wanted: list[Requirement]
) -> dict[str, int]:
    """The members in office (``members``) and those who met each requirement
    (``r<pk>``) in one statement and one pass: every member in office with
    their tally rows of the year (``DutyTally``, the (member, year, kind)
    index), the records of each requirement's kinds summed per member, then
    counted per requirement."""
    year_rows = FilteredRelation("dutytally_rows", condition=Q(dutytally_rows__year=year))
    per_member = (
        _in_office(committee)
        .annotate(year_rows=year_rows)
        .order_by()
        .values("pk")
        .annotate(
            **{
                f"r{r.pk}": Coalesce(
                    Sum("year_rows__records", filter=Q(year_rows__kind__in=r.kinds)), 0
                )
                for r in wanted
            }
        )
    )
    n = per_member.aggregate(
        members=Count("pk"),
        **{f"met{r.pk}": Count("pk", filter=Q(**{f"r{r.pk}__gte": r.count})) for r in wanted},
    )
    return {"members": n["members"], **{f"r{r.pk}": n[f"met{r.pk}"] for r in wanted}}


def requirements(
    committee: Committee, year: int, wanted: list[Requirement], *, tallied: bool = True
) -> Table:
    """How many members in office met each requirement (六个一) of the year's
    active policy: the members with at least ``count`` duty records of the
    requirement's kinds that year, all counted in one statement: from the
    tally in one pass (``_met_per_requirement``), or with ``tallied=False``
    each requirement a HAVING over the year's records. A requirement of no
    records is met by all."""
    members = _in_office(committee)
    if tallied:
        n = _met_per_requirement(committee, year, wanted)
    else:
        n = counted(
            committee,
            {
                "members": members,
                **{
                    f"r{r.pk}": members.filter(pk__in=met_all(committee, year, [r], tallied=False))
                    for r in wanted
                },
            },
        )
    met = {r.pk: n["members"] if r.count <= 0 else n[f"r{r.pk}"] for r in wanted}
    return Table(
        "duties.requirements",
        _("Required duties met"),
        [_("Requirement"), _("Members who met it"), _("Share (%)")],
        [[Cell(r.label), Cell(met[r.pk]), Cell(pct(met[r.pk], n["members"]))] for r in wanted],
    )


@dataclass(frozen=True)
class Grouping:
    """A way to group members: ``field`` is the path from a member (a sector
    is one per member; a member may sit on several special committees and
    counts in each), ``param`` the ranking's filter of the same group."""

    key: str
    title: Promise
    header: Promise
    field: str
    param: str
    nobody: Promise


GROUPINGS = (
    Grouping(
        "duties.by_sector",
        _("Duties by sector"),
        _("Sector"),
        "sector",
        "sector",
        _("no sector"),
    ),
    Grouping(
        "duties.by_special_committee",
        _("Duties by special committee"),
        _("Special committee"),
        "special_committees",
        "special_committee",
        _("no special committee"),
    ),
)


def by_group(
    committee: Committee,
    period: Period,
    grouping: Grouping,
    wanted: list[Requirement],
    *,
    tallied: bool = True,
) -> Table:
    """Scores and grades (the ranking's members: in office, current term),
    participation in the period's activities and the members who met every
    requirement, per sector or special committee: two GROUP BY queries, one
    over the members (with their score of the year), one over the period's
    invitations. Scores and grades link to the ranking filtered to the group."""
    year = period.until.year
    group, name = grouping.field, f"{grouping.field}__name"
    rows: dict[Any, dict[str, Any]] = {}

    def merge(queryset: QuerySet[Any], prefix: str = "") -> None:
        for r in queryset:
            row = rows.setdefault(r[prefix + group], {"name": r[prefix + name]})
            row.update({k: v for k, v in r.items() if not k.startswith(prefix + group)})

    # The ranking's members (in office, current term) and their score of the year.
    scored = Q(scores__year=year, term__is_current=True)
    members: dict[str, Any] = {}
    if wanted:
        members = {
            "members": Count("id", distinct=True),
            "met": Count(
                "id",
                distinct=True,
                filter=Q(pk__in=met_all(committee, year, wanted, tallied=tallied)),
            ),
        }
    merge(
        _in_office(committee)
        .order_by()
        .values(group, name)
        .annotate(
            scored=Count("scores", filter=scored),
            average=Avg("scores__score", filter=scored),
            **{g: Count("scores", filter=scored & Q(scores__grade=g)) for g in Grade.values},
            **members,
        )
    )
    whole_year = tally_year(period) if tallied else None
    invited: QuerySet[Any]
    if whole_year is None:
        invited = (
            _invitations(committee, period)
            .order_by()
            .values(f"member__{group}", f"member__{name}")
            .annotate(
                invited=Count("id"),
                attended=Count("id", filter=Q(state=Invitation.State.ATTENDED)),
            )
        )
    else:  # the members' tally rows of the year, a few per member
        invited = (
            # Members of the committee (as every invitation's are): the planner
            # then joins them by the committee's index, not all the members.
            InvitationTally.objects.filter(
                committee=committee, year=whole_year, member__committee=committee
            )
            .order_by()
            .values(f"member__{group}", f"member__{name}")
            .annotate(invited=Sum("invited"), attended=Sum("attended"))
        )
    merge(invited, "member__")

    def link(pk: Any, **params: Any) -> str:
        return rows_url(SCORES, year=year, **({grouping.param: pk} if pk else {}), **params)

    headers: list[Any] = [
        grouping.header,
        _("Members scored"),
        _("Average score"),
        *(label for _grade, label in Grade.choices),
        _("Invited"),
        _("Attended"),
        _("Attendance (%)"),
    ]
    if wanted:
        headers += [_("Met every requirement"), _("Share (%)")]
    table = Table(grouping.key, grouping.title, headers, series=(1,))
    # Named groups in name order, then the members in none.
    for pk, r in sorted(rows.items(), key=lambda item: (item[0] is None, item[1]["name"] or "")):
        scored_url = link(pk) if pk is not None else ""
        cells = [
            Cell(r["name"] or grouping.nobody),
            Cell(r.get("scored", 0), scored_url),
            Cell(_one(r.get("average"))),
            *(Cell(r.get(g, 0), link(pk, grade=g) if pk is not None else "") for g in Grade.values),
            Cell(r.get("invited", 0)),
            Cell(r.get("attended", 0)),
            Cell(pct(r.get("attended"), r.get("invited"))),
        ]
        if wanted:
            cells += [Cell(r.get("met", 0)), Cell(pct(r.get("met"), r.get("members")))]
        table.rows.append(cells)
    return table


def _one(value: Any) -> float | None:
    return round(float(value), 1) if value is not None else None


def band_of() -> Case:
    whens = [When(score__lt=low + BAND, then=Value(low)) for low in range(0, TOP_BAND, BAND)]
    return Case(*whens, default=Value(TOP_BAND), output_field=IntegerField())


def _scores(committee: Committee, year: int) -> QuerySet[MemberScore]:
    return MemberScore.objects.filter(committee=committee, year=year)


def _summary(committee: Committee, year: int) -> dict[str, Any]:
    return _scores(committee, year).aggregate(
        members=Count("id"),
        average=Avg("score"),
        **{grade: Count("id", filter=Q(grade=grade)) for grade in Grade.values},
    )


def _grades(summary: dict[str, Any]) -> Table:
    return Table(
        "duties.grades",
        _("Members by grade"),
        [_("Grade"), _("Members")],
        [[Cell(label), Cell(summary[grade])] for grade, label in Grade.choices],
        chart="pie",
    )


def points_bands(committee: Committee, year: int) -> Table:
    bands = (
        _scores(committee, year)
        .annotate(band=band_of())
        .values("band")
        .annotate(n=Count("id"))
        .order_by("band")
    )
    return Table(
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
    )


def _grouped(grouping: Grouping) -> TableBuilder:
    def build(committee: Committee, period: Period) -> Table:
        wanted = active_requirements(committee, period.until.year)
        return by_group(committee, period, grouping, wanted)

    return build


# Each table of the section built alone (an export asks for one).
TABLES: dict[str, TableBuilder] = {
    "duties.grades": lambda c, p: _grades(_summary(c, p.until.year)),
    "duties.participation": participation,
    "duties.requirements": lambda c, p: requirements(
        c, p.until.year, active_requirements(c, p.until.year)
    ),
    **{g.key: _grouped(g) for g in GROUPINGS},
    "duties.points": lambda c, p: points_bands(c, p.until.year),
}


def section(
    committee: Committee, period: Period, *, detail: bool = True, tallied: bool = True
) -> Section:
    year = period.until.year
    summary = _summary(committee, year)
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
    tables = [_grades(summary)]
    if detail:
        wanted = active_requirements(committee, year)
        tables += [
            participation(committee, period, tallied=tallied),
            requirements(committee, year, wanted, tallied=tallied),
            *(by_group(committee, period, g, wanted, tallied=tallied) for g in GROUPINGS),
            points_bands(committee, year),
        ]
    return Section("duties", _("Duties"), figures, tables)

"""Reads of the points app, scoped to one committee."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
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
    Value,
    When,
)
from django.db.models.functions import Coalesce

from lvzhi.core.permissions import has_perm
from lvzhi.duties.models import DutyProject, DutyProjectLink
from lvzhi.org.models import Committee, Member, Sector
from lvzhi.points.models import (
    Assessment,
    Bulletin,
    MemberScore,
    Policy,
    PolicyEntry,
    Requirement,
    TalkRecord,
)
from lvzhi.points.rules import convened_sectors
from lvzhi.points.scoring import requirement_annotations, scheme_of


def policies_of(committee: Committee) -> QuerySet[Policy]:
    return (
        Policy.objects.filter(committee=committee)
        .select_related("requirement_set")
        .order_by("-year", "-version")
    )


def policy_detail(committee: Committee) -> QuerySet[Policy]:
    return policies_of(committee).prefetch_related("kind_points", "caps")


def ranking(
    committee: Committee,
    year: int,
    *,
    sector: Any = None,
    special_committee: Any = None,
    query: str = "",
    grade: str = "",
) -> QuerySet[MemberScore]:
    qs = MemberScore.objects.filter(
        committee=committee,
        year=year,
        member__status=Member.Status.IN_OFFICE,
        member__term__is_current=True,
    ).select_related("member__person", "member__sector")
    if sector is not None:
        qs = qs.filter(member__sector=sector)
    if special_committee is not None:
        qs = qs.filter(member__special_committees=special_committee)
    if query.strip():
        qs = qs.filter(member__person__name__icontains=query.strip())
    if grade:
        qs = qs.filter(grade=grade)
    return qs.order_by("-score", "member_id")


def assessments_of(committee: Committee, year: int, *, state: str = "") -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(committee=committee, year=year).select_related(
        "member__person", "member__sector"
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("member__sector__order", "member__sector_id", "member_id")


def assessment_detail(committee: Committee) -> QuerySet[Assessment]:
    return Assessment.objects.filter(committee=committee).select_related(
        "member__person", "member__sector"
    )


def bulletins_of(committee: Committee) -> QuerySet[Bulletin]:
    return Bulletin.objects.filter(committee=committee).order_by("-year", "-quarter")


def bulletins_for(committee: Committee, user: Any) -> QuerySet[Bulletin]:
    """The bulletins the user may read: drafts only for those who draft them."""
    qs = bulletins_of(committee)
    if not has_perm(user, "points.generate_bulletin", committee):
        qs = qs.filter(state=Bulletin.State.PUBLISHED)
    return qs


# --- The member's own standing (the home page's figures) ---------------------------


@dataclass(frozen=True)
class Standing:
    """A member's year so far: the stored score and the required duties met."""

    score: Decimal
    met: int
    required: int


def standing_of(committee: Committee, user: Any, year: int) -> Standing | None:
    """The user's score this year and how many of the required duties
    ("六个一") they met, in two queries; None without an active policy."""
    active = Policy.objects.filter(committee=committee, year=year, status=Policy.Status.ACTIVE)
    requirements = list(
        Requirement.objects.filter(
            requirement_set_id=Subquery(active.values("requirement_set_id")[:1])
        ).order_by("order", "id")
    )
    stored = MemberScore.objects.filter(member=OuterRef("pk"), year=year).values("score")[:1]
    row = (
        Member.objects.filter(
            committee=committee,
            person__user=user,
            status=Member.Status.IN_OFFICE,
            term__is_current=True,
        )
        .annotate(
            has_policy=Exists(active),
            stored_score=Subquery(stored),
            **requirement_annotations(requirements, year),
        )
        .order_by("-term__number")
        .values("has_policy", "stored_score", *(f"req_{r.pk}" for r in requirements))
        .first()
    )
    if row is None or not row["has_policy"]:
        return None
    met = sum(1 for r in requirements if row[f"req_{r.pk}"] >= r.count)
    return Standing(row["stored_score"] or Decimal("0"), met, len(requirements))


def entries_of(committee: Committee, year: int) -> QuerySet[PolicyEntry]:
    """What staff recorded by hand for the committee's members that year."""
    return (
        PolicyEntry.objects.filter(committee=committee, year=year)
        .select_related("member__person", "created_by")
        .order_by("-date", "-id")
    )


def score_with_rank(member: Member, year: int) -> MemberScore | None:
    """The member's stored score of the year with ``higher``: how many members
    of the committee in office score more (the rank is 1 + that), one query."""
    higher = (
        MemberScore.objects.filter(
            committee_id=OuterRef("committee_id"),
            year=OuterRef("year"),
            score__gt=OuterRef("score"),
            member__status=Member.Status.IN_OFFICE,
            member__term__is_current=True,
        )
        .order_by()
        .values("year")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        MemberScore.objects.filter(member=member, year=year)
        .annotate(higher=Coalesce(Subquery(higher), 0))
        .first()
    )


# --- The convener's sector page ------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """The bottom of a year's grade scale, as the year's active policy sets it."""

    grade: str  # the code of the lowest grade ("not competent")
    label: str
    above_label: str  # the grade just above it ("competent")
    threshold: Decimal  # the score from which the grade above is given


def lines_of(committee_id: int, *years: int) -> dict[int, Line | None]:
    """Each year's "not competent" line: the lowest grade of the year's active
    policy's scale; None without an active policy or with a scale of one
    grade. The policies of all the years in three queries."""
    policies = Policy.objects.filter(
        committee_id=committee_id, year__in=years, status=Policy.Status.ACTIVE
    ).prefetch_related("kind_points", "caps")
    lines: dict[int, Line | None] = dict.fromkeys(years)
    for policy in policies:
        grades = scheme_of(policy).grades
        if len(grades) < 2:
            continue
        lowest, above = grades[-1], grades[-2]
        threshold = Decimal(above.minimum.numerator) / Decimal(above.minimum.denominator)
        lines[policy.year] = Line(
            lowest.code, lowest.label, above.label, threshold.quantize(Decimal("0.01"))
        )
    return lines


def sectors_convened(committee: Committee, user: Any) -> QuerySet[Sector]:
    """The sectors of the committee the user convenes."""
    ids = [
        pk for pk, committee_id in convened_sectors(user).items() if committee_id == committee.pk
    ]
    return Sector.objects.filter(committee=committee, pk__in=ids).order_by("order", "id")


def sectors_of(committee: Committee) -> QuerySet[Sector]:
    return Sector.objects.filter(committee=committee).select_related("cluster")


def _below(grade: Any, line: Line | None) -> Any:
    if line is None:
        return Value(False, output_field=BooleanField())
    return Case(When(**{grade: line.grade}, then=True), default=False, output_field=BooleanField())


def sector_members(
    committee: Committee, year: int, line: Line | None, previous: Line | None
) -> QuerySet[Member]:
    """Members in office of the current term with the year's standing, all
    read from stored rows in one statement: ``score_value``/``grade_code``/
    ``grade_text`` (the published assessment's result if there is one, else
    the stored score), ``below`` (the lowest grade of the year's scale),
    ``below_before`` (below the line the year before: the published
    assessment's flag, else that year's stored grade), ``talks`` and the
    latest talk (``last_talk_date``, ``last_next_step``)."""
    stored = MemberScore.objects.filter(member=OuterRef("pk"), year=year)
    published = Assessment.objects.filter(
        member=OuterRef("pk"), year=year, state=Assessment.State.PUBLISHED
    )
    before_published = Assessment.objects.filter(
        member__person_id=OuterRef("person_id"),
        committee_id=OuterRef("committee_id"),
        year=year - 1,
        state=Assessment.State.PUBLISHED,
    )
    if previous is None:
        below_before: Any = Exists(before_published.filter(flag_below_competent=True))
    else:
        stored_before = MemberScore.objects.filter(
            member__person_id=OuterRef("person_id"),
            committee_id=OuterRef("committee_id"),
            year=year - 1,
            grade=previous.grade,
        )
        below_before = Case(
            When(
                Exists(before_published),
                then=Exists(before_published.filter(flag_below_competent=True)),
            ),
            default=Exists(stored_before),
            output_field=BooleanField(),
        )
    talks = TalkRecord.objects.filter(member=OuterRef("pk"), year=year)
    latest = talks.order_by("-date", "-id")
    return (
        Member.objects.filter(
            committee=committee, status=Member.Status.IN_OFFICE, term__is_current=True
        )
        .select_related("person")
        .annotate(
            score_value=Coalesce(
                Subquery(published.values("final_score")[:1]), Subquery(stored.values("score")[:1])
            ),
            grade_code=Coalesce(
                Subquery(published.values("grade")[:1]), Subquery(stored.values("grade")[:1])
            ),
            grade_text=Coalesce(
                Subquery(published.values("grade_label")[:1]),
                Subquery(stored.values("grade_label")[:1]),
            ),
            talks=Coalesce(
                Subquery(talks.order_by().values("member_id").annotate(n=Count("id")).values("n")),
                0,
                output_field=IntegerField(),
            ),
            last_talk_date=Subquery(latest.values("date")[:1]),
            last_next_step=Subquery(latest.values("next_step")[:1]),
        )
        .annotate(below=_below("grade_code", line), below_before=below_before)
        .order_by(F("score_value").desc(nulls_last=True), "pk")
    )


def talks_of_sector(sector: Sector, year: int) -> QuerySet[TalkRecord]:
    """The talks of the year with the sector's members, newest first."""
    return (
        TalkRecord.objects.filter(
            committee_id=sector.committee_id, member__sector=sector, year=year
        )
        .select_related("member__person", "created_by")
        .order_by("-date", "-id")
    )


def below_without_talk(committee: Committee, user: Any, year: int) -> QuerySet[Member]:
    """The convener's to-do: members of the sectors they convene below the
    year's line with no talk recorded for that year."""
    line = lines_of(committee.pk, year)[year]
    if line is None:
        return Member.objects.none()
    sectors = sectors_convened(committee, user).values("pk")
    members = sector_members(committee, year, line, None)
    return members.filter(sector__in=sectors, below=True, talks=0)  # type: ignore[misc]


# --- The duty file --------------------------------------------------------------------------


def duty_file_members(committee: Committee, year: int) -> QuerySet[Member]:
    """The committee's members with the year's stored score and assessment
    joined in (``year_score``, ``year_assessment``; unset when there is
    none) and the year they are of (``duty_file_year``): the duty file reads
    them with the member, not in queries of their own."""
    members = Member.objects.filter(committee=committee).annotate(
        duty_file_year=Value(year),
        year_score=FilteredRelation("scores", condition=Q(scores__year=year)),
        year_assessment=FilteredRelation("assessments", condition=Q(assessments__year=year)),
    )
    # (django-stubs does not know select_related over a FilteredRelation.)
    joined = ("person", "sector", "term", "year_score", "year_assessment")
    return members.select_related(*joined)


def active_requirements(committee: Committee, year: int) -> list[Requirement]:
    """The required duties of the committee's active policy of ``year``, with
    their set (its name heads them), in one query (scoring.requirements_of's
    order)."""
    active = Policy.objects.filter(
        committee=committee, year=year, status=Policy.Status.ACTIVE
    ).values("requirement_set_id")[:1]
    return list(
        Requirement.objects.filter(requirement_set_id=Subquery(active))
        .select_related("requirement_set")
        .order_by("order", "id")
    )


def projects_with_links(member: Member, year: int) -> list[DutyProject]:
    """The member's duty projects of ``year``, each with its links in
    ``link_rows`` (in their order), read in one query (a LEFT JOIN) instead
    of one for the projects and one for their links."""
    rows = (
        DutyProject.objects.filter(member=member, year=year)
        .annotate(
            link_id=F("links__id"), link_kind=F("links__kind"), link_ref=F("links__reference")
        )
        .order_by("-id", "link_id")
    )
    projects: dict[int, DutyProject] = {}
    for row in rows:
        project = projects.setdefault(row.pk, row)
        if project is row:
            project.link_rows = []  # type: ignore[attr-defined]
        if row.link_id is not None:  # type: ignore[attr-defined]
            project.link_rows.append(  # type: ignore[attr-defined]
                DutyProjectLink(kind=row.link_kind, reference=row.link_ref)  # type: ignore[attr-defined]
            )
    return list(projects.values())

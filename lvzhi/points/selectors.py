"""Reads of the points app, scoped to one committee."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lvzhi.core.permissions import has_perm
from lvzhi.org.models import Committee, Member
from lvzhi.points.models import (
    Assessment,
    Bulletin,
    MemberScore,
    Policy,
    PolicyEntry,
    Requirement,
)
from lvzhi.points.scoring import requirement_annotations


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

"""Reads of the organisation, always scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.accounts.roles import assignments_of
from lvzhi.org.models import Committee, Member

_MEMBER_CACHE_ATTR = "_lvzhi_member_committee_ids"


def member_committee_ids(user: Any) -> set[int]:
    """Committees where the user sits as a member in office (cached per request)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, _MEMBER_CACHE_ATTR, None)
    if cached is None:
        cached = set(
            Member.objects.filter(
                person__user=user, status=Member.Status.IN_OFFICE, committee__is_active=True
            ).values_list("committee_id", flat=True)
        )
        setattr(user, _MEMBER_CACHE_ATTR, cached)
    return cached


def committees_for(user: Any) -> QuerySet[Committee]:
    """Every committee the user works in, by a role or a seat."""
    ids = member_committee_ids(user) | {a.committee_id for a in assignments_of(user)}
    return Committee.objects.filter(pk__in=ids, is_active=True).order_by("level", "id")


def member_of_user(user: Any, committee: Committee) -> Member | None:
    """The user's own seat in the committee, if any (current term first)."""
    if not user.is_authenticated:
        return None
    return (
        Member.objects.filter(person__user=user, committee=committee)
        .select_related("person", "sector", "term")
        .order_by("-term__number")
        .first()
    )

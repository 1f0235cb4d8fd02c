"""Reads of the accounts app, always scoped to one committee.

The accounts app sits below ``org`` (DESIGN §4) and must not import it; the
members of a committee are reached by the reverse relation names
(``person__memberships__committee``) inside ORM lookups only."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lvzhi.accounts.models import LoginFailure, RoleAssignment, User
from lvzhi.core.models import AuditEvent


def _member_user_ids(committee: Any) -> QuerySet[User, Any]:
    return User.objects.filter(person__memberships__committee=committee).values("pk")


def users_of_committee(committee: Any) -> QuerySet[User]:
    """Accounts of the committee: holders of a role there, members seated
    there, and accounts created there that have neither yet. Each row carries
    ``committee_roles`` (its roles here), ``is_locked`` and ``is_member_here``
    (``filters.UserFilter`` searches them)."""
    now = timezone.now()
    users = User.objects.filter(
        Q(pk__in=RoleAssignment.objects.filter(committee=committee).values("user_id"))
        | Q(pk__in=_member_user_ids(committee))
        | Q(home_committee=committee)
    )
    return (
        users.annotate(
            is_locked=Exists(
                LoginFailure.objects.filter(
                    username=Lower(OuterRef("username")), locked_until__gt=now
                )
            ),
            is_member_here=Exists(_member_user_ids(committee).filter(pk=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(committee=committee)
                .select_related("unit")
                .order_by("role", "area"),
                to_attr="committee_roles",
            )
        )
        .order_by("username")
    )


def user_of_committee_or_404(committee: Any, pk: Any) -> User:
    """An account of the committee; another committee's account answers 404."""
    return get_object_or_404(users_of_committee(committee), pk=pk)


def role_assignment_or_404(committee: Any, pk: Any) -> RoleAssignment:
    return get_object_or_404(
        RoleAssignment.objects.select_related("user", "unit"), committee=committee, pk=pk
    )


def login_failures_of(user: User) -> QuerySet[LoginFailure]:
    """Failure counters of the account, one per IP, locked ones first."""
    return LoginFailure.objects.filter(username=user.username.lower(), failures__gt=0).order_by(
        "-locked_until", "-updated_at"
    )


def _trail_of(committee: Any) -> QuerySet[AuditEvent]:
    """The events an auditor of ``committee`` reads: the committee's own
    (logins of its accounts included, services/_login_audit writes one per
    committee) and, at the top of the tree only, the platform-wide ones bound
    to no committee (attempts on unknown accounts, host commands)."""
    if committee.parent_id is None:
        return AuditEvent.objects.filter(Q(committee=committee) | Q(committee__isnull=True))
    return AuditEvent.objects.filter(committee=committee)


def audit_events_for(committee: Any) -> QuerySet[AuditEvent]:
    """The audit trail, newest first (``filters.AuditFilter`` narrows it)."""
    return _trail_of(committee).select_related("committee").order_by("-created_at", "-id")


def audit_actions_for(committee: Any) -> list[str]:
    """The action codes present in the committee's trail (for the filter)."""
    return list(_trail_of(committee).order_by("action").values_list("action", flat=True).distinct())

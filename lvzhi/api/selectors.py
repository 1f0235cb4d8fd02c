"""Reads of the API app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.accounts.models import Role, RoleAssignment
from lvzhi.api.models import ApiToken, WebhookEndpoint
from lvzhi.org.models import HandlingUnit
from lvzhi.org.selectors import units_of


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked ones included (the list shows them)."""
    return (
        ApiToken.objects.filter(user=user, unit__isnull=True)
        .select_related("committee")
        .order_by("-created_at", "-id")
    )


def token_by_hash(token_hash: str) -> ApiToken | None:
    return (
        ApiToken.objects.filter(token_hash=token_hash)
        .select_related("user", "committee", "unit")
        .first()
    )


def unit_credentials(committee: Any) -> QuerySet[ApiToken]:
    """The committee's system credentials of handling units, newest first,
    revoked and expired ones included (the list shows their last use)."""
    return (
        ApiToken.objects.filter(committee=committee, unit__isnull=False)
        .select_related("unit", "created_by")
        .order_by("-created_at", "-id")
    )


def webhook_units(committee: Any, user: Any, *, everyone: bool) -> QuerySet[HandlingUnit]:
    """The active units whose webhook addresses the user manages: all of the
    committee's for the proposal office (``everyone``), else the user's own."""
    units = units_of(committee, active=True)
    if everyone:
        return units
    own = RoleAssignment.objects.filter(committee=committee, role=Role.UNIT, user=user)
    return units.filter(pk__in=own.values("unit_id"))


def webhook_endpoints(committee: Any, units: QuerySet[HandlingUnit]) -> QuerySet[WebhookEndpoint]:
    """The live webhook addresses of those units, newest first."""
    return (
        WebhookEndpoint.objects.filter(committee=committee, unit__in=units, removed_at=None)
        .select_related("unit", "created_by")
        .order_by("-created_at", "-id")
    )

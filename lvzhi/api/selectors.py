"""Reads of the API app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.api.models import ApiToken


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

"""Reads of the API app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.api.models import ApiToken


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked ones included (the list shows them)."""
    return (
        ApiToken.objects.filter(user=user)
        .select_related("committee")
        .order_by("-created_at", "-id")
    )


def token_by_hash(token_hash: str) -> ApiToken | None:
    return (
        ApiToken.objects.filter(token_hash=token_hash).select_related("user", "committee").first()
    )

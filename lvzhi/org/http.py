"""The request as our views see it after the middleware ran (for type checks)."""

from __future__ import annotations

from django.http import HttpRequest

from lvzhi.accounts.models import User
from lvzhi.org.models import Committee


class AuthedRequest(HttpRequest):
    """A logged-in request: ``committee`` is the one the user works in now."""

    user: User  # type: ignore[assignment]
    committee: Committee
    available_committees: list[Committee]

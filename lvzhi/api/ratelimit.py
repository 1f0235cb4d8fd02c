"""Requests per minute per caller (a token, or a session's user): past the
limit the API answers 429 ``rate_limited`` with ``Retry-After``, so one
runaway client (a phone in a loop, a unit's OA syncing too eagerly) cannot
crowd out the others. The counters are the public channel's, in the shared
cache, so the limit holds across processes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.api.errors import ApiError
from lvzhi.public.services import counter_bump

PER_MINUTE = 120


def limit_per_minute() -> int:
    return int(getattr(settings, "API_REQUESTS_PER_MINUTE", PER_MINUTE))


def rate_limit_check(request: HttpRequest, owner: str) -> None:
    """Count this request of ``owner`` ("token:<id>" or "user:<id>")."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    limit = limit_per_minute()
    if counter_bump(f"api:rate:{owner}:{minute}", timeout=120) > limit:
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests: at most %(n)s a minute. Please wait a minute and retry.")
            % {"n": limit},
            retry_after=60 - timezone.now().second,
        )

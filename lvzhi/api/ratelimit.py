"""Requests per minute per caller (a token, or a session's user): past the
limit the API answers 429 ``rate_limited`` with ``Retry-After``, so one
runaway client (a phone in a loop, a unit's OA syncing too eagerly) cannot
crowd out the others.

The counting is the kernel's (``core.ratelimit``, docs/api.md "Rate
limits"): every request counts as a read does (in Redis when the shared
cache is Redis, across processes; else in the process's memory), so no GET
writes the database (DESIGN §5); a write (POST, PUT, …) also counts in the
kernel's counter table, atomically across processes, as it writes anyway —
the same table the public channel's hourly limits count in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.api.errors import ApiError
from lvzhi.core.ratelimit import MINUTE, counter_bump, read_counter_bump

PER_MINUTE = 120
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def limit_per_minute() -> int:
    return int(getattr(settings, "API_REQUESTS_PER_MINUTE", PER_MINUTE))


def count_request(key: str, minute: str, method: str | None) -> int:
    """Count this request under ``key`` in ``minute``; the caller's count."""
    count = read_counter_bump(key, minute)
    if method not in SAFE_METHODS:
        count = max(count, counter_bump(key, minute))
    return count


def rate_limit_check(request: HttpRequest, owner: str) -> None:
    """Count this request of ``owner`` (a key unique to the token or the user)."""
    minute = timezone.now().strftime(MINUTE)
    limit = limit_per_minute()
    if count_request(f"api:{owner}", minute, request.method) > limit:
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests: at most %(n)s a minute. Please wait a minute and retry.")
            % {"n": limit},
            retry_after=60 - timezone.now().second,
        )

"""Requests per minute per caller (a token, or a session's user): past the
limit the API answers 429 ``rate_limited`` with ``Retry-After``, so one
runaway client (a phone in a loop, a unit's OA syncing too eagerly) cannot
crowd out the others.

Where the counters live (docs/api.md, "Rate limits"): with a shared cache
that is not the database (Redis, ``REDIS_URL``) every request counts there,
across processes. With the database cache (no Redis) a read may not write
the database (DESIGN §5: no GET writes anything but the session), so each
process counts every request in its own memory (``caches["local"]``), and a
write (POST, PUT, …) also counts in the shared database cache: one process
(the SQLite set-up) holds the limit exactly; several hold it per process for
reads and across them for writes."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import BaseDatabaseCache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.api.errors import ApiError

PER_MINUTE = 120
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def limit_per_minute() -> int:
    return int(getattr(settings, "API_REQUESTS_PER_MINUTE", PER_MINUTE))


def _bump(cache: BaseCache, key: str) -> int:
    """One more in ``cache``; add + incr is atomic on Redis and in local memory."""
    cache.add(key, 0, timeout=120)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        return 1


def count_request(key: str, method: str | None) -> int:
    """Count this request under ``key``; the caller's count this minute."""
    shared = caches["default"]
    if not isinstance(shared, BaseDatabaseCache):
        return _bump(shared, key)
    count = _bump(caches["local"], key)
    if method not in SAFE_METHODS:
        count = max(count, _bump(shared, key))
    return count


def rate_limit_check(request: HttpRequest, owner: str) -> None:
    """Count this request of ``owner`` (a key unique to the token or the user)."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    limit = limit_per_minute()
    if count_request(f"api:rate:{owner}:{minute}", request.method) > limit:
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests: at most %(n)s a minute. Please wait a minute and retry.")
            % {"n": limit},
            retry_after=60 - timezone.now().second,
        )

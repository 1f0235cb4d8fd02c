"""Counting for rate limits, one mechanism for every app (the public
channel's hourly limits, the API's requests per minute).

**The table** (``RateCounter``, unique ``(key, window)``): ``counter_bump``
is one statement, ``INSERT … ON CONFLICT (key, window) DO UPDATE SET count =
count + 1 RETURNING count``, atomic on PostgreSQL and SQLite alike, so twenty
parallel requests against a limit of five get exactly five through and no
two share a number. The shared cache is not used for it (with the database
cache its add + incr is read-then-write). A request that writes anyway
counts here.

**A read's count** (``read_counter_bump``): DESIGN §5 says no GET writes
anything but the session, so a read never counts in the table. It counts in
the shared cache when that is not the database (Redis: atomic add + incr,
across processes), else in the process's own memory (``caches["local"]``);
docs/api.md, "Rate limits", says what that holds with several processes.

**Pruning** (``rate_counters_prune``, hourly job in core.tasks): counters
older than ``KEEP`` are deleted; an app that wants to sum them up first (the
public channel's refusals) registers a summariser with ``on_prune``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from lvzhi.core.models import RateCounter

HOUR = "%Y%m%d%H"
MINUTE = "%Y%m%d%H%M"
# Counters older than this are pruned (an hour's window is then long closed).
KEEP = timedelta(hours=3)
# How long a read's count lives in a cache (its window is at most a minute).
READ_TIMEOUT = 120

Summariser = Callable[["QuerySet[RateCounter]"], Any]
_SUMMARISERS: list[Summariser] = []


def window_now(fmt: str = HOUR) -> str:
    """The current window's name (this hour by default, or ``MINUTE``)."""
    return timezone.now().strftime(fmt)


def counter_bump(key: str, window: str | None = None) -> int:
    """Count one more under ``key`` in ``window`` (default: this hour) and
    return the new count — atomically, also with parallel requests."""
    q = connection.ops.quote_name
    table = q(RateCounter._meta.db_table)
    count = q("count")
    keys = f"{q('key')}, {q('window')}"
    sql = (  # names are ours, values are parameters
        f"INSERT INTO {table} ({keys}, {count}, {q('created_at')}) VALUES (%s, %s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({keys}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window or window_now(), timezone.now()])
        return int(cursor.fetchone()[0])


def counter_value(key: str, window: str | None = None) -> int:
    found = RateCounter.objects.filter(key=key, window=window or window_now()).values_list(
        "count", flat=True
    )
    return int(found[0]) if found else 0


def read_counter_bump(key: str, window: str) -> int:
    """Count one more read under ``key`` in ``window`` without writing the
    database: in the shared cache unless it is the database's, else in this
    process's memory."""
    cache = caches["default"]
    if isinstance(cache, BaseDatabaseCache):
        cache = caches["local"]
    name = f"rate:{key}:{window}"
    cache.add(name, 0, timeout=READ_TIMEOUT)
    try:
        return int(cache.incr(name))
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=READ_TIMEOUT)
        return 1


def on_prune(summarise: Summariser) -> Summariser:
    """Register ``summarise(old_counters)``, called before they are deleted."""
    if summarise not in _SUMMARISERS:
        _SUMMARISERS.append(summarise)
    return summarise


def rate_counters_prune() -> int:
    """Let the registered summarisers read the counters past ``KEEP``, then
    delete them; the number deleted."""
    old = RateCounter.objects.filter(created_at__lt=timezone.now() - KEEP)
    for summarise in _SUMMARISERS:
        summarise(old)
    deleted, _rows = old.delete()
    return deleted

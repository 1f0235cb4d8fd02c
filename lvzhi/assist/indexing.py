"""Filling the search index: the incremental pass the job runs every few
minutes and the full rebuild (``manage.py search_rebuild``).

The other apps cannot call assist (it is a layer above them) and DESIGN
forbids logic in signals, so the job polls: per kind, rows with a pk above
the last one seen, rows whose ``updated_at`` is at or after the start of the
previous pass minus ``OVERLAP`` (a transaction that committed late is still
read), and rows with a new child row (a proposal's new assignment). Kinds
without an ``updated_at`` are also refreshed by the nightly full pass.
Writing an entry is an upsert, so reading a row twice costs only time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lvzhi.assist.models import IndexMark, SearchEntry
from lvzhi.assist.sources import SOURCES, Entry, Source

OVERLAP = timedelta(minutes=10)
CHUNK = 500
UPDATED = ["committee", "year", "title", "body", "tokens", "terms", "url", "indexed_at"]


def _write(kind: str, entries: list[Entry]) -> None:
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                committee_id=e.committee_id,
                kind=kind,
                object_id=e.object_id,
                year=e.year,
                title=e.title,
                body=e.body,
                tokens=e.words,
                terms=e.terms,
                url=e.url,
            )
            for e in entries
        ],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=UPDATED,
    )


def _index_rows(source: Source, rows: Any) -> int:
    batch: list[Entry] = []
    count = 0
    for row in rows.order_by("pk").iterator(chunk_size=CHUNK):
        batch.append(source.entry(row))
        if len(batch) >= CHUNK:
            _write(source.kind, batch)
            count += len(batch)
            batch = []
    if batch:
        _write(source.kind, batch)
        count += len(batch)
    return count


def _drop_gone(source: Source) -> int:
    gone = SearchEntry.objects.filter(kind=source.kind).exclude(
        object_id__in=source.model._default_manager.values("pk")  # type: ignore[attr-defined]
    )
    return gone.delete()[0]


def top_ids(source: Source) -> tuple[int, int]:
    top = source.model._default_manager.aggregate(m=Max("pk"))["m"] or 0  # type: ignore[attr-defined]
    child = 0
    if source.child:
        child = source.child[0]._default_manager.aggregate(m=Max("pk"))["m"] or 0  # type: ignore[attr-defined]
    return top, child


def index_changed() -> dict[str, int]:
    """One incremental pass over every kind; returns the rows read per kind."""
    done: dict[str, int] = {}
    for kind, source in SOURCES.items():
        started = timezone.now()
        with transaction.atomic():
            mark, _ = IndexMark.objects.select_for_update().get_or_create(key=kind)
            # Read the tops first: a row added while this pass runs is read now or next time.
            top, child = top_ids(source)
            since = mark.since - OVERLAP if mark.since else None
            done[kind] = _index_rows(
                source,
                source.changed(since=since, last_id=mark.last_id, last_child_id=mark.last_child_id),
            )
            _drop_gone(source)
            mark.since, mark.last_id, mark.last_child_id = started, top, child
            mark.save()
    return done


def mark_indexed(kind: str, started: Any, tops: tuple[int, int]) -> None:
    """Every row of ``kind`` up to ``tops`` (``top_ids`` read before the
    rows) was indexed by a pass that started at ``started``: the next
    incremental pass reads only what changed since."""
    top, child = tops
    IndexMark.objects.update_or_create(
        key=kind, defaults={"since": started, "last_id": top, "last_child_id": child}
    )


def rebuild(kinds: list[str] | None = None) -> dict[str, int]:
    """Index every row of the kinds (all by default) and drop the entries of
    rows that are gone; then mark the kinds as indexed up to now."""
    done: dict[str, int] = {}
    for kind in kinds or list(SOURCES):
        source = SOURCES[kind]
        started = timezone.now()
        with transaction.atomic():
            tops = top_ids(source)
            done[kind] = _index_rows(source, source.rows())
            _drop_gone(source)
            mark_indexed(kind, started, tops)
    return done


def kinds_without_stamp() -> list[str]:
    return [kind for kind, source in SOURCES.items() if source.stamp is None]

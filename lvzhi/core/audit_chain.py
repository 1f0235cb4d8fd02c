"""The audit trail's hash chain (安全审计 c, 数据完整性).

Every audit row gets a seal (``AuditSeal``, written after the row commits:
core.audit_seal) with its position (``seq``), the hash of the row before it
(``prev_hash``) and its own hash: SHA-256 over a canonical JSON of its fields,
its position and ``prev_hash``. Changing, removing or inserting a row anywhere breaks the
chain from there on; ``manage.py audit_verify`` walks it and names the first
broken link. One chain for the platform, its head (the last position and
hash) in ``AuditChainHead``, locked by the sealer only, so sealers queue and
never fork the chain while business transactions never wait for it.

Archiving (``audit_archive``) removes the oldest rows and records the last
removed position and hash on the head, so the chain still verifies from the
first row that stayed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
VERSION = "v1"

# The columns a row's hash covers, in this order (the model's own fields).
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "committee_id",
    "result",
    "ip",
    "user_agent",
    "request_id",
    "channel",
    "detail",
    "prev_hash",
)


def _canonical(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        # Microseconds in UTC: what both SQLite and PostgreSQL keep.
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if name == "ip":
        return value or ""
    return value


def row_hash(row: Any) -> str:
    """The hash of one audit row (model instance or anything with its fields)."""
    values = [VERSION, *(_canonical(name, getattr(row, name)) for name in HASHED_FIELDS)]
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first broken link: where, and what is wrong."""

    seq: int
    row_id: int | None
    reason: str


def first_break(
    rows: Iterable[Any], *, start_seq: int, start_hash: str, head_seq: int, head_hash: str
) -> Break | None:
    """Walk ``rows`` (in ``seq`` order) from the chain's start; the first link
    that does not hold, or None when the chain is whole up to the head."""
    expected_seq, expected_prev = start_seq + 1, start_hash
    for row in rows:
        if row.seq != expected_seq:
            return Break(expected_seq, None, "missing")
        if row.prev_hash != expected_prev:
            return Break(row.seq, row.pk, "relinked")
        if row_hash(row) != row.hash:
            return Break(row.seq, row.pk, "altered")
        expected_seq, expected_prev = row.seq + 1, row.hash
    if expected_seq - 1 != head_seq or expected_prev != head_hash:
        return Break(expected_seq, None, "truncated")
    return None

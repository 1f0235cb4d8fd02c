"""Sealing audit rows into the hash chain (core.audit_chain), after they commit.

An audit row is inserted by the business transaction that caused it, with no
lock shared by anyone else. When that transaction commits, a short
transaction of its own takes the chain's head (``AuditChainHead``), gives
every committed row not yet in the chain its position, the previous hash and
its own hash (``AuditSeal``, append-only); each seal's insert moves the
head (a trigger, core migration 0013). A row written outside any
transaction (a page's audit of a view) is inserted and sealed in one short
transaction instead (``sealed_with``). Sealers queue
on the head, never on a business row, so no deadlock is possible and audit
writes across the platform no longer wait for each other.

A seal that fails after the commit (the process died) is made up by the
``audit_seal`` job every minute; ``audit_verify`` seals everything first, so it
checks the whole trail. The routine pass looks only at the last day's rows
(the ``created_at`` index) to stay cheap; the full pass looks at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import connections, transaction
from django.utils import timezone

from lvzhi.core.audit_chain import row_hash
from lvzhi.core.models import AuditChainHead, AuditEvent, AuditSeal

BATCH = 1000
# Rows older than this are sealed by the routine pass only if a full pass
# (audit_verify) finds them; a transaction never stays open this long.
ROUTINE_WINDOW = timedelta(days=1)


class _SealAfterCommit:
    """The on-commit callback, one per transaction however many rows it wrote."""

    def __init__(self, using: str) -> None:
        self.using = using

    def __call__(self) -> None:
        seal_pending(using=self.using)


def seal_after_commit(using: str = "default") -> None:
    """Seal this transaction's audit rows once it commits."""
    connection = connections[using]
    # Entries are (savepoint ids, callback, robust).
    waiting = (entry[1] for entry in connection.run_on_commit)
    if connection.in_atomic_block and any(isinstance(c, _SealAfterCommit) for c in waiting):
        return
    # robust: a failure here must not turn a committed change into an error
    # page; the job seals what was left.
    transaction.on_commit(_SealAfterCommit(using), using=using, robust=True)


def sealed_with(row: AuditEvent, using: str, insert: Callable[[], None]) -> bool:
    """Outside any transaction (a page's audit of a view, autocommit) there is
    no business transaction to wait for: the row is inserted and sealed in
    one short transaction that holds the head — no one else can see the row
    before its seal, so no one else can seal it — and the read of pending
    rows is saved (a backlog left by a lost seal is the job's). Inside a
    transaction nothing is done here (False): the row waits for the commit."""
    if connections[using].in_atomic_block:
        return False
    with transaction.atomic(using=using):
        head = AuditChainHead.locked(using)
        insert()
        _link(using, head, [row])
    return True


def _link(using: str, head: AuditChainHead, rows: list[AuditEvent]) -> None:
    """Give ``rows`` (unsealed, in order) their places after the locked head."""
    seq, previous = head.seq, head.last_hash
    seals = []
    for row in rows:
        seq += 1
        seal = AuditSeal(event_id=row.pk, seq=seq, prev_hash=previous)
        # The hash covers the row's fields and its place (seq, prev_hash).
        row.seq, row.prev_hash = seq, previous  # type: ignore[attr-defined]
        seal.hash = previous = row_hash(row)
        seals.append(seal)
    # Each seal's insert moves the head to it (a trigger: core migration 0013).
    AuditSeal.objects.using(using).bulk_create(seals)
    head.seq, head.last_hash = seq, previous


def seal_pending(*, using: str = "default", full: bool = False) -> int:
    """Seal the committed audit rows not yet in the chain, oldest first;
    returns how many. ``full`` looks at every row, not only the last day's."""
    sealed = 0
    while True:
        with transaction.atomic(using=using):
            head = AuditChainHead.locked(using)
            pending = AuditEvent.objects.using(using).filter(seal__isnull=True)
            if not full:
                pending = pending.filter(created_at__gte=timezone.now() - ROUTINE_WINDOW)
            rows = list(pending.order_by("id")[:BATCH])
            if not rows:
                return sealed
            _link(using, head, rows)
            sealed += len(rows)
        if len(rows) < BATCH:
            return sealed

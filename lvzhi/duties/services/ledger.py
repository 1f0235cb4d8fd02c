"""The duty ledger (履职记录). Every app records a member's duties through
these functions, in the same transaction as the change that earned them.

Apps above this layer (points) keep derived figures in step by registering a
ledger listener: ``ledger_listen(on_change)`` is called with the records
written or withdrawn, inside the same transaction. Work that writes many
records at once (closing an activity, loading the demo) runs inside
``ledger_batch()``: the listeners then hear of all of them once, at its end,
so the scores are recounted once per committee and year instead of once per
record.

The ledger checks no permission: it is called only by other services, inside
the transaction of the change that earned (or lost) the duty, after they
checked theirs. Each record written and each record withdrawn gets its own
audit row (``duties.record_write`` / ``duties.record_withdraw``) in that same
transaction, so the points a member earns can always be traced to who
recorded them and why they were withdrawn."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import DomainError
from lvzhi.core.permissions import user_or_none
from lvzhi.duties.audit import RECORD_WITHDRAW, RECORD_WRITE
from lvzhi.duties.models import DutyKind, DutyRecord

LedgerListener = Callable[[Sequence[DutyRecord]], None]
_listeners: list[LedgerListener] = []
# The records held back for the listeners while a batch is open (None: no batch).
_held: ContextVar[list[DutyRecord] | None] = ContextVar("lvzhi_ledger_batch", default=None)


def ledger_listen(listener: LedgerListener) -> None:
    """Register a function told of every record written or withdrawn (AppConfig.ready)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _tell_listeners(records: Sequence[DutyRecord]) -> None:
    held = _held.get()
    if held is not None:
        held.extend(records)
    elif records:
        for listener in _listeners:
            listener(records)


@contextmanager
def ledger_batch() -> Iterator[None]:
    """Tell the listeners of the records written or withdrawn inside the
    block once, when it ends without an error. Use it inside the caller's
    transaction, so derived figures still change in the same transaction; a
    nested batch joins the outer one. Inside the block, derived figures
    (scores) are not yet updated: do not read them there."""
    if _held.get() is not None:
        yield
        return
    held: list[DutyRecord] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    _tell_listeners(held)


def _audit(
    action: str, record: DutyRecord, source: models.Model, actor: Any, **detail: Any
) -> None:
    audit_log(
        action=action,
        actor=user_or_none(actor),
        obj=record,
        member=record.member_id,
        kind=record.kind,
        share=record.share,
        source=f"{source._meta.label_lower}:{source.pk}",
        **detail,
    )


def duty_record(
    *,
    member: Any,
    kind: str,
    date: date,
    source: models.Model,
    actor: Any = None,
    share: Decimal | float | str = Decimal("1"),
    title: str = "",
) -> DutyRecord:
    """Record that ``member`` did ``kind`` on ``date`` because of ``source``.

    Idempotent: recording the same member, kind and source again returns the
    live record unchanged (a retried request never counts twice)."""
    if kind not in DutyKind.values:
        raise DomainError(_("Unknown duty kind."))
    share = Decimal(str(share))
    if not Decimal("0") < share <= Decimal("1"):
        raise DomainError(_("A share of a duty must be more than 0 and at most 1."))
    # What makes a record the same one (the live-record constraint's fields).
    key = {
        "member": member,
        "kind": kind,
        "source_type": ContentType.objects.get_for_model(source),
        "source_id": source.pk,
    }
    live = DutyRecord.objects.filter(**key, withdrawn_at__isnull=True)
    with transaction.atomic():
        existing = live.first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                record = DutyRecord.objects.create(
                    **key,
                    committee_id=member.committee_id,
                    date=date,
                    share=share,
                    title=title[:200],
                    created_by=user_or_none(actor),
                )
        except IntegrityError:
            # A concurrent call recorded it first.
            return live.get()
        _audit(RECORD_WRITE, record, source, actor)
        _tell_listeners([record])
    return record


def duty_records_withdraw(
    *,
    source: models.Model,
    actor: Any = None,
    reason: str = "",
    kinds: Iterable[str] | None = None,
    members: Iterable[Any] | None = None,
) -> list[DutyRecord]:
    """Withdraw the live records a source earned (all, or some kinds/members)."""
    with transaction.atomic():
        rows = DutyRecord.objects.select_for_update().filter(
            source_type=ContentType.objects.get_for_model(source),
            source_id=source.pk,
            withdrawn_at__isnull=True,
        )
        if kinds is not None:
            rows = rows.filter(kind__in=list(kinds))
        if members is not None:
            rows = rows.filter(member__in=list(members))
        withdrawn = list(rows)
        now = timezone.now()
        for record in withdrawn:
            record.withdrawn_at = now
            record.withdrawn_reason = reason[:200]
        DutyRecord.objects.bulk_update(withdrawn, ["withdrawn_at", "withdrawn_reason"])
        for record in withdrawn:
            _audit(RECORD_WITHDRAW, record, source, actor, reason=record.withdrawn_reason)
        _tell_listeners(withdrawn)
    return withdrawn

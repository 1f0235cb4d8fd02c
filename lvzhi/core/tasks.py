"""Periodic jobs of the shared kernel (found by huey's Django integration)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lvzhi.core.audit_seal import seal_pending
from lvzhi.core.notifications import outbox_deliver


@db_periodic_task(crontab(minute="*"))
def deliver_outbox() -> int:
    """Every minute: send the e-mails that changes wrote to the outbox."""
    return outbox_deliver()


@db_periodic_task(crontab(minute="*"))
def seal_audit_trail() -> int:
    """Every minute: seal the audit rows whose seal after commit was lost."""
    return seal_pending()

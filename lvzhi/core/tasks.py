"""Periodic jobs of the shared kernel (found by huey's Django integration)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from lvzhi.core.audit_seal import seal_pending
from lvzhi.core.context import acting_as
from lvzhi.core.exports import export_files_expire, export_job_write
from lvzhi.core.notifications import outbox_deliver
from lvzhi.core.ratelimit import rate_counters_prune


@db_periodic_task(crontab(minute="*"))
def deliver_outbox() -> int:
    """Every minute: send the e-mails that changes wrote to the outbox."""
    return outbox_deliver()


@db_periodic_task(crontab(minute="*"))
def seal_audit_trail() -> int:
    """Every minute: seal the audit rows whose seal after commit was lost."""
    return seal_pending()


@db_task()
def export_job_run(job_id: str) -> None:
    """Write a queued export's file (core.exports)."""
    export_job_write(job_id)


@db_periodic_task(crontab(minute="17", hour="3"))
def expire_export_files() -> int:
    """Every night: remove the files of exports finished a week ago."""
    return export_files_expire()


@db_periodic_task(crontab(minute="17"))
def prune_rate_counters() -> int:
    """Every hour: let the apps sum up old counters (the public channel's
    refusals), then drop them (core.ratelimit)."""
    with acting_as(channel="job:rate_counters"):
        return rate_counters_prune()

"""Periodic job of the API app: units' webhooks (found by huey's Django integration)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lvzhi.api.webhooks import webhook_deliveries_run
from lvzhi.core.context import acting_as


@db_periodic_task(crontab(minute="*"))
def webhooks_every_minute() -> int:
    """Prune and cap the outbox (the services wrote it), then send what is due."""
    with acting_as(channel="job:webhooks"):
        return webhook_deliveries_run()

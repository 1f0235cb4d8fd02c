"""Periodic jobs of the accounts app, found by huey's Django integration
(``run_huey`` imports every installed app's ``tasks`` module)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lvzhi.accounts.services import login_failures_purge


@db_periodic_task(crontab(hour="3", minute="10"))
def purge_stale_login_failures() -> int:
    """Daily: forget failure counters untouched for a day (locks stay until they end)."""
    return login_failures_purge()

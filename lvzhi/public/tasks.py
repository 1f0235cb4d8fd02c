"""Periodic jobs of the public channel (found by huey's Django integration)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lvzhi.core.context import acting_as
from lvzhi.public.services import reminders_send


@db_periodic_task(crontab(hour="8", minute="10"))
def remind_messages_due() -> int:
    """Every morning: remind of messages due within two working days and overdue ones."""
    with acting_as(channel="job:public_reminders"):
        return reminders_send()

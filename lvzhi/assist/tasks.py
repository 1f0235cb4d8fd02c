"""Periodic jobs of assist (found by huey's Django integration): the search
index kept in step with the other apps, and the unit-routing model retrained."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lvzhi.assist import indexing, training
from lvzhi.core.context import acting_as


@db_periodic_task(crontab(minute="*/5"))
def search_index_changed() -> dict[str, int]:
    """Every five minutes: index the rows changed since the last pass."""
    with acting_as(channel="job:search_index"):
        return indexing.index_changed()


@db_periodic_task(crontab(hour="2", minute="20"))
def assist_nightly() -> int:
    """Nightly: re-read the kinds that carry no change time, then retrain
    every committee's unit-routing model on its assignments."""
    with acting_as(channel="job:assist_nightly"):
        indexing.index_changed()
        indexing.rebuild(indexing.kinds_without_stamp())
        return training.train_all()

"""Reports read from a replica when one is configured (lvzhi/core/db_router.py):
reads inside ``reading_from_replica()`` go to ``replica``, everything else —
and every write — to ``default``; the reports pages read inside it, the other
pages never."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Role
from lvzhi.core import db_router
from lvzhi.core.db_router import REPLICA, ReplicaRouter, reading_from_replica
from lvzhi.org.models import Committee


def test_reads_go_to_the_replica_only_inside_the_context_and_only_when_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    router = ReplicaRouter()
    assert db_router.replica_configured() is False  # no DATABASE_REPLICA_URL here
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    assert router.db_for_read(Committee) is None
    with reading_from_replica():
        assert router.db_for_read(Committee) == REPLICA
        assert router.db_for_write(Committee) == "default"
    assert router.db_for_read(Committee) is None
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)
    with reading_from_replica():
        assert router.db_for_read(Committee) is None  # no replica: the primary


def test_the_replica_is_never_migrated() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate("default", "proposals") is True
    assert router.allow_migrate(REPLICA, "proposals") is False


@pytest.mark.django_db
def test_the_dashboard_reads_inside_the_replica_context_and_other_pages_outside(
    client_for: Any, make_user: Any, committee: Committee, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def configured() -> bool:
        asked.append(db_router._on_replica.get())
        return False  # keep the test on its one database

    monkeypatch.setattr(db_router, "replica_configured", configured)
    client = client_for(make_user(Role.LEADER, committee))
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert asked and all(asked)
    asked.clear()
    assert client.get(reverse("proposals:list")).status_code == 200
    assert not any(asked)

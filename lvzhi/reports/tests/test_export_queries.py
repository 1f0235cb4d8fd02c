"""An export reads the one table asked for, and the year's text each
section's headline figures only: every table's .xlsx and the year's .docx
cost at most 15 queries (DESIGN §7), the same for N proposals as for 3N,
their audit row and its seal included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.accounts.models import Role
from lvzhi.core.models import AuditEvent, AuditSeal
from lvzhi.core.testing import assert_same_queries
from lvzhi.org.tests.factories import HandlingUnitFactory
from lvzhi.reports.figures import SECTIONS
from lvzhi.reports.tests.conftest import YEAR, Known, S, assign, make_proposal


def _queries(client: Client, url: str, params: dict[str, Any]) -> int:
    assert client.get(url, params).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        assert response.status_code == 200, params
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return len(queries)


def _proposals(known: Known) -> Callable[[int], None]:
    def add(n: int) -> None:
        for i in range(n):
            unit = HandlingUnitFactory(committee=known.committee)
            day = dt.date(YEAR, 3, 1 + i % 20)
            proposal = make_proposal(known.member, day, S.REPLIED, category=known.category)
            assign(proposal, unit, replied=day, due=dt.date(YEAR, 6, 1), cls="A")

    return add


# Transactional: the request runs outside a transaction, as in production,
# so the export's audit row is sealed (and counted) in it.
@pytest.mark.django_db(transaction=True)
def test_each_table_and_the_year_text_export_in_at_most_15_queries(
    known: Known, make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user(Role.LEADER, known.committee, username="leader"))
    page = client.get(reverse("reports:section", args=["proposals"]), {"year": YEAR})
    keys = [t.key for t in page.context["sections"][0].tables]
    for spec in SECTIONS.values():
        keys += list(spec.tables)
    exports = {
        key: {"table": key, "year": YEAR} for key in [*dict.fromkeys(keys), "opinions.by_level"]
    }
    add = _proposals(known)
    for key, params in exports.items():
        counted = assert_same_queries(
            add, lambda p=params: _queries(client, reverse("reports:export"), p), n=2
        )
        assert counted <= 15, key
    text = assert_same_queries(
        add, lambda: _queries(client, reverse("reports:year_export"), {"year": YEAR}), n=2
    )
    assert text <= 15
    exported = AuditEvent.objects.filter(action__in=["reports.table_export", "reports.year_export"])
    assert exported.exists()
    assert AuditSeal.objects.filter(event__in=exported).count() == exported.count()

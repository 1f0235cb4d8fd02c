"""prefetch_present: a relation is fetched for the rows flagged as having
some, and the others read an empty list without a query."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Exists, OuterRef, Prefetch

from lvzhi.core.prefetch import prefetch_present
from lvzhi.core.tests.workflow_models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def _tickets(committee: Any) -> list[Ticket]:
    busy = Ticket.objects.create(committee=committee, title="busy")
    Ticket.objects.create(committee=committee, title="quiet")
    for action in ("open", "close"):
        TicketEvent.objects.create(ticket=busy, from_state="a", to_state="b", action=action)
    flag = Exists(TicketEvent.objects.filter(ticket=OuterRef("pk")))
    return list(Ticket.objects.annotate(has_events=flag).order_by("title"))


def test_only_the_flagged_rows_cost_a_query(committee: Any, django_assert_num_queries: Any) -> None:
    busy, quiet = _tickets(committee)
    with django_assert_num_queries(1):
        prefetch_present([busy, quiet], {"has_events": "events"})
    with django_assert_num_queries(0):
        assert sorted(e.action for e in busy.events.all()) == ["close", "open"]
        assert list(quiet.events.all()) == []


def test_a_prefetch_with_its_own_queryset_keeps_it(
    committee: Any, django_assert_num_queries: Any
) -> None:
    busy, quiet = _tickets(committee)
    ordered = Prefetch("events", queryset=TicketEvent.objects.order_by("-action"))
    with django_assert_num_queries(1):
        prefetch_present([busy, quiet], {"has_events": ordered})
    with django_assert_num_queries(0):
        assert [e.action for e in busy.events.all()] == ["open", "close"]
        assert list(quiet.events.all()) == []


def test_no_rows_no_queries(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        prefetch_present([], {"has_events": "events"})

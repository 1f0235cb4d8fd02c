"""Concurrency on the SQLite file database (WAL, IMMEDIATE transactions):
two office users registering at once get distinct consecutive numbers, and
two submits of one draft give one submission."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from lvzhi.core.errors import DomainError
from lvzhi.duties.models import DutyKind
from lvzhi.duties.selectors import records_of_source
from lvzhi.proposals import services
from lvzhi.proposals.models import NumberCounter, Proposal
from lvzhi.proposals.tests.conftest import build_world, draft, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call at the same moment in its own thread (own connection)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # collected and asserted by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_registrations_at_once_get_distinct_consecutive_numbers() -> None:
    world = build_world("conc-a")
    first, second = submitted(world, title="甲"), submitted(world, title="乙")
    for _round in range(3):
        results = run_together(
            lambda a=first: services.proposal_register(actor=world.staff, proposal=a),
            lambda b=second: services.proposal_register(actor=world.staff, proposal=b),
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        numbers = sorted(
            Proposal.objects.filter(number__isnull=False).values_list("number", flat=True)
        )
        assert numbers[-2:] == [numbers[-2], numbers[-2] + 1]
        first, second = submitted(world, title="丙"), submitted(world, title="丁")
    numbers = sorted(Proposal.objects.exclude(number=None).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert NumberCounter.objects.get(committee=world.committee).last_number == 6


def test_two_submits_of_one_draft_give_one_submission() -> None:
    world = build_world("conc-b")
    proposal = draft(world)
    results = run_together(
        lambda: services.proposal_submit(actor=world.proposer_user, proposal=proposal),
        lambda: services.proposal_submit(actor=world.proposer_user, proposal=proposal),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError), results
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.events.filter(action="submit").count() == 1
    assert records_of_source(proposal).filter(kind=DutyKind.PROPOSAL_FILED).count() == 1

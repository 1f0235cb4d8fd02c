"""The proposal's page costs a fixed number of queries for every role,
whatever its history: co-signers and assignments come with the row, each
assignment's parts only when it has some, files in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.core.testing import assert_same_queries
from lvzhi.proposals.models import Proposal, SupervisionNote
from lvzhi.proposals.tests.conftest import World, draft, replied

pytestmark = pytest.mark.django_db

BUDGET = 15


def _queries(user: object, proposal: Proposal) -> int:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    path = reverse("proposals:detail", args=[proposal.pk])
    assert client.get(path).status_code == 200  # stores the session's clocks
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _add_history(world: World, proposal: Proposal, n: int) -> None:
    """``n`` supervision notes and ``n`` proposals merged into this one."""
    SupervisionNote.objects.bulk_create(
        SupervisionNote(proposal=proposal, text=f"督办{i}", author=world.staff) for i in range(n)
    )
    for _ in range(n):
        merged = draft(world)
        Proposal.objects.filter(pk=merged.pk).update(merged_into=proposal)


def test_a_replied_proposal_opens_within_15_queries_for_every_role(world: World) -> None:
    proposal = replied(world)
    _add_history(world, proposal, 1)
    for user in (
        world.staff,
        world.leader,
        world.proposer_user,
        world.lead_user,
        world.co_user,
    ):
        assert _queries(user, proposal) <= BUDGET, user


def test_the_page_costs_the_same_with_three_times_the_notes_and_merged_proposals(
    world: World,
) -> None:
    proposal = replied(world)
    assert_same_queries(
        lambda n: _add_history(world, proposal, n),
        lambda: _queries(world.staff, proposal),
        n=2,
    )

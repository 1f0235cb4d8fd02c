"""The proposals' to-dos on the home page count exactly the rows waiting for
that user in that committee, and the queue each links to lists the same rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.org.tests.todo_helpers import counts, home_todos, queue_rows
from lvzhi.proposals import services
from lvzhi.proposals.models import Assignment, ProposalCategory
from lvzhi.proposals.tests.conftest import (
    World,
    assigned,
    draft,
    lead_assignment,
    registered,
    replied,
    submitted,
)

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2025, 1, 6)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def elsewhere(world: World) -> None:
    """The same kinds of rows in the other committee: never counted here."""
    category = ProposalCategory.objects.filter(committee=world.other_committee).first()
    actor = world.other_member.person.user
    for _ in range(2):
        proposal = services.proposal_draft_save(
            actor=actor,
            committee=world.other_committee,
            title="外县的提案",
            category=category,
            kind="individual",
            reason="理由",
            suggestions="建议",
        )
    services.proposal_submit(actor=actor, proposal=proposal)


def test_a_members_cosign_requests_drafts_and_replies_to_evaluate(world: World):
    elsewhere(world)
    draft(world)
    draft(world, kind="joint", cosigners=[world.cosigner])
    replied(world)
    submitted(world)  # neither a draft nor waiting for the member
    mine = counts(client_of(world.proposer_user))
    assert mine["Proposal drafts"] == 2
    assert mine["Replies to evaluate"] == 1
    assert mine["Co-sign requests"] == 0
    # The links narrow the member's list to the same rows.
    member = client_of(world.proposer_user)
    todos = home_todos(member)
    assert queue_rows(member, todos["Proposal drafts"]) == 2
    assert queue_rows(member, todos["Replies to evaluate"]) == 1
    theirs = counts(client_of(world.cosigner_user))
    assert theirs["Co-sign requests"] == 1
    assert theirs["Proposal drafts"] == 0
    assert theirs["Replies to evaluate"] == 0


def test_the_office_sees_reviews_requests_and_overdue_replies_and_each_queue_lists_them(
    world: World,
):
    elsewhere(world)
    submitted(world)
    submitted(world)
    late = assigned(world, today=LONG_AGO)  # reply due long ago: overdue
    asking = assigned(world)
    lead = lead_assignment(asking)
    services.assignment_accept(actor=world.lead_user, assignment=lead)
    services.extension_request(
        actor=world.lead_user,
        assignment=lead,
        requested_due=lead.due + dt.timedelta(days=30),
        reason="需要多部门会商",
    )
    leaving = assigned(world)
    co = leaving.assignments.get(role=Assignment.Role.CO)
    services.reassignment_request(actor=world.co_user, assignment=co, reason="不属于本单位职责")
    client = client_of(world.staff)
    todos = home_todos(client)
    expected = {
        "Proposals waiting for review": 2,
        "Extension requests waiting": 1,
        "Reassignment requests waiting": 1,
        "Proposals with an overdue reply": 1,
    }
    for label, n in expected.items():
        assert todos[label]["count"] == n, label
        assert queue_rows(client, todos[label]) == n, label
    assert todos["Proposals with an overdue reply"]["alert"]
    assert late.pk in [
        p.pk
        for p in client.get(todos["Proposals with an overdue reply"]["url"]).context["page_obj"]
    ]
    # The other committee's office sees none of it.
    other = counts(client_of(world.other_staff))
    assert other["Proposals waiting for review"] == 1
    assert other["Extension requests waiting"] == 0


def test_a_unit_sees_what_to_sign_for_what_is_due_soon_and_what_is_overdue(world: World):
    today = timezone.localdate()
    assigned(world)  # to sign for, due in months
    signed = assigned(world)
    soon = lead_assignment(signed)
    services.assignment_accept(actor=world.lead_user, assignment=soon)
    Assignment.objects.filter(pk=soon.pk).update(reply_due=today + dt.timedelta(days=3))
    extended = lead_assignment(assigned(world, today=LONG_AGO))  # overdue, and not signed for
    Assignment.objects.filter(pk=extended.pk).update(extended_due=today + dt.timedelta(days=60))
    assigned(world, today=LONG_AGO)  # overdue, not signed for
    client = client_of(world.lead_user)
    todos = home_todos(client)
    expected = {
        "Assignments to sign for": 3,
        "Replies due within 7 days": 1,
        "Replies overdue": 1,  # the extended one is not overdue
    }
    for label, n in expected.items():
        assert todos[label]["count"] == n, label
        assert queue_rows(client, todos[label]) == n, label
    assert todos["Replies overdue"]["alert"]
    # Another unit of the same committee has its own rows only: the co-unit's
    # four assignments are unsigned, none of them is the lead unit's.
    assert counts(client_of(world.co_user))["Assignments to sign for"] == 4
    assert counts(client_of(world.other_unit_user))["Assignments to sign for"] == 0


def test_a_leader_sees_the_open_key_proposals_they_supervise(world: World, make_user):
    from lvzhi.accounts.models import Role

    other_leader = make_user(Role.LEADER, world.committee)
    mine = registered(world)
    services.proposal_mark_key(actor=world.leader, proposal=mine, supervisor=world.leader)
    theirs = registered(world)
    services.proposal_mark_key(actor=world.leader, proposal=theirs, supervisor=other_leader)
    registered(world)  # not key
    client = client_of(world.leader)
    todo = home_todos(client)["Key proposals I supervise"]
    assert todo["count"] == 1
    assert queue_rows(client, todo) == 1
    assert counts(client_of(other_leader))["Key proposals I supervise"] == 1


def test_the_requests_queue_lists_each_state_by_its_label(world: World) -> None:
    asking = assigned(world)
    lead = lead_assignment(asking)
    services.assignment_accept(actor=world.lead_user, assignment=lead)
    request = services.extension_request(
        actor=world.lead_user,
        assignment=lead,
        requested_due=lead.due + dt.timedelta(days=30),
        reason="需要多部门会商",
    )
    services.extension_decide(actor=world.staff, request=request, approve=False)
    services.extension_request(
        actor=world.lead_user,
        assignment=lead,
        requested_due=lead.due + dt.timedelta(days=20),
        reason="再次申请",
    )
    client = client_of(world.staff)
    url = reverse("proposals:requests")
    page = client.get(url + "?kind=extension")
    assert page.context["page_obj"].paginator.count == 2
    import re

    states = re.findall(r'request-state-badge[^"]*">([^<]*)<', page.content.decode())
    assert len(states) == 2 and "待处理" in states, states
    assert "待发送" not in states and "pending" not in states
    pending = client.get(url + "?kind=extension&state=pending")
    assert [r.reason for r in pending.context["page_obj"]] == ["再次申请"]
    refused = client.get(url + "?kind=extension&state=refused")
    assert [r.reason for r in refused.context["page_obj"]] == ["需要多部门会商"]
    assert client.get(url + "?kind=reassignment").context["page_obj"].paginator.count == 0
    # Units, members and another committee's office do not see the queue.
    for outsider in (world.lead_user, world.proposer_user):
        assert client_of(outsider).get(url).status_code in (403, 404)
    assert client_of(world.other_staff).get(url).context["page_obj"].paginator.count == 0


def test_the_requests_queue_costs_the_same_with_three_times_the_requests(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lvzhi.core.testing import assert_same_queries
    from lvzhi.proposals.models import ReassignmentRequest

    proposal = assigned(world)
    co = proposal.assignments.get(role=Assignment.Role.CO)
    client = client_of(world.staff)
    url = reverse("proposals:requests") + "?kind=reassignment"

    def build(n: int) -> None:
        ReassignmentRequest.objects.bulk_create(
            ReassignmentRequest(assignment=co, reason=f"理由{i}", created_by=world.co_user)
            for i in range(n)
        )

    def measure() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert assert_same_queries(build, measure, n=10, page_size=25) <= 15

"""The proposals endpoints of the JSON API: a member's own proposals and a
proposal's detail with its timeline, under the pages' permission."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.api import services as api_services
from lvzhi.proposals.tests.conftest import World, draft, registered, submitted


def _client(world: World, user) -> Client:
    token = api_services.api_token_create(
        actor=user, name="手机", scope="read", days=30, committee=world.committee
    ).token
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_member_lists_their_own_proposals_only(world: World) -> None:
    mine = draft(world)
    draft(world, actor=world.cosigner_user, title="关于另一位委员的建议")
    body = _client(world, world.proposer_user).get("/api/v1/proposals/mine").json()
    assert [row["id"] for row in body["items"]] == [mine.pk]
    assert body["items"][0]["status_label"] == "草稿"


def test_the_detail_carries_the_timeline_with_labels(world: World) -> None:
    proposal = registered(world)
    response = _client(world, world.proposer_user).get(f"/api/v1/proposals/{proposal.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"].startswith("第")
    assert [e["action"] for e in body["timeline"]][-2:] == ["submit", "register"]
    assert all(e["label"] and e["label"] != e["action"] for e in body["timeline"][-2:])


def test_another_members_draft_and_another_committees_proposal_are_404(world: World) -> None:
    others = draft(world, actor=world.cosigner_user, title="关于他人草稿的建议")
    client = _client(world, world.proposer_user)
    assert client.get(f"/api/v1/proposals/{others.pk}").status_code == 404
    foreign = submitted(world)
    foreign.committee = world.other_committee  # same id space, other tenant
    foreign.save(update_fields=["committee"])
    response = client.get(f"/api/v1/proposals/{foreign.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_anonymous_callers_are_401(world: World) -> None:
    response = Client().get("/api/v1/proposals/mine")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_the_list_costs_the_same_queries_for_two_or_six_proposals(world: World) -> None:
    client = _client(world, world.proposer_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/proposals/mine").status_code == 200
        return len(queries)

    for _ in range(2):
        draft(world)
    count()  # the token's first use writes its last-use time once
    small = count()
    for _ in range(4):
        draft(world)
    assert count() == small

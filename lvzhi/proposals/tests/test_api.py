"""The proposals endpoints of the JSON API: a member's own proposals and a
proposal's detail with its timeline, under the pages' permission."""

from __future__ import annotations

from django.test import Client

from lvzhi.api import services as api_services
from lvzhi.api.tests.clients import assert_flat_queries, queries_of
from lvzhi.core.testing import assert_same_queries
from lvzhi.proposals.models import CoSigner, Proposal, ProposalEvent
from lvzhi.proposals.tests.conftest import World, draft, registered, submitted


def _client(world: World, user, scope: str = "read") -> Client:
    token = api_services.api_token_create(
        actor=user, name="手机", scope=scope, days=30, committee=world.committee
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
    assert_flat_queries(client, "/api/v1/proposals/mine?page_size=4", lambda n: draft(world))


def test_a_member_submits_once_even_when_the_phone_retries(world: World) -> None:
    proposal = draft(world)
    client = _client(world, world.proposer_user, scope="write")
    url = f"/api/v1/proposals/{proposal.pk}/submit"
    first = client.post(url, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and first.json()["status"] == "submitted"
    assert proposal.events.filter(action="submit").count() == 1
    # Without the key a second submit is refused by the workflow: the state moved on.
    refused = client.post(url, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"


def test_only_the_proposer_may_submit_and_withdraw(world: World) -> None:
    proposal = draft(world, kind="joint", cosigners=[world.cosigner])
    cosigner = _client(world, world.cosigner_user, scope="write")
    refused = cosigner.post(
        f"/api/v1/proposals/{proposal.pk}/submit", content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_withdrawing_takes_a_reason_and_bad_input_changes_nothing(world: World) -> None:
    proposal = submitted(world)
    client = _client(world, world.proposer_user, scope="write")
    url = f"/api/v1/proposals/{proposal.pk}/withdraw"
    too_long = client.post(url, {"reason": "长" * 501}, content_type="application/json")
    assert too_long.status_code == 422
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    done = client.post(url, {"reason": "内容需要补充调研"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"


def test_an_invited_co_signer_answers_through_the_api(world: World) -> None:
    proposal = draft(world, kind="joint", cosigners=[world.cosigner])
    client = _client(world, world.cosigner_user, scope="write")
    response = client.post(
        f"/api/v1/proposals/{proposal.pk}/cosign",
        {"confirm": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert CoSigner.objects.get(proposal=proposal).state == CoSigner.State.CONFIRMED
    wrong_type = client.post(
        f"/api/v1/proposals/{proposal.pk}/cosign",
        {"confirm": "maybe"},
        content_type="application/json",
    )
    assert wrong_type.status_code == 422


def test_a_units_inbox_holds_only_its_assignments_and_it_signs_for_one(world: World) -> None:
    from lvzhi.proposals.tests.conftest import assigned

    proposal = assigned(world)
    lead = proposal.assignments.get(role="lead")
    client = _client(world, world.lead_user, scope="write")
    inbox = client.get("/api/v1/proposals/assignments").json()
    assert [row["id"] for row in inbox["items"]] == [lead.pk]
    assert inbox["items"][0]["proposal"]["title"] == proposal.title
    accepted = client.post(
        f"/api/v1/proposals/assignments/{lead.pk}/accept", content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "active"
    assert proposal.events.filter(action="accept").count() == 1
    co = proposal.assignments.get(role="co")
    other = client.post(
        f"/api/v1/proposals/assignments/{co.pk}/accept", content_type="application/json"
    )
    assert other.status_code == 404


def test_a_member_has_no_unit_inbox(world: World) -> None:
    response = _client(world, world.proposer_user).get("/api/v1/proposals/assignments")
    assert response.status_code == 403


def test_the_detail_costs_the_same_queries_for_a_short_or_a_long_timeline(world: World) -> None:
    proposal = registered(world)
    client = _client(world, world.proposer_user)
    url = f"/api/v1/proposals/{proposal.pk}"
    client.get(url)  # the token's first use writes its last-use time once

    def events(count: int) -> None:
        for _ in range(count):
            ProposalEvent.objects.create(
                proposal=proposal, action="precontact", actor=world.staff, note="电话沟通"
            )

    assert_same_queries(events, lambda: queries_of(client, url), n=2)

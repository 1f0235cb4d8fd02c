"""The proposal chain over the JSON API: a member's token drafts, invites a
co-signer, submits and later evaluates; the office registers, declines,
returns and assigns; bad input and other committees' ids change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.api import services as api_services
from lvzhi.proposals import services
from lvzhi.proposals.models import Assignment, CoSigner, Evaluation, Proposal, ProposalCategory
from lvzhi.proposals.tests.conftest import World, draft, lead_assignment, replied, submitted


def _client(world: World, user: Any, committee: Any = None) -> Client:
    token = api_services.api_token_create(
        actor=user, name="手机", scope="write", days=30, committee=committee or world.committee
    ).token
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(client: Client, url: str, data: Any = None, **headers: Any) -> Any:
    return client.post(url, data or {}, content_type="application/json", **headers)


def _draft_body(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "关于完善社区养老服务的建议",
        "kind": "joint",
        "category_id": world.category.pk,
        "reason": "老龄化加快，社区养老服务供给不足。",
        "suggestions": "一、建设嵌入式养老机构；二、发展助餐服务。",
        "cosigner_ids": [world.cosigner.pk],
    }
    body.update(changes)
    return body


def test_a_members_token_drafts_invites_submits_and_later_evaluates(world: World) -> None:
    member = _client(world, world.proposer_user)
    made = _post(
        member, "/api/v1/proposals/drafts", _draft_body(world), HTTP_IDEMPOTENCY_KEY="draft-1"
    )
    assert made.status_code == 200, made.content
    pk = made.json()["id"]
    assert made.json()["cosigners"] == [
        {"member_id": world.cosigner.pk, "name": "王附议", "state": "invited"}
    ]
    # The phone retries the same request: still one draft.
    again = _post(
        member, "/api/v1/proposals/drafts", _draft_body(world), HTTP_IDEMPOTENCY_KEY="draft-1"
    )
    assert again.json()["id"] == pk and Proposal.objects.count() == 1
    edited = member.put(
        f"/api/v1/proposals/{pk}",
        _draft_body(world, title="关于完善社区居家养老服务的建议"),
        content_type="application/json",
    )
    assert edited.status_code == 200 and edited.json()["title"] == "关于完善社区居家养老服务的建议"
    cosigner = _client(world, world.cosigner_user)
    assert _post(cosigner, f"/api/v1/proposals/{pk}/cosign", {"confirm": True}).status_code == 200
    submitted_ = _post(member, f"/api/v1/proposals/{pk}/submit")
    assert submitted_.status_code == 200 and submitted_.json()["status"] == "submitted"
    # The office registers and assigns through the API too.
    office = _client(world, world.staff)
    assert _post(office, f"/api/v1/proposals/{pk}/register").json()["status"] == "registered"
    assigned = _post(
        office,
        f"/api/v1/proposals/{pk}/assign",
        {"lead_id": world.lead_unit.pk, "co_unit_ids": [world.co_unit.pk]},
    )
    assert assigned.status_code == 200, assigned.content
    assert {row["role"] for row in assigned.json()} == {"lead", "co"}
    proposal = Proposal.objects.get(pk=pk)
    lead = lead_assignment(proposal)
    services.assignment_accept(actor=world.lead_user, assignment=lead)
    services.assignment_precontact(
        actor=world.lead_user,
        assignment=lead,
        when=timezone.localdate(),
        way="phone",
        summary="电话沟通",
    )
    services.assignment_reply(actor=world.lead_user, assignment=lead, text="答复", reply_class="A")
    evaluated = _post(
        member,
        f"/api/v1/proposals/{pk}/evaluate",
        {"contact": "satisfied", "attitude": "satisfied", "result": "basic"},
    )
    assert evaluated.status_code == 200, evaluated.content
    proposal.refresh_from_db()
    assert proposal.status == "evaluated"
    assert Evaluation.objects.filter(proposal=proposal).count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "长" * 101},
        {"title": 5},
        {"kind": "secret"},
        {"category_id": "社会建设"},
        {"reason": "长" * 10_001},
        {"cosigner_ids": "all"},
        {"colour": "red"},
    ],
)
def test_bad_draft_input_is_422_and_makes_nothing(world: World, changes: dict[str, Any]) -> None:
    response = _post(
        _client(world, world.proposer_user),
        "/api/v1/proposals/drafts",
        _draft_body(world, **changes),
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input" and response.json()["errors"]
    assert not Proposal.objects.exists()


def test_another_committees_ids_are_refused_and_make_nothing(world: World) -> None:
    client = _client(world, world.proposer_user)
    foreign_category = ProposalCategory.objects.filter(committee=world.other_committee).first()
    assert foreign_category is not None
    for changes in (
        {"category_id": foreign_category.pk},
        {"cosigner_ids": [world.other_member.pk]},
        {"category_id": 999_999},
    ):
        response = _post(client, "/api/v1/proposals/drafts", _draft_body(world, **changes))
        assert response.status_code == 422, (changes, response.content)
        assert response.json()["code"] == "validation_failed" and response.json()["message"]
    assert not Proposal.objects.exists() and not CoSigner.objects.exists()


def test_the_office_declines_with_a_ground_and_returns_with_a_reason(world: World) -> None:
    office = _client(world, world.staff)
    one, two = submitted(world), submitted(world, title="关于第二件事的建议")
    no_ground = _post(office, f"/api/v1/proposals/{one.pk}/decline", {"ground_id": 0})
    assert no_ground.status_code == 422
    declined = _post(office, f"/api/v1/proposals/{one.pk}/decline", {"ground_id": world.ground.pk})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    empty = _post(office, f"/api/v1/proposals/{two.pk}/return", {"reason": ""})
    assert empty.status_code == 422
    returned = _post(office, f"/api/v1/proposals/{two.pk}/return", {"reason": "请补充调研数据"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"


def test_assigning_to_another_committees_unit_is_refused(world: World) -> None:
    proposal = services.proposal_register(actor=world.staff, proposal=submitted(world))
    from lvzhi.org.tests.factories import HandlingUnitFactory

    foreign = HandlingUnitFactory(committee=world.other_committee, name="别处县教育局")
    response = _post(
        _client(world, world.staff),
        f"/api/v1/proposals/{proposal.pk}/assign",
        {"lead_id": foreign.pk},
    )
    assert response.status_code == 422
    assert not Assignment.objects.exists()


# role × relation × endpoint: who may press which button of the chain.
MATRIX = [
    ("register", "proposer_user", 403),
    ("register", "lead_user", 404),
    ("register", "leader", 403),
    ("register", "other_staff", 404),
    ("register", "staff", 200),
    ("return", "cosigner_user", 404),
    ("return", "staff", 200),
    ("submit", "staff", 403),
    ("evaluate", "staff", 403),
]


@pytest.mark.parametrize(("action", "who", "status"), MATRIX)
def test_the_permission_matrix_of_the_chain(
    world: World, action: str, who: str, status: int
) -> None:
    proposal = submitted(world)
    user = getattr(world, who)
    committee = world.other_committee if who == "other_staff" else world.committee
    data = {"reason": "请补充"} if action == "return" else {}
    if action == "evaluate":
        data = {"contact": "satisfied", "attitude": "satisfied", "result": "satisfied"}
    response = _post(
        _client(world, user, committee), f"/api/v1/proposals/{proposal.pk}/{action}", data
    )
    assert response.status_code == status, response.content
    if status != 200:
        proposal.refresh_from_db()
        assert proposal.status == "submitted"


def test_a_dissatisfied_evaluation_with_a_wrong_value_is_refused(world: World) -> None:
    proposal = replied(world)
    response = _post(
        _client(world, world.proposer_user),
        f"/api/v1/proposals/{proposal.pk}/evaluate",
        {"contact": "meh", "attitude": "satisfied", "result": "satisfied"},
    )
    assert response.status_code == 422
    assert not Evaluation.objects.exists()


def test_a_draft_of_another_member_cannot_be_edited(world: World) -> None:
    others = draft(world, actor=world.cosigner_user)
    response = _client(world, world.proposer_user).put(
        f"/api/v1/proposals/{others.pk}", _draft_body(world), content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("register", {"note": "长" * 501}),
        ("register", {"note": 5}),
        ("register", {"note": "好", "number": 1}),
        ("decline", {}),
        ("decline", {"ground_id": "不属于"}),
        ("return", {}),
        ("return", {"reason": "长" * 501}),
        ("assign", {"lead_id": "教育局"}),
        ("assign", {"co_unit_ids": 3}),
        ("assign", {"lead_id": 1, "extra": True}),
    ],
)
def test_bad_input_of_the_offices_buttons_is_422_and_changes_nothing(
    world: World, action: str, data: dict[str, Any]
) -> None:
    proposal = submitted(world)
    if action == "assign":
        proposal = services.proposal_register(actor=world.staff, proposal=proposal)
    before = proposal.status
    response = _post(_client(world, world.staff), f"/api/v1/proposals/{proposal.pk}/{action}", data)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input" and response.json()["errors"]
    proposal.refresh_from_db()
    assert proposal.status == before and not Assignment.objects.exists()

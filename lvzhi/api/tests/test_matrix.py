"""The permission matrix over the proposal endpoints: role × relation ×
endpoint, through tokens and a unit's system credential. Each refusal leaves
the proposal where it was; another committee's caller gets 404, as on the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.accounts.models import Role
from lvzhi.api import services
from lvzhi.api.tests.clients import assert_flat_queries, post_json, token_client
from lvzhi.core.errors import PermissionDenied
from lvzhi.proposals.tests.conftest import (
    World,
    assigned,
    build_world,
    lead_assignment,
    make_role_user,
)


@pytest.fixture
def world(db: None) -> World:
    return build_world("matrix")


def _caller(world: World, who: str) -> Client:
    if who == "anonymous":
        return Client()
    if who in ("lead_oa", "co_oa"):
        unit = world.lead_unit if who == "lead_oa" else world.co_unit
        token = services.unit_credential_create(
            actor=world.staff, unit=unit, name="OA", days=30
        ).token
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    user = getattr(world, who)
    committee = world.other_committee if who == "other_staff" else world.committee
    return token_client(user, committee)


WHO = [
    "anonymous",
    "proposer_user",
    "cosigner_user",
    "staff",
    "leader",
    "lead_user",
    "co_user",
    "other_unit_user",
    "lead_oa",
    "co_oa",
    "other_staff",
]

# (method, endpoint, {who: status}, everyone else). A unit endpoint refuses a
# caller who is no unit at all (403) and hides another unit's assignment (404).
UNITS = ("lead_user", "co_user", "other_unit_user", "lead_oa", "co_oa")
ON_LEAD = {"lead_user": 200, "lead_oa": 200, "co_user": 404, "co_oa": 404, "other_unit_user": 404}
ON_CO = {"co_user": 200, "co_oa": 200, "lead_user": 404, "lead_oa": 404, "other_unit_user": 404}
SEE = (
    "proposer_user",
    "staff",
    "leader",
    "lead_user",
    "co_user",
    "lead_oa",
    "co_oa",
)
MATRIX: list[tuple[str, str, dict[str, int], int]] = [
    ("get", "inbox", dict.fromkeys(UNITS, 200), 403),
    ("get", "detail", dict.fromkeys(SEE, 200), 404),
    ("post", "accept", ON_LEAD, 403),
    ("post", "precontact", ON_LEAD, 403),
    ("post", "co-opinion", ON_CO, 403),
]
OVERRIDES = {"anonymous": 401}


def _url(world: World, endpoint: str, proposal: Any) -> tuple[str, dict[str, Any]]:
    lead = lead_assignment(proposal)
    co = proposal.assignments.get(role="co")
    if endpoint == "inbox":
        return "/api/v1/proposals/assignments", {}
    if endpoint == "detail":
        return f"/api/v1/proposals/{proposal.pk}", {}
    if endpoint == "accept":
        return f"/api/v1/proposals/assignments/{lead.pk}/accept", {}
    if endpoint == "precontact":
        when = str(timezone.localdate())
        return f"/api/v1/proposals/assignments/{lead.pk}/precontact", {
            "date": when,
            "way": "phone",
            "summary": "电话沟通",
        }
    return f"/api/v1/proposals/assignments/{co.pk}/co-opinion", {"text": "同意"}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("method", "endpoint", "allowed", "default"),
    MATRIX,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_the_matrix(
    world: World, who: str, method: str, endpoint: str, allowed: dict[str, int], default: int
) -> None:
    proposal = assigned(world)
    events = proposal.events.count()
    url, data = _url(world, endpoint, proposal)
    client = _caller(world, who)
    response = client.get(url) if method == "get" else post_json(client, url, data)
    expected = OVERRIDES.get(who, allowed.get(who, default))
    assert response.status_code == expected, (who, endpoint, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    if expected != 200:
        assert response.json()["code"] and response.json()["message"]
        assert proposal.events.count() == events


def test_the_sysadmin_may_connect_a_unit_and_other_roles_may_not(world: World) -> None:
    sysadmin = make_role_user(world.committee, "matrix-sys", Role.SYSADMIN)
    assert services.unit_credential_create(actor=sysadmin, unit=world.lead_unit, name="OA", days=1)
    secadmin = make_role_user(world.committee, "matrix-sec", Role.SECADMIN)
    with pytest.raises(PermissionDenied):
        services.unit_credential_create(actor=secadmin, unit=world.lead_unit, name="OA", days=1)


def test_the_units_inbox_costs_the_same_queries_for_two_or_six(world: World) -> None:
    token = services.unit_credential_create(
        actor=world.staff, unit=world.lead_unit, name="OA", days=30
    ).token
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_flat_queries(
        client,
        "/api/v1/proposals/assignments?page_size=4",
        lambda n: assigned(world, title=f"关于第{n}件事的建议"),
    )

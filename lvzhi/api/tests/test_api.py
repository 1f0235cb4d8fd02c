"""The JSON API: its document, who may call it, its errors, idempotent POSTs
and flat query counts (issue 14, first slice)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.api.models import ApiToken, IdempotentRequest
from lvzhi.core.models import AuditEvent, Notification, RateCounter
from lvzhi.core.testing import assert_same_queries
from lvzhi.duties.models import DutyKind, DutyRecord, Invitation, InvitationEvent
from lvzhi.duties.tests.factories import current_term, make_activity
from lvzhi.org.tests.factories import MemberFactory, SectorFactory

pytestmark = pytest.mark.django_db

GETS = [
    "/api/v1/me",
    "/api/v1/notifications",
    "/api/v1/duties/activities",
    "/api/v1/duties/records",
]


def body(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


def post(client: Client, url: str, data: Any = None, **headers: Any) -> Any:
    return client.post(
        url,
        json.dumps(data) if data is not None else "",
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def invitation(committee, seat) -> Invitation:
    activity = make_activity(committee)
    return Invitation.objects.get(activity=activity, member=seat)


# --- The document and the docs page -------------------------------------------------


def test_openapi_document_declares_auth_and_schemas(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert doc["info"] == {"title": "履职通接口", "version": "1", "description": ""}
    schemes = doc["components"]["securitySchemes"]
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    operations = [
        (path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items()
    ]
    assert {p for p, _m, _o in operations} >= {
        "/api/v1/me",
        "/api/v1/duties/activities/{activity_id}/signup",
    }
    for path, method, op in operations:
        # Only the public channel (a mini-program's citizens) is anonymous.
        security = (
            [] if path.startswith("/api/v1/public/") else [{"TokenAuth": []}, {"SessionAuth": []}]
        )
        assert op.get("security", []) == security, (path, method)
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok, (path, method)
        for status in ("401", "403", "404", "422"):
            error = op["responses"][status]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}
        for parameter in op.get("parameters", []):
            assert parameter["schema"], (path, parameter)
    assert doc["components"]["schemas"]["Error"]["required"] == ["code", "message", "errors"]


def test_docs_page_is_served_from_local_files_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    hosts = set(re.findall(r"(?:https?:)?//([\w.-]+)", html))
    assert hosts <= {"testserver"}, hosts
    # Swagger UI's own validator badge would call swagger.io: switched off.
    assert '"validatorUrl": null' in html


# --- Who may call it ------------------------------------------------------------------


@pytest.mark.parametrize("url", GETS)
def test_anonymous_is_401(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert body(response)["code"] == "unauthenticated"
    assert body(response)["message"]


def test_anonymous_post_is_401_and_changes_nothing(client, invitation):
    response = post(client, f"/api/v1/duties/activities/{invitation.activity_id}/signup")
    assert response.status_code == 401
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.INVITED


@pytest.mark.parametrize("case", ["unknown", "revoked", "expired", "no_longer_member", "garbled"])
def test_bad_tokens_are_401(case, seat, seat_user, make_token, token_client):
    token = make_token(seat_user)
    row = ApiToken.objects.get()
    if case == "unknown":
        token = token + "x"
    elif case == "revoked":
        row.revoked_at = timezone.now()
        row.save()
    elif case == "expired":
        row.expires_at = timezone.now() - dt.timedelta(seconds=1)
        row.save()
    elif case == "no_longer_member":
        seat.status = seat.Status.LEFT if hasattr(seat.Status, "LEFT") else "left"
        seat.save()
    elif case == "garbled":
        token = "not-a-token"
    response = token_client(token).get("/api/v1/me")
    assert response.status_code == 401
    assert body(response)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_token_acts_as_its_user_in_its_committee(committee, seat_user, make_token, token_client):
    Notification.objects.create(recipient=seat_user, title="新邀请")
    response = token_client(make_token(seat_user, scope="read")).get("/api/v1/me")
    assert response.status_code == 200
    me = body(response)
    assert me["username"] == seat_user.username
    assert me["committee"]["id"] == committee.pk
    assert me["member_of"] == [committee.pk]
    assert me["unread_notifications"] == 1


def test_read_scope_may_not_post(invitation, seat_user, make_token, token_client):
    client = token_client(make_token(seat_user, scope="read"))
    response = post(client, f"/api/v1/duties/activities/{invitation.activity_id}/signup")
    assert response.status_code == 403
    assert body(response)["code"] == "scope_required"
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.INVITED


def test_session_works_and_posts_need_csrf(seat_user, invitation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seat_user)
    assert client.get("/api/v1/me").status_code == 200
    response = post(client, f"/api/v1/duties/activities/{invitation.activity_id}/signup")
    assert response.status_code == 403
    assert body(response)["code"] == "csrf_failed"
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.INVITED


def test_last_use_is_written_at_most_once_a_minute(seat_user, make_token, token_client):
    client = token_client(make_token(seat_user))
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/me")
        client.get("/api/v1/me")
    updates = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "api_apitoken" in q["sql"]
    ]
    assert len(updates) == 1
    assert ApiToken.objects.get().last_used_at is not None


# --- Endpoints, tenancy, errors ------------------------------------------------------------


def test_sign_up_and_leave_through_the_services(invitation, seat_user, make_token, token_client):
    client = token_client(make_token(seat_user))
    listed = body(client.get("/api/v1/duties/activities"))
    assert listed["count"] == 1
    assert listed["items"][0]["activity"]["id"] == invitation.activity_id
    response = post(client, f"/api/v1/duties/activities/{invitation.activity_id}/signup")
    assert response.status_code == 200, response.content
    assert body(response)["state"] == Invitation.State.SIGNED_UP
    audit = AuditEvent.objects.get(action="duties.invitation.sign_up")
    assert (audit.actor, audit.channel) == (seat_user, "api")
    # Signing up twice: the service's Conflict, as JSON.
    again = post(client, f"/api/v1/duties/activities/{invitation.activity_id}/signup")
    assert again.status_code == 409
    assert body(again)["code"] == "conflict"
    leave = post(
        client, f"/api/v1/duties/activities/{invitation.activity_id}/leave", {"reason": "出差"}
    )
    assert leave.status_code == 200, leave.content
    invitation.refresh_from_db()
    assert (invitation.state, invitation.leave_reason) == (Invitation.State.LEAVE_REQUESTED, "出差")


def test_another_committees_activity_is_404(
    committee, other_committee, seat, seat_user, make_token, token_client
):
    # The same person sits in both committees; the token acts in the first only.
    MemberFactory(
        committee=other_committee,
        term=current_term(other_committee),
        person=seat.person,
        sector=SectorFactory(committee=other_committee),
    )
    elsewhere = make_activity(other_committee)
    assert Invitation.objects.filter(activity=elsewhere, member__person__user=seat_user).exists()
    client = token_client(make_token(seat_user))
    response = post(client, f"/api/v1/duties/activities/{elsewhere.pk}/signup")
    assert response.status_code == 404
    assert body(response)["code"] == "not_found"
    assert not body(client.get("/api/v1/duties/activities"))["items"]
    assert not Invitation.objects.filter(
        activity=elsewhere, state=Invitation.State.SIGNED_UP
    ).exists()


@pytest.mark.parametrize(
    ("suffix", "data", "status", "code", "field"),
    [
        ("signup", None, 404, "not_found", None),  # unknown id, below
        ("leave", {"reason": 5}, 422, "invalid_input", "body.reason"),
        ("leave", {"reason": ""}, 422, "invalid_input", "body.reason"),
        ("leave", {"reason": "长" * 501}, 422, "invalid_input", "body.reason"),
        ("leave", {}, 422, "invalid_input", "body.reason"),
        ("leave", {"reason": "   "}, 422, "validation_failed", None),  # the service refuses
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(
    invitation, seat_user, make_token, token_client, suffix, data, status, code, field
):
    client = token_client(make_token(seat_user))
    activity_id = invitation.activity_id + 1000 if code == "not_found" else invitation.activity_id
    before = InvitationEvent.objects.count()
    response = post(client, f"/api/v1/duties/activities/{activity_id}/{suffix}", data)
    assert response.status_code == status, response.content
    error = body(response)
    assert error["code"] == code
    assert error["message"]
    if field:
        assert field in [e["field"] for e in error["errors"]]
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.INVITED
    assert InvitationEvent.objects.count() == before


def test_a_path_id_of_the_wrong_type_is_422(seat_user, make_token, token_client):
    response = post(token_client(make_token(seat_user)), "/api/v1/duties/activities/abc/signup")
    assert response.status_code == 422
    assert body(response)["errors"][0]["field"] == "path.activity_id"


# --- Idempotency ----------------------------------------------------------------------------


def test_a_replayed_post_does_it_once(invitation, seat_user, make_token, token_client):
    client = token_client(make_token(seat_user))
    url = f"/api/v1/duties/activities/{invitation.activity_id}/leave"
    key = {"HTTP_IDEMPOTENCY_KEY": "3f0c-leave-1"}
    first = post(client, url, {"reason": "出差"}, **key)
    assert first.status_code == 200, first.content
    audits = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        second = post(client, url, {"reason": "出差"}, **key)
    assert second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert json.loads(second.content) == json.loads(first.content)
    assert InvitationEvent.objects.filter(action="request_leave").count() == 1
    assert IdempotentRequest.objects.count() == 1
    assert AuditEvent.objects.count() == audits
    # (A write's rate-limit counter may start a new minute: lvzhi/api/ratelimit.py.)
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].split()[0] in {"INSERT", "DELETE"}
        and RateCounter._meta.db_table not in q["sql"]
    ]
    assert writes == []
    # The same key for another request: refused, nothing written.
    other = post(client, url, {"reason": "开会"}, **key)
    assert other.status_code == 409
    assert body(other)["code"] == "idempotency_key_reused"
    invitation.refresh_from_db()
    assert invitation.leave_reason == "出差"


def test_keys_belong_to_their_token(committee, invitation, seat_user, make_token, token_client):
    url = f"/api/v1/duties/activities/{invitation.activity_id}/signup"
    key = {"HTTP_IDEMPOTENCY_KEY": "same"}
    assert post(token_client(make_token(seat_user)), url, **key).status_code == 200
    # Another token of the same user, same key: not a replay (the service answers).
    response = post(token_client(make_token(seat_user)), url, **key)
    assert response.status_code == 409
    assert body(response)["code"] == "conflict"


def test_a_refused_post_is_not_stored(invitation, seat_user, make_token, token_client):
    client = token_client(make_token(seat_user))
    url = f"/api/v1/duties/activities/{invitation.activity_id}/leave"
    key = {"HTTP_IDEMPOTENCY_KEY": "k1"}
    assert post(client, url, {"reason": " "}, **key).status_code == 422
    assert not IdempotentRequest.objects.exists()


def test_a_bad_key_is_422(invitation, seat_user, make_token, token_client):
    client = token_client(make_token(seat_user))
    url = f"/api/v1/duties/activities/{invitation.activity_id}/signup"
    response = post(client, url, HTTP_IDEMPOTENCY_KEY="x" * 201)
    assert response.status_code == 422
    assert body(response)["code"] == "invalid_idempotency_key"


# --- Query counts ---------------------------------------------------------------------------


def _fill(committee: Any, seat: Any, n: int) -> None:
    user = seat.person.user
    ct = ContentType.objects.get_for_model(seat)
    start = Invitation.objects.filter(member=seat).count()
    for i in range(n):
        make_activity(committee, title=f"调研{start + i}")
        Notification.objects.create(recipient=user, committee=committee, title=f"通知{start + i}")
        DutyRecord.objects.create(
            committee=committee,
            member=seat,
            kind=DutyKind.PLENARY_ATTENDED,
            date=dt.date(2025, 1, 1),
            source_type=ct,
            source_id=100000 + start + i,
        )


@pytest.mark.parametrize("url", GETS)
def test_list_queries_do_not_grow_with_rows(
    committee, seat, seat_user, make_token, token_client, url
):
    client = token_client(make_token(seat_user))
    client.get(url)  # the token's first use writes last_used_at; measure after it

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url + "?page_size=5")
        assert response.status_code == 200
        if url == GETS[2]:
            assert body(response)["count"] == Invitation.objects.filter(member=seat).count()
            assert len(body(response)["items"]) == min(5, body(response)["count"])
        return len(queries)

    # 3 rows of each kind (less than a page), then 9 (more than a page).
    assert_same_queries(lambda n: _fill(committee, seat, n), measure, n=3, page_size=5)

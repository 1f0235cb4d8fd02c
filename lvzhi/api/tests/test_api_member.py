"""A member's other endpoints: checking in with the QR code, marking
notifications read, the year's points; and the per-token rate limit."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.api import ratelimit
from lvzhi.api.tests.clients import post_json, token_client
from lvzhi.core.models import Notification
from lvzhi.duties import checkin
from lvzhi.duties.models import Invitation
from lvzhi.duties.tests.factories import make_activity, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


def test_a_member_checks_in_with_the_scanned_code_once(committee, seat, seat_user) -> None:
    now = timezone.now()
    activity = make_activity(
        committee, start_at=now - dt.timedelta(minutes=10), end_at=now + dt.timedelta(hours=1)
    )
    slot, token = checkin.current_code(activity.pk)
    client = token_client(seat_user, committee)
    url = f"/api/v1/duties/activities/{activity.pk}/checkin"
    wrong = post_json(client, url, {"slot": slot, "token": "forged"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "validation_failed"
    done = post_json(client, url, {"slot": slot, "token": token})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == Invitation.State.ATTENDED
    twice = post_json(client, url, {"slot": slot, "token": token})
    assert twice.status_code == 409
    for bad in (
        {},
        {"slot": "now", "token": token},
        {"slot": slot, "token": ""},
        {"slot": slot, "token": token, "x": 1},
    ):
        assert post_json(client, url, bad).status_code == 422


def test_another_committees_activity_is_404(committee, other_committee, seat_user) -> None:
    make_member(other_committee, username="foreign_member")
    foreign = make_activity(other_committee)
    slot, token = checkin.current_code(foreign.pk)
    response = post_json(
        token_client(seat_user, committee),
        f"/api/v1/duties/activities/{foreign.pk}/checkin",
        {"slot": slot, "token": token},
    )
    assert response.status_code == 404


def test_notifications_are_marked_read_by_id_or_all(committee, seat_user, member_user) -> None:
    mine = [Notification.objects.create(recipient=seat_user, title=f"第{i}条") for i in range(3)]
    others = Notification.objects.create(recipient=member_user, title="别人的")
    client = token_client(seat_user, committee)
    some = post_json(client, "/api/v1/notifications/read", {"ids": [mine[0].pk, others.pk]})
    assert some.json() == {"marked": 1, "unread": 2}
    others.refresh_from_db()
    assert others.read_at is None
    assert post_json(client, "/api/v1/notifications/read", {"ids": "all"}).status_code == 422
    assert post_json(client, "/api/v1/notifications/read", {}).json() == {"marked": 2, "unread": 0}


def test_points_of_the_year_without_a_policy_say_so(committee, seat_user) -> None:
    client = token_client(seat_user, committee, scope="read")
    body = client.get("/api/v1/points/mine?year=2026").json()
    assert body == {
        "year": 2026,
        "has_policy": False,
        "score": None,
        "required_met": 0,
        "required": 0,
    }
    assert client.get("/api/v1/points/mine?year=1066").status_code == 422


def test_points_are_for_members_only(committee, make_user) -> None:
    staff = make_user("staff", committee, "duties", username="duties_staff")
    assert token_client(staff, committee).get("/api/v1/points/mine").status_code == 403
    assert Client().get("/api/v1/points/mine").status_code == 401


@override_settings(API_REQUESTS_PER_MINUTE=3)
@pytest.mark.usefixtures("one_minute")
def test_a_token_past_its_rate_limit_gets_429_in_chinese(committee, seat_user) -> None:
    client = token_client(seat_user, committee, scope="read")
    other = token_client(seat_user, committee, scope="read")
    for _ in range(3):
        assert client.get("/api/v1/me").status_code == 200
    refused = client.get("/api/v1/me")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and refused.json()["message"]
    assert refused["Retry-After"] == "30"
    # The limit is per token: another client of the same user still works.
    assert other.get("/api/v1/me").status_code == 200


@pytest.fixture
def one_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """One minute for the whole test, whatever the clock does."""
    fixed = timezone.now().replace(second=30)
    monkeypatch.setattr(ratelimit, "timezone", SimpleNamespace(now=lambda: fixed))


def _writes(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]


def test_a_counted_get_writes_nothing_to_the_database(committee, seat_user) -> None:
    """DESIGN §5: no GET writes anything but the session; the rate limit of a
    read counts in the process's memory when the shared cache is the database."""
    assert isinstance(caches["default"], BaseDatabaseCache)
    client = token_client(seat_user, committee, scope="read")
    client.get("/api/v1/me")  # the token's first use notes it (at most once a minute)
    assert _writes(client, "/api/v1/me") == []
    assert _writes(client, "/api/v1/notifications") == []
    session = Client()
    session.force_login(seat_user)
    session.get("/api/v1/me")
    assert _writes(session, "/api/v1/me") == []


@override_settings(API_REQUESTS_PER_MINUTE=3)
@pytest.mark.usefixtures("one_minute")
def test_without_redis_reads_count_per_process_and_writes_across_processes(
    committee, seat_user
) -> None:
    reader = token_client(seat_user, committee, scope="read")
    for _ in range(3):
        assert reader.get("/api/v1/me").status_code == 200
    assert reader.get("/api/v1/me").status_code == 429
    # Another process has counted none of these reads (docs/api.md says so).
    caches["local"].clear()
    assert reader.get("/api/v1/me").status_code == 200
    writer = token_client(seat_user, committee)
    for _ in range(3):
        assert post_json(writer, "/api/v1/notifications/read", {}).status_code == 200
    # Writes are counted in the shared database cache too: another process refuses the fourth.
    caches["local"].clear()
    refused = post_json(writer, "/api/v1/notifications/read", {})
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"


@pytest.mark.usefixtures("one_minute")
def test_with_a_shared_cache_that_is_not_the_database_every_request_counts_there(
    committee, seat_user, settings
) -> None:
    settings.API_REQUESTS_PER_MINUTE = 3
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"},
    }
    reader = token_client(seat_user, committee, scope="read")
    for _ in range(3):
        assert reader.get("/api/v1/me").status_code == 200
    caches["local"].clear()
    assert reader.get("/api/v1/me").status_code == 429
    caches["default"].clear()


def test_reads_carry_an_etag_and_an_unchanged_answer_is_304(committee, seat_user) -> None:
    client = token_client(seat_user, committee, scope="read")
    first = client.get("/api/v1/notifications")
    tag = first["ETag"]
    assert tag and "Authorization" in first["Vary"]
    unchanged = client.get("/api/v1/notifications", HTTP_IF_NONE_MATCH=tag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    Notification.objects.create(recipient=seat_user, title="新通知")
    changed = client.get("/api/v1/notifications", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag

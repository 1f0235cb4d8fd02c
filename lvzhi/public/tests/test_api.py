"""The public channel over the JSON API (a mini-program): a venue's page,
sending a message, tracking it and rating the reply, all without an account;
the page's hourly limits and the tracking-code guard hold here too."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lvzhi.api.tests.clients import post_json
from lvzhi.public import codes, services
from lvzhi.public.models import Message
from lvzhi.public.tests.conftest import public_settings_set

pytestmark = pytest.mark.django_db


def _message(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "suggestion",
        "text": "小区门口路灯坏了，晚上很黑。",
        "form_token": codes.new_form_token(),
    }
    body.update(changes)
    return body


def test_a_citizen_reads_the_venue_sends_tracks_and_rates(venue, member_user) -> None:
    client = Client()
    page = client.get(f"/api/v1/public/venues/{venue.code}")
    assert page.status_code == 200, page.content
    assert page.json()["name"] == "科技创新委员工作室" and page.json()["max_length"] > 0
    body = _message()
    sent = post_json(client, f"/api/v1/public/venues/{venue.code}/messages", body)
    assert sent.status_code == 200, sent.content
    code = sent.json()["code"]
    # The same form sent twice (a retry): one message, the same code.
    again = post_json(client, f"/api/v1/public/venues/{venue.code}/messages", body)
    assert again.json()["code"] == code and again.json()["created"] is False
    assert Message.objects.count() == 1
    tracked = client.get(f"/api/v1/public/track/{code}").json()
    assert tracked["status_label"] and tracked["may_rate"] is False
    early = post_json(client, f"/api/v1/public/track/{code}/rating", {"rating": "satisfied"})
    assert early.status_code == 409
    message = Message.objects.get()
    services.message_reply(message=message, text="已联系社区修复", public=True, actor=member_user)
    rated = post_json(client, f"/api/v1/public/track/{code}/rating", {"rating": "satisfied"})
    assert rated.status_code == 200, rated.content
    assert rated.json()["rating"] == "satisfied" and rated.json()["may_rate"] is False


@pytest.mark.parametrize(
    "changes",
    [
        {"text": ""},
        {"text": "长" * 5001},
        {"category": "complaint-ish"},
        {"consent": "maybe"},
        {"form_token": ""},
        {"website": "http://spam.example"},
    ],
)
def test_bad_messages_are_422_and_store_nothing(venue, changes: dict[str, Any]) -> None:
    response = post_json(
        Client(), f"/api/v1/public/venues/{venue.code}/messages", _message(**changes)
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    assert not Message.objects.exists()


def test_the_hourly_limit_answers_429_in_chinese(venue) -> None:
    public_settings_set(venue.committee, per_ip_per_hour=2)
    client = Client()
    for _ in range(2):
        assert (
            post_json(
                client, f"/api/v1/public/venues/{venue.code}/messages", _message()
            ).status_code
            == 200
        )
    refused = post_json(client, f"/api/v1/public/venues/{venue.code}/messages", _message())
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and "小时" in refused.json()["message"]
    assert refused["Retry-After"]
    assert Message.objects.count() == 2


def test_unknown_venues_and_codes_are_404_and_guessing_is_limited(venue) -> None:
    client = Client()
    assert client.get("/api/v1/public/venues/nosuchcode").status_code == 404
    for _ in range(services.TRACK_MISSES_PER_HOUR):
        assert client.get("/api/v1/public/track/AAAA-BBBB-CCCC-DDDD").status_code == 404
    limited = client.get("/api/v1/public/track/AAAA-BBBB-CCCC-DDDD")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"


def test_nothing_else_of_the_api_is_open_to_anonymous_callers(venue) -> None:
    assert Client().get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/proposals/mine").status_code == 401

"""Every write service refuses an actor without its permission and writes
nothing but the audited refusal; a web POST's audit row knows where it came
from; no GET writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.core.audit import PERMISSION_DENIED
from lvzhi.core.committee_settings import committee_settings_update
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent, CommitteeSetting, Notification
from lvzhi.duties.models import DutyRecord
from lvzhi.public import conversions, services
from lvzhi.public.models import Conversion, Message, MessageEvent, Venue

WRITTEN = (Message, MessageEvent, Venue, Conversion, CommitteeSetting, DutyRecord, Notification)


def _rows() -> dict[str, int]:
    counts = {m._meta.label: m._default_manager.count() for m in WRITTEN}
    counts["audit"] = AuditEvent.objects.exclude(action=PERMISSION_DENIED).count()
    return counts


SERVICES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "venues_sync": lambda w: services.venues_sync(committee=w["committee"], actor=w["outsider"]),
    "room_create": lambda w: services.room_create(
        committee=w["committee"],
        name="协商室",
        address="",
        opening_hours="",
        introduction="",
        members=[],
        actor=w["outsider"],
    ),
    "message_approve": lambda w: services.message_approve(message=w["held"], actor=w["member"]),
    "message_assign": lambda w: services.message_assign(
        message=w["message"], member=w["venue_member"], actor=w["outsider"]
    ),
    "message_reply": lambda w: services.message_reply(
        message=w["message"], text="越权", public=True, actor=w["outsider"]
    ),
    "message_close": lambda w: services.message_close(
        message=w["message"], reason="越权", actor=w["outsider"]
    ),
    "held_message_close": lambda w: services.message_close(
        message=w["held"], reason="越权", actor=w["member"]
    ),
    "conversion_create": lambda w: conversions.conversion_create(
        kind="service_project", messages=[w["message"]], title="越权", body="", actor=w["outsider"]
    ),
    "settings_update": lambda w: committee_settings_update(
        actor=w["member"], committee=w["committee"], values={"public.max_length": 200}
    ),
}


@pytest.fixture
def world(committee: Any, member: Any, member_user: Any, handled: dict[str, Any]) -> dict[str, Any]:
    return {
        **handled,
        "committee": committee,
        "venue_member": member,
        "member": member_user,  # of the venue, but not public staff
        # "outsider": a member of another studio
    }


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_write_service_refuses_an_actor_without_its_permission_and_writes_nothing(
    name: str, world: dict[str, Any]
) -> None:
    before = _rows()
    denials = AuditEvent.objects.filter(action=PERMISSION_DENIED).count()
    with pytest.raises(PermissionDenied):
        SERVICES[name](world)
    assert _rows() == before
    assert AuditEvent.objects.filter(action=PERMISSION_DENIED).count() == denials + 1


def test_a_reply_posted_on_the_page_is_audited_with_address_browser_and_request(
    submit: Callable[..., services.Submitted], public_staff: Any, client_for: Callable[..., Client]
) -> None:
    message = submit().message
    response = client_for(public_staff).post(
        reverse("public:message_reply", args=[message.pk]),
        {"text": "已联系社区"},
        HTTP_USER_AGENT="pytest",
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="public.message.reply")
    assert row.ip and row.user_agent == "pytest" and row.request_id
    assert row.actor == public_staff and row.object_id == str(message.pk)


def test_a_citizens_message_is_audited_with_its_address_and_no_actor(
    client: Client, venue: Venue
) -> None:
    page = client.get(reverse("public:venue_page", args=[venue.code]))
    token = page.context["form"].initial["form_token"]
    client.post(
        reverse("public:venue_page", args=[venue.code]),
        {"category": "question", "text": "公交站台何时修好？", "form_token": token},
        HTTP_USER_AGENT="pytest",
    )
    row = AuditEvent.objects.get(action="public.message_submit")
    assert row.actor is None and row.ip and row.user_agent == "pytest" and row.request_id
    assert row.committee_id == venue.committee_id


def test_no_page_of_the_channel_writes_anything_on_a_get(
    client: Client,
    venue: Venue,
    public_staff: Any,
    submit: Callable[..., services.Submitted],
    client_for: Callable[..., Client],
) -> None:
    sent = submit()
    before = _rows()
    audits = AuditEvent.objects.count()
    assert client.get(reverse("public:venue_page", args=[venue.code])).status_code == 200
    assert client.get(reverse("public:track", args=[sent.code])).status_code == 200
    staff = client_for(public_staff)
    for name in ("public:inbox", "public:settings", "public:report", "public:venue_list"):
        assert staff.get(reverse(name)).status_code == 200
    assert staff.get(reverse("public:message_detail", args=[sent.message.pk])).status_code == 200
    assert _rows() == before and AuditEvent.objects.count() == audits


def test_settings_saved_on_the_page_are_audited_with_old_and_new(
    public_staff: Any, client_for: Callable[..., Client], committee: Any
) -> None:
    data = {
        "public__reply_working_days": 5,
        "public__per_ip_per_hour": 30,
        "public__per_venue_per_hour": 30,
        "public__max_length": 1000,
        "public__max_photos": 3,
        "public__held_words": "广告\n\n 赌博 ",
    }
    response = client_for(public_staff).post(reverse("public:settings"), data)
    assert response.status_code == 302
    stored = dict(CommitteeSetting.objects.values_list("key", "value"))
    assert stored == {"public.reply_working_days": 5, "public.held_words": ["广告", "赌博"]}
    changed = AuditEvent.objects.filter(action="setting_changed", committee=committee)
    assert {row.detail["setting"] for row in changed} == set(stored)

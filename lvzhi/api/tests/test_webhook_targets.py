"""Where a webhook may point (the SSRF guard, lvzhi/api/webhook_targets.py):
checked when the address is registered and again before each delivery,
after the name is resolved, and the request goes to the address checked.
Names resolve from the ``dns`` table (conftest.py), never a DNS server."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lvzhi.api import webhook_targets as T
from lvzhi.api import webhooks
from lvzhi.api.models import WebhookDelivery, WebhookEndpoint
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.proposals.tests.conftest import World, assigned, build_world

pytestmark = pytest.mark.usefixtures("dns")


@pytest.fixture
def world(db: None) -> World:
    return build_world("ssrf")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8080/hook", T.LOOPBACK),
        ("http://localhost/hook", T.LOOPBACK),
        ("http://[::1]/hook", T.LOOPBACK),
        ("http://[::ffff:127.0.0.1]/hook", T.LOOPBACK),
        ("http://169.254.169.254/latest/meta-data/", T.LINK_LOCAL),
        ("http://metadata.example/computeMetadata/v1/", T.LINK_LOCAL),
        ("http://100.100.100.200/latest/meta-data/", T.METADATA_SERVICE),
        ("http://[fe80::1]/hook", T.LINK_LOCAL),
        ("http://224.0.0.1/hook", T.MULTICAST),
        ("http://[ff02::1]/hook", T.MULTICAST),
        ("http://0.0.0.0/hook", T.UNSPECIFIED),
        ("http://0.1.2.3/hook", T.UNSPECIFIED),
        ("http://[::]/hook", T.UNSPECIFIED),
        ("http://240.0.0.1/hook", T.RESERVED),
        ("http://255.255.255.255/hook", T.RESERVED),
        # A name that also points at this server is refused as a whole.
        ("https://both.example/hook", T.LOOPBACK),
        ("http://oa:secret@oa.example.cn/hook", T.CREDENTIALS),
        ("http://oa.example.cn@127.0.0.1/hook", T.CREDENTIALS),
        ("http://nowhere.example/hook", "nowhere.example"),
        ("http://oa.example.cn:99999/hook", T.BAD_ADDRESS),
        ("file:///etc/passwd", T.BAD_ADDRESS),
        ("gopher://oa.example.cn/", T.BAD_ADDRESS),
    ],
)
def test_an_address_a_webhook_may_not_call_is_refused_and_nothing_is_saved(
    world: World, dns: Any, url: str, why: Any
) -> None:
    dns.update(
        localhost=["127.0.0.1", "::1"],
        **{"metadata.example": ["169.254.169.254"], "both.example": ["10.0.0.5", "127.0.0.1"]},
    )
    with pytest.raises(ValidationFailed) as refused:
        webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=url)
    assert str(why) in str(refused.value.message)
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEvent.objects.filter(action="api.webhook_create").exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hook",
        "http://172.16.0.5:8080/oa/callback",
        "http://172.31.255.1/hook",
        "https://192.168.1.10/hook?unit=7",
        "https://oa.example.cn/hook",  # 10.20.30.40
        "https://[fd12:3456::1]/hook",
        "https://203.0.113.10/hook",
    ],
)
def test_the_intranets_private_ranges_are_allowed(world: World, url: str) -> None:
    new = webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=url)
    assert new.row.url == url


def test_loopback_is_allowed_only_when_the_setting_says_so(world: World, settings: Any) -> None:
    url = "http://127.0.0.1:8080/hook"
    assert settings.WEBHOOK_ALLOW_LOOPBACK is False
    with pytest.raises(ValidationFailed):
        webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=url)
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=url)
    # Link-local stays refused even then.
    with pytest.raises(ValidationFailed):
        webhooks.webhook_endpoint_create(
            actor=world.staff, unit=world.lead_unit, url="http://169.254.169.254/"
        )


def test_the_page_says_why_an_address_is_refused_and_saves_nothing(world: World) -> None:
    own = Client()
    own.force_login(world.lead_user)
    page = own.post(
        "/api/units/webhooks/new/",
        {"unit": world.lead_unit.pk, "url": "http://169.254.169.254/latest/meta-data/"},
    )
    assert page.status_code == 400
    assert "169.254.169.254" in page.content.decode() and not WebhookEndpoint.objects.exists()


def _queued_for(world: World, url: str) -> WebhookDelivery:
    webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=url)
    assigned(world)
    return WebhookDelivery.objects.get()


def _refused_delivery(delivery: WebhookDelivery, why: Any) -> None:
    why = str(why)
    assert webhooks.webhook_deliveries_send() == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_status is None
    assert why in delivery.last_error and delivery.delivered_at is None
    assert delivery.next_attempt_at is not None  # retried like any failure
    logged = AuditEvent.objects.get(action="api.webhook_delivery")
    assert logged.result == "failure" and why in logged.detail["error"]


def test_loopback_turned_off_after_registration_is_refused_at_delivery_and_nothing_sent(
    world: World, receiver_factory: Any, settings: Any
) -> None:
    receiver = receiver_factory()
    delivery = _queued_for(world, receiver.url)
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    _refused_delivery(delivery, T.LOOPBACK)
    assert receiver.received == []


@pytest.mark.parametrize(
    ("now", "why"), [("127.0.0.1", T.LOOPBACK), ("169.254.169.254", T.LINK_LOCAL)]
)
def test_a_name_that_resolves_elsewhere_at_delivery_is_refused_and_nothing_sent(
    world: World, dns: Any, now: str, why: Any
) -> None:
    delivery = _queued_for(world, "https://oa.example.cn/hook")  # 10.20.30.40 then
    dns["oa.example.cn"] = [now]  # DNS rebinding
    _refused_delivery(delivery, why)


def test_the_request_goes_to_the_address_checked_under_the_name_given(
    world: World, dns: Any, receiver_factory: Any
) -> None:
    receiver = receiver_factory()
    port = receiver.server.server_port
    # A name no DNS server knows (RFC 6761): only the checked address reaches it.
    dns["hooks.unit.invalid"] = ["127.0.0.1"]
    _queued_for(world, f"http://hooks.unit.invalid:{port}/oa/hook?unit=7")
    dns.asked.clear()
    assert webhooks.webhook_deliveries_send() == 1
    [(headers, _body)] = receiver.received
    assert headers["Host"] == f"hooks.unit.invalid:{port}"
    assert dns.asked == ["hooks.unit.invalid"]  # looked up once, then pinned


def test_a_redirect_is_not_followed(world: World, receiver_factory: Any) -> None:
    first, elsewhere = receiver_factory([302]), receiver_factory()
    first.redirect_to = elsewhere.url
    delivery = _queued_for(world, first.url)
    assert webhooks.webhook_deliveries_send() == 0
    delivery.refresh_from_db()
    assert delivery.last_status == 302
    assert delivery.last_error == str(webhooks.REDIRECT) % {"status": 302}
    assert len(first.received) == 1 and elsewhere.received == []

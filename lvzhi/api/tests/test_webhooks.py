"""Webhooks of a handling unit's office system: registered with a secret,
queued in the transaction of the proposal event, signed, retried with
back-off, delivered to a receiver on loopback (issue 14). The addresses'
checks (SSRF) are in test_webhook_targets.py.

No test asks a DNS server: ``webhook_targets.resolve`` answers from the
``dns`` table (conftest.py); and the receivers on loopback need
``WEBHOOK_ALLOW_LOOPBACK``, which ``receiver_factory`` turns on."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from lvzhi.api import webhooks
from lvzhi.api.models import WebhookDelivery, WebhookEndpoint
from lvzhi.api.tasks import webhooks_every_minute
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.proposals import services as proposals
from lvzhi.proposals.models import ProposalEvent
from lvzhi.proposals.services import handling
from lvzhi.proposals.tasks import deadline_reminders_send
from lvzhi.proposals.tests.conftest import World, assigned, build_world, lead_assignment, replied

pytestmark = pytest.mark.usefixtures("dns")


@pytest.fixture
def world(db: None) -> World:
    return build_world("hook")


def test_an_assignment_reaches_the_units_system_signed_with_its_secret(
    world: World, receiver_factory: Any
) -> None:
    receiver = receiver_factory()
    new = webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url=receiver.url
    )
    assert new.secret not in new.row.secret_encrypted
    proposal = assigned(world)
    # Queued by the assignment itself, in its transaction.
    assert WebhookDelivery.objects.filter(event="assigned").count() == 1
    assert webhooks.webhook_deliveries_send() == 1
    [(headers, body)] = receiver.received
    expected = "sha256=" + hmac.new(new.secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Lvzhi-Signature"], expected)
    assert headers["X-Lvzhi-Event"] == "assigned"
    payload = json.loads(body)
    assert payload["proposal"]["id"] == proposal.pk and payload["event"] == "assigned"
    assert headers["X-Lvzhi-Delivery"] == str(payload["delivery"])
    row = WebhookDelivery.objects.get()
    assert row.delivered_at is not None and row.last_status == 200 and row.attempts == 1


def test_a_failed_delivery_is_retried_with_back_off_and_then_delivered(
    world: World, receiver_factory: Any
) -> None:
    receiver = receiver_factory([500])
    webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=receiver.url)
    assigned(world)
    assert webhooks.webhook_deliveries_send() == 0
    row = WebhookDelivery.objects.get()
    assert row.attempts == 1 and row.last_status == 500 and row.delivered_at is None
    assert row.next_attempt_at is not None
    wait = row.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(minutes=1)
    # Not yet due: nothing is sent.
    assert webhooks.webhook_deliveries_send() == 0 and len(receiver.received) == 1
    assert webhooks.webhook_deliveries_send(now=row.next_attempt_at) == 1
    row.refresh_from_db()
    assert row.attempts == 2 and row.delivered_at is not None and len(receiver.received) == 2
    results = list(
        AuditEvent.objects.filter(action="api.webhook_delivery")
        .order_by("id")
        .values_list("result", flat=True)
    )
    assert results == ["failure", "success"]


def test_a_delivery_is_given_up_after_six_attempts(world: World, receiver_factory: Any) -> None:
    receiver = receiver_factory([503] * 6)
    webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=receiver.url)
    assigned(world)
    row = WebhookDelivery.objects.get()
    waits = []
    for _attempt in range(webhooks.MAX_ATTEMPTS):
        before = timezone.now()
        webhooks.webhook_deliveries_send(now=row.next_attempt_at)
        row.refresh_from_db()
        if row.next_attempt_at:
            waits.append(round((row.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 5, 25, 125, 625]
    assert row.attempts == 6 and row.next_attempt_at is None and row.delivered_at is None


def test_the_job_run_twice_sends_once_and_queues_nothing(
    world: World, receiver_factory: Any
) -> None:
    receiver = receiver_factory()
    webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=receiver.url)
    assigned(world)
    assert webhooks_every_minute.call_local() == 1
    assert webhooks_every_minute.call_local() == 0
    assert WebhookDelivery.objects.count() == 1 and len(receiver.received) == 1


def test_the_event_and_its_delivery_commit_together(world: World) -> None:
    webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url="https://oa.example.cn/hook"
    )
    proposal = assigned(world)
    event = ProposalEvent.objects.get(proposal=proposal, action="assign")
    delivery = WebhookDelivery.objects.get()
    assert delivery.source == f"event:{event.pk}" and delivery.payload["proposal"]["id"] == (
        proposal.pk
    )


def test_the_event_and_its_delivery_roll_back_together(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url="https://oa.example.cn/hook"
    )

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the notification failed")

    # The assignment fails after its event and its delivery were written.
    notify_on = handling.notify_on
    monkeypatch.setattr(handling, "notify_on", crash)
    with pytest.raises(RuntimeError):
        assigned(world)
    assert not ProposalEvent.objects.filter(action="assign").exists()
    assert not WebhookDelivery.objects.exists()
    # The same in an outer transaction of the caller that rolls back.
    monkeypatch.setattr(handling, "notify_on", notify_on)
    with pytest.raises(RuntimeError), transaction.atomic():
        assigned(world)
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError("the caller failed")
    assert not ProposalEvent.objects.filter(action="assign").exists()
    assert not WebhookDelivery.objects.exists()


def test_another_units_endpoint_never_hears_of_this_units_proposal(
    world: World, receiver_factory: Any
) -> None:
    ours, theirs = receiver_factory(), receiver_factory()
    webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=ours.url)
    webhooks.webhook_endpoint_create(actor=world.staff, unit=world.other_unit, url=theirs.url)
    assigned(world)
    webhooks.webhook_deliveries_send()
    assert len(ours.received) == 1 and theirs.received == []


def test_a_removed_endpoint_gets_nothing(world: World, receiver_factory: Any) -> None:
    receiver = receiver_factory()
    new = webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url=receiver.url
    )
    webhooks.webhook_endpoint_remove(actor=world.lead_user, endpoint=new.row)
    assigned(world)
    assert not WebhookDelivery.objects.exists()
    assert webhooks.webhook_deliveries_send() == 0 and receiver.received == []


def test_a_removed_endpoint_gets_nothing_already_queued(
    world: World, receiver_factory: Any
) -> None:
    receiver = receiver_factory()
    new = webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url=receiver.url
    )
    assigned(world)
    webhooks.webhook_endpoint_remove(actor=world.lead_user, endpoint=new.row)
    assert webhooks.webhook_deliveries_send() == 0 and receiver.received == []


@pytest.mark.parametrize(
    "url", ["", "ftp://oa.example/hook", "javascript:alert(1)", "http://", "https://x/" + "a" * 500]
)
def test_a_bad_address_is_refused_in_chinese_and_nothing_is_saved(world: World, url: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        webhooks.webhook_endpoint_create(actor=world.staff, unit=world.lead_unit, url=url)
    assert "http" in str(refused.value.message)
    assert not WebhookEndpoint.objects.exists()


def test_only_the_office_the_sysadmin_or_the_units_own_users_manage_its_addresses(
    world: World,
) -> None:
    url = "https://oa.example.cn/hook"
    for refused in (world.other_unit_user, world.leader, world.proposer_user, world.other_staff):
        with pytest.raises(PermissionDenied):
            webhooks.webhook_endpoint_create(actor=refused, unit=world.lead_unit, url=url)
    assert not WebhookEndpoint.objects.exists()
    own = webhooks.webhook_endpoint_create(actor=world.lead_user, unit=world.lead_unit, url=url)
    with pytest.raises(PermissionDenied):
        webhooks.webhook_endpoint_remove(actor=world.other_unit_user, endpoint=own.row)
    webhooks.webhook_endpoint_remove(actor=world.staff, endpoint=own.row)
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"api.webhook_create", "api.webhook_remove"} <= codes


def test_the_page_shows_the_secret_once_and_each_sees_only_its_units_addresses(
    world: World,
) -> None:
    own = Client()
    own.force_login(world.lead_user)
    # A unit's user may register only for its own unit.
    refused = own.post(
        "/api/units/webhooks/new/", {"unit": world.other_unit.pk, "url": "https://oa.cn/h"}
    )
    assert refused.status_code == 400 and not WebhookEndpoint.objects.exists()
    bad = own.post("/api/units/webhooks/new/", {"unit": world.lead_unit.pk, "url": "ftp://x"})
    assert bad.status_code == 400 and "http" in bad.content.decode()
    assert not WebhookEndpoint.objects.exists()
    page = own.post(
        "/api/units/webhooks/new/", {"unit": world.lead_unit.pk, "url": "https://oa.cn/h"}
    )
    assert page.status_code == 200, page.content
    secret = page.context["created"].secret
    assert secret.encode() in page.content and page["Cache-Control"].startswith("max-age=0")
    row = WebhookEndpoint.objects.get()
    listed = own.get("/api/units/webhooks/").content.decode()
    assert "https://oa.cn/h" in listed and secret not in listed
    other = Client()
    other.force_login(world.other_unit_user)
    assert "https://oa.cn/h" not in other.get("/api/units/webhooks/").content.decode()
    assert other.post(f"/api/units/webhooks/{row.pk}/remove/").status_code == 404
    outsider = Client()
    outsider.force_login(world.other_staff)
    assert outsider.post(f"/api/units/webhooks/{row.pk}/remove/").status_code == 404
    member = Client()
    member.force_login(world.proposer_user)
    assert member.get("/api/units/webhooks/").status_code == 403
    staff = Client()
    staff.force_login(world.staff)
    assert "https://oa.cn/h" in staff.get("/api/units/webhooks/").content.decode()
    assert staff.post(f"/api/units/webhooks/{row.pk}/remove/").status_code == 302
    row.refresh_from_db()
    assert row.removed_at is not None


@pytest.mark.parametrize(
    ("result", "event"), [("satisfied", "evaluation_received"), ("dissatisfied", "rehandling")]
)
def test_the_evaluation_and_a_deadline_reminder_are_queued_for_the_unit(
    world: World, result: str, event: str
) -> None:
    webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url="https://oa.example.cn/hook"
    )
    proposal = replied(world, reply_class="A")
    proposals.proposal_evaluate(
        actor=world.proposer_user,
        proposal=proposal,
        contact="satisfied",
        attitude="satisfied",
        result=result,
    )
    assert WebhookDelivery.objects.filter(event=event).count() == 1
    other = assigned(world)
    due = lead_assignment(other).due
    assert deadline_reminders_send(today=due + dt.timedelta(days=1)) >= 1
    # (A proposal back for re-handling is open again, and may be reminded too.)
    reminded = [
        row.payload["assignment"]["id"]
        for row in WebhookDelivery.objects.filter(event="deadline_reminder")
    ]
    assert reminded.count(lead_assignment(other).pk) == 1
    # A rerun of the reminders adds nothing.
    before = WebhookDelivery.objects.count()
    deadline_reminders_send(today=due + dt.timedelta(days=1))
    assert WebhookDelivery.objects.count() == before


def _deliveries(endpoint: WebhookEndpoint, n: int, *, days_old: int = 0, **state: Any) -> list[int]:
    made = [
        WebhookDelivery.objects.create(
            endpoint=endpoint, event="assigned", source=f"test:{days_old}:{i}:{state}", **state
        )
        for i in range(n)
    ]
    ids = [row.pk for row in made]
    WebhookDelivery.objects.filter(pk__in=ids).update(
        created_at=timezone.now() - dt.timedelta(days=days_old)
    )
    return ids


def test_finished_deliveries_are_pruned_after_the_retention_period(
    world: World, settings: Any
) -> None:
    settings.WEBHOOK_RETENTION_DAYS = 10
    live = webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url="https://oa.example.cn/hook"
    ).row
    removed = webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url="https://oa.cn/hook"
    ).row
    now = timezone.now()
    old_delivered = _deliveries(live, 2, days_old=11, delivered_at=now)
    old_given_up = _deliveries(live, 1, days_old=11, next_attempt_at=None)
    old_waiting = _deliveries(live, 1, days_old=11, next_attempt_at=now)
    recent = _deliveries(live, 2, days_old=9, delivered_at=now)
    old_of_removed = _deliveries(removed, 1, days_old=11, next_attempt_at=now)
    webhooks.webhook_endpoint_remove(actor=world.staff, endpoint=removed)
    assert webhooks.webhook_deliveries_prune() == (4, 0)
    kept = set(WebhookDelivery.objects.values_list("pk", flat=True))
    # A delivery still to be tried stays, however old; so do the recent ones.
    assert kept == set(old_waiting + recent)
    assert not kept & set(old_delivered + old_given_up + old_of_removed)
    # The audit trail keeps what was attempted; a second run deletes nothing.
    assert webhooks.webhook_deliveries_prune() == (0, 0)


def test_past_the_cap_the_oldest_waiting_deliveries_of_an_address_are_given_up(
    world: World, settings: Any, receiver_factory: Any
) -> None:
    settings.WEBHOOK_MAX_PENDING = 3
    receiver = receiver_factory()
    dead = webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url="https://oa.example.cn/hook"
    ).row
    other = webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.other_unit, url=receiver.url
    ).row
    later = timezone.now() + dt.timedelta(hours=1)
    much_later = later + dt.timedelta(days=1)
    oldest = _deliveries(dead, 2, days_old=2, next_attempt_at=much_later)
    newest = _deliveries(dead, 3, days_old=1, next_attempt_at=much_later)
    others = _deliveries(other, 3, days_old=2, next_attempt_at=later)
    assert webhooks.webhook_deliveries_prune() == (0, 2)
    waiting = WebhookDelivery.objects.filter(next_attempt_at__isnull=False)
    assert set(waiting.values_list("pk", flat=True)) == set(newest + others)
    given_up = WebhookDelivery.objects.filter(pk__in=oldest)
    assert {row.last_error for row in given_up} == {str(webhooks.CROWDED) % {"n": 3}}
    logged = AuditEvent.objects.get(action="api.webhook_drop")
    assert logged.detail["dropped"] == "2" and logged.detail["endpoint"] == str(dead.pk)
    # Given up means never tried again; the others are (the dead one still fails).
    assert webhooks.webhook_deliveries_send(now=much_later) == 3
    assert len(receiver.received) == 3 and webhooks.webhook_deliveries_prune() == (0, 0)
    assert set(given_up.values_list("attempts", flat=True)) == {0}
    tried = WebhookDelivery.objects.filter(pk__in=newest)
    assert set(tried.values_list("attempts", flat=True)) == {1}


def test_a_unit_whose_only_link_is_its_own_system_still_gets_the_deadline_reminder(
    world: World,
) -> None:
    webhooks.webhook_endpoint_create(
        actor=world.staff, unit=world.lead_unit, url="https://oa.example.cn/hook"
    )
    proposal = assigned(world)
    # No user of the unit is left to notify: the reminder still reaches its system.
    world.lead_user.role_assignments.all().delete()
    due = lead_assignment(proposal).due
    deadline_reminders_send(today=due + dt.timedelta(days=1))
    reminded = WebhookDelivery.objects.filter(event="deadline_reminder")
    assert [row.payload["assignment"]["id"] for row in reminded] == [lead_assignment(proposal).pk]

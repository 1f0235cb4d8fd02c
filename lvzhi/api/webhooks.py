"""Webhooks for handling units' office systems (回调): endpoints registered
with a secret, an outbox of deliveries filled from the proposals' own event
log and reminders (the API is layer 5, proposals cannot call it), and the
delivery of each row, signed with HMAC-SHA256 and retried with back-off."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.api import audit
from lvzhi.api.models import WebhookCursor, WebhookDelivery, WebhookEndpoint
from lvzhi.core import crypto
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.models import AuditEvent, Notification
from lvzhi.core.permissions import require_perm
from lvzhi.proposals.models import Assignment, ProposalEvent

# The proposal actions a unit's system hears of, by the event name it gets.
EVENTS = {
    "assign": "assigned",
    "evaluate": "evaluation_received",
    "evaluate_dissatisfied": "rehandling",
}
REMINDER = "deadline_reminder"
# proposals.tasks.deadline_reminders_send keys its notifications so.
REMINDER_KEY = "proposals:a"
TIMEOUT = 5  # seconds
MAX_ATTEMPTS = 6
BACKOFF_MINUTES = (1, 5, 25, 125, 625)  # after attempt 1, 2, …; none after the sixth
BATCH = 500


@dataclass(frozen=True)
class NewEndpoint:
    """The row and its secret, which is shown once."""

    row: WebhookEndpoint
    secret: str


def clean_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > 500 or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(_("Give an http or https address of at most 500 characters."))
    return url


def webhook_endpoint_create(*, actor: Any, unit: Any, url: str) -> NewEndpoint:
    require_perm(actor, "api.manage_unit_webhooks", unit)
    url = clean_url(url)
    if not unit.is_active:
        raise ValidationFailed(_("This handling unit is no longer active."))
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = WebhookEndpoint.objects.create(
            committee_id=unit.committee_id,
            unit=unit,
            url=url,
            secret_encrypted=crypto.encrypt(secret),
            created_by=actor,
        )
        audit_log(action=audit.WEBHOOK_CREATE, obj=row, committee=unit.committee_id, url=url)
    return NewEndpoint(row=row, secret=secret)


def webhook_endpoint_remove(*, actor: Any, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    require_perm(actor, "api.manage_unit_webhooks", endpoint.unit)
    with transaction.atomic():
        row = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if row.removed_at is not None:
            raise Conflict(_("This address is already removed."))
        row.removed_at = timezone.now()
        row.save(update_fields=["removed_at"])
        audit_log(action=audit.WEBHOOK_REMOVE, obj=row, committee=row.committee_id)
    return row


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _proposal_payload(assignment: Assignment) -> dict[str, Any]:
    proposal = assignment.proposal
    return {
        "proposal": {"id": proposal.pk, "number": proposal.number_label, "title": proposal.title},
        "assignment": {"id": assignment.pk, "role": assignment.role, "due": str(assignment.due)},
    }


def _enqueue(assignment: Assignment, event: str, source: str, when: dt.datetime) -> int:
    """One delivery per live endpoint of the assignment's unit; an existing one is kept."""
    made = 0
    payload = {"event": event, "occurred_at": when.isoformat(), **_proposal_payload(assignment)}
    for endpoint in WebhookEndpoint.objects.filter(unit_id=assignment.unit_id, removed_at=None):
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    endpoint=endpoint,
                    event=event,
                    source=source,
                    payload=payload,
                    next_attempt_at=timezone.now(),
                )
            made += 1
        except IntegrityError:
            continue  # a rescan: already queued
    return made


def _advance(name: str, rows: list[Any], enqueue: Any) -> int:
    made = 0
    with transaction.atomic():
        cursor, _created = WebhookCursor.objects.select_for_update().get_or_create(name=name)
        for row in rows:
            made += enqueue(row)
        if rows:
            cursor.last_id = rows[-1].pk
            cursor.save(update_fields=["last_id"])
    return made


def _cursor(name: str) -> int:
    return WebhookCursor.objects.filter(name=name).values_list("last_id", flat=True).first() or 0


def webhook_deliveries_queue() -> int:
    """Turn the proposal events and deadline reminders written since the last
    scan into deliveries; returns how many were queued."""
    events = list(
        ProposalEvent.objects.filter(pk__gt=_cursor("proposal_event"), action__in=EVENTS).order_by(
            "pk"
        )[:BATCH]
    )

    def from_event(row: ProposalEvent) -> int:
        assignments = Assignment.objects.filter(proposal_id=row.proposal_id).exclude(
            state=Assignment.State.WITHDRAWN
        )
        return sum(
            _enqueue(a, EVENTS[row.action], f"event:{row.pk}", row.created_at)
            for a in assignments.select_related("proposal")
        )

    made = _advance("proposal_event", events, from_event)
    reminders = list(
        Notification.objects.filter(
            pk__gt=_cursor("reminder"), dedupe_key__startswith=REMINDER_KEY
        ).order_by("pk")[:BATCH]
    )

    def from_reminder(row: Notification) -> int:
        assignment_id = row.dedupe_key[len(REMINDER_KEY) :].split(":", 1)[0]
        assignment = (
            Assignment.objects.select_related("proposal").filter(pk=int(assignment_id)).first()
            if assignment_id.isdigit()
            else None
        )
        if assignment is None:
            return 0
        # Each recipient got the reminder: one delivery per reminder, by its key.
        return _enqueue(assignment, REMINDER, f"remind:{row.dedupe_key}"[:220], row.created_at)

    return made + _advance("reminder", reminders, from_reminder)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (http/https only, checked on registration)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def webhook_delivery_attempt(delivery: WebhookDelivery) -> bool:
    """POST the delivery once; note the answer and, on failure, when to try again."""
    endpoint = delivery.endpoint
    body = json.dumps({"delivery": delivery.pk, **delivery.payload}, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Lvzhi-Webhook/1",
        "X-Lvzhi-Event": delivery.event,
        "X-Lvzhi-Delivery": str(delivery.pk),
        "X-Lvzhi-Signature": sign(crypto.decrypt(endpoint.secret_encrypted), body),
    }
    status: int | None = None
    error = ""
    try:
        status = _post(endpoint.url, body, headers)
    except (OSError, ValueError) as exc:  # refused, timed out, bad address
        error = str(exc)[:300]
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status = status
    ok = status is not None and 200 <= status < 300
    delivery.last_error = "" if ok else (error or f"HTTP {status}")
    if ok:
        delivery.delivered_at, delivery.next_attempt_at = now, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.next_attempt_at = None  # given up; the log keeps why
    else:
        wait = BACKOFF_MINUTES[delivery.attempts - 1]
        delivery.next_attempt_at = now + dt.timedelta(minutes=wait)
    delivery.save(
        update_fields=["attempts", "last_status", "last_error", "delivered_at", "next_attempt_at"]
    )
    audit_log(
        action=audit.WEBHOOK_DELIVERY,
        obj=delivery,
        committee=endpoint.committee_id,
        result=AuditEvent.Result.SUCCESS if ok else AuditEvent.Result.FAILURE,
        event=delivery.event,
        attempt=delivery.attempts,
        status=status,
        error=delivery.last_error,
    )
    return ok


def webhook_deliveries_send(*, now: dt.datetime | None = None) -> int:
    """Attempt every delivery that is due; returns how many arrived."""
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(
            delivered_at=None, next_attempt_at__lte=now, endpoint__removed_at=None
        )
        .select_related("endpoint")
        .order_by("next_attempt_at", "id")[:BATCH]
    )
    return sum(webhook_delivery_attempt(row) for row in due)

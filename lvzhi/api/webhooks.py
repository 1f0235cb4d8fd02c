"""Webhooks for handling units' office systems (回调): endpoints registered
with a secret (at an address ``webhook_targets`` allows), an outbox of
deliveries written in the transaction of the proposal event or reminder they
announce (the API is layer 5 and proposals cannot call it: the core workflow
and notifications tell the listeners ``ApiConfig`` registers), and the
delivery of each row by a job, signed with HMAC-SHA256 and retried with
back-off; finished rows are pruned, and waiting ones capped per address."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.api import audit, webhook_targets
from lvzhi.api.models import WebhookDelivery, WebhookEndpoint
from lvzhi.api.services import end_once
from lvzhi.core import crypto
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.models import AuditEvent
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
TIMEOUT = 5  # seconds
MAX_ATTEMPTS = 6
BACKOFF_MINUTES = (1, 5, 25, 125, 625)  # after attempt 1, 2, …; none after the sixth
BATCH = 500
PRUNE_BATCH = 5000
RETENTION_DAYS = 30  # settings.WEBHOOK_RETENTION_DAYS
MAX_PENDING = 1000  # settings.WEBHOOK_MAX_PENDING
REDIRECT = gettext_lazy("HTTP %(status)s: redirects are not followed.")
CROWDED = gettext_lazy("Given up: more than %(n)s deliveries were waiting for this address.")


@dataclass(frozen=True)
class NewEndpoint:
    """The row and its secret, which is shown once."""

    row: WebhookEndpoint
    secret: str


def webhook_endpoint_create(*, actor: Any, unit: Any, url: str) -> NewEndpoint:
    require_perm(actor, "api.manage_unit_webhooks", unit)
    url = webhook_targets.url_check(url)
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
    row: WebhookEndpoint = end_once(
        WebhookEndpoint.objects.all(),
        endpoint.pk,
        "removed_at",
        already=_("This address is already removed."),
        action=audit.WEBHOOK_REMOVE,
    )
    return row


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _proposal_payload(assignment: Assignment) -> dict[str, Any]:
    proposal = assignment.proposal
    return {
        "proposal": {"id": proposal.pk, "number": proposal.number_label, "title": proposal.title},
        "assignment": {"id": assignment.pk, "role": assignment.role, "due": str(assignment.due)},
    }


def webhook_deliveries_enqueue(
    *, assignments: Any, event: str, source: str, when: dt.datetime
) -> int:
    """One delivery per live address of each of these assignments' units,
    written in the caller's transaction (the outbox: it commits or rolls back
    with the change it announces). ``source`` names the cause; an address that
    has a delivery of it already gets no second one (ON CONFLICT DO NOTHING).
    Returns the number of addresses."""
    endpoints = list(
        WebhookEndpoint.objects.filter(
            removed_at=None, unit_id__in=assignments.values("unit_id")
        ).order_by("id")
    )
    if not endpoints:
        return 0
    by_unit = {a.unit_id: a for a in assignments.select_related("proposal").order_by("-id")}
    now = timezone.now()
    rows = [
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            source=source,
            payload={
                "event": event,
                "occurred_at": when.isoformat(),
                **_proposal_payload(by_unit[endpoint.unit_id]),
            },
            next_attempt_at=now,
        )
        for endpoint in endpoints
    ]
    return len(WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True))


def _live_assignments(proposal_id: int) -> Any:
    return Assignment.objects.filter(proposal_id=proposal_id).exclude(
        state=Assignment.State.WITHDRAWN
    )


def on_proposal_event(row: ProposalEvent) -> None:
    """Workflow listener (ApiConfig.register): an assignment, an evaluation,
    a return for re-handling is announced to every unit with a live
    assignment of the proposal, in the transaction of the event row."""
    event = EVENTS.get(row.action)
    if event is not None:
        webhook_deliveries_enqueue(
            assignments=_live_assignments(row.proposal_id),
            event=event,
            source=f"event:{row.pk}",
            when=row.created_at,
        )


def on_reminder(assignment: Assignment, key: str) -> None:
    """Reminder listener (ApiConfig.register): a deadline reminder of an
    assignment is announced to its unit, in the transaction of the reminder,
    once per reminder key (threshold and round)."""
    webhook_deliveries_enqueue(
        assignments=Assignment.objects.filter(pk=assignment.pk),
        event=REMINDER,
        source=f"remind:{key}"[:220],
        when=timezone.now(),
    )


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
        status = webhook_targets.post(endpoint.url, body, headers, timeout=TIMEOUT)
    except webhook_targets.TargetRefused as refused:  # checked again: nothing was sent
        error = str(refused.message)
    except (OSError, ValueError, http.client.HTTPException) as exc:  # refused, timed out
        error = str(exc) or type(exc).__name__
    if status is not None and 300 <= status < 400:
        error = str(REDIRECT) % {"status": status}
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status = status
    ok = status is not None and 200 <= status < 300
    delivery.last_error = "" if ok else (error or f"HTTP {status}")[:300]
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


def retention_days() -> int:
    return int(getattr(settings, "WEBHOOK_RETENTION_DAYS", RETENTION_DAYS))


def max_pending() -> int:
    return int(getattr(settings, "WEBHOOK_MAX_PENDING", MAX_PENDING))


def webhook_deliveries_prune(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Keep the outbox bounded: delete the finished deliveries (delivered,
    given up, or of a removed address) older than ``WEBHOOK_RETENTION_DAYS``
    (the audit trail keeps each attempt), and give up the oldest waiting
    deliveries of an address past ``WEBHOOK_MAX_PENDING`` (a receiver that is
    down for long). Returns (deleted, dropped)."""
    now = now or timezone.now()
    finished = (
        Q(delivered_at__isnull=False)
        | Q(next_attempt_at=None)
        | Q(endpoint__removed_at__isnull=False)
    )
    old = WebhookDelivery.objects.filter(
        finished, created_at__lt=now - dt.timedelta(days=retention_days())
    ).values_list("pk", flat=True)
    deleted, _by_model = WebhookDelivery.objects.filter(pk__in=list(old[:PRUNE_BATCH])).delete()
    cap = max_pending()
    waiting = WebhookDelivery.objects.filter(
        delivered_at=None, next_attempt_at__isnull=False, endpoint__removed_at=None
    )
    crowded = (
        waiting.values("endpoint_id", "endpoint__committee_id")
        .annotate(n=Count("id"))
        .filter(n__gt=cap)
        .order_by("endpoint_id")
    )
    dropped = 0
    for row in crowded:
        with transaction.atomic():
            oldest = list(
                waiting.filter(endpoint_id=row["endpoint_id"])
                .order_by("-created_at", "-id")
                .values_list("pk", flat=True)[cap:]
            )
            count = WebhookDelivery.objects.filter(pk__in=oldest).update(
                next_attempt_at=None,
                last_error=str(CROWDED) % {"n": cap},
            )
            audit_log(
                action=audit.WEBHOOK_DROP,
                committee=row["endpoint__committee_id"],
                result=AuditEvent.Result.FAILURE,
                endpoint=row["endpoint_id"],
                dropped=count,
            )
        dropped += count
    return deleted, dropped


def webhook_deliveries_run() -> int:
    """The job's minute: keep the outbox bounded, then send what is due."""
    webhook_deliveries_prune()
    return webhook_deliveries_send()

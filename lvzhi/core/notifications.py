"""Notifications (DESIGN §5): an in-app inbox row and, when the user has an
address, an outbox e-mail, both written in the caller's transaction so a
crash never loses one; a job delivers the outbox."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from lvzhi.core.models import EmailOutbox, Notification

logger = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def notify(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    committee: Any = None,
    dedupe_key: str = "",
    email: bool = True,
) -> list[Notification]:
    """Write one inbox row (and an outbox e-mail) per recipient.

    With ``dedupe_key`` a second call for the same recipient and key writes
    nothing: reminders sent "once per threshold" rely on it."""
    created: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if (
            dedupe_key
            and Notification.objects.filter(recipient=user, dedupe_key=dedupe_key).exists()
        ):
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=user,
                    committee=committee,
                    title=str(title)[:200],
                    body=str(body),
                    url=url,
                    dedupe_key=dedupe_key,
                )
                if email and user.email:
                    EmailOutbox.objects.create(
                        notification=notification,
                        to_address=user.email,
                        subject=str(title)[:200],
                        body=f"{body}\n\n{url}".strip(),
                    )
        except IntegrityError:
            # A concurrent call wrote the same deduplicated notification.
            continue
        created.append(notification)
    return created


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def outbox_deliver(*, batch: int = 50) -> int:
    """Send pending e-mails. Rows are claimed with SKIP LOCKED where the
    database has it, so several workers never send the same one twice."""
    sent = 0
    with transaction.atomic():
        pending = EmailOutbox.objects.filter(status=EmailOutbox.Status.PENDING).order_by("id")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        for row in pending[:batch]:
            row.attempts += 1
            try:
                send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to_address])
            except Exception as exc:
                logger.warning("e-mail %s failed: %s", row.pk, exc)
                row.last_error = str(exc)[:500]
                if row.attempts >= MAX_EMAIL_ATTEMPTS:
                    row.status = EmailOutbox.Status.FAILED
                row.save(update_fields=["attempts", "last_error", "status"])
                continue
            row.status = EmailOutbox.Status.SENT
            row.sent_at = timezone.now()
            row.save(update_fields=["attempts", "status", "sent_at"])
            sent += 1
    return sent

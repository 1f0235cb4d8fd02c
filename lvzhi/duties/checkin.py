"""The rotating check-in code (扫码签到).

The QR code shown at the venue encodes a URL with the activity id, a time
slot and an HMAC of both under SECRET_KEY. A slot is 30 seconds; a code is
accepted in its own slot and the one after it (so a member who scans just
before the code changes still gets in), never later. The code names no
member: whoever opens it is checked in as the logged-in user, so a forwarded
or photographed code cannot check anybody else in, and an old one is useless
after a minute. Codes work only from a margin before the start to the same margin after
the end of the activity (CHECKIN_MARGIN unless the committee set its own,
``duties.checkin_margin_minutes``)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

SLOT_SECONDS = 30
CHECKIN_MARGIN = timedelta(minutes=30)


def slot_of(moment: datetime) -> int:
    return int(moment.timestamp()) // SLOT_SECONDS


def token_for(activity_id: int, slot: int) -> str:
    message = f"lvzhi.duties.checkin:{activity_id}:{slot}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]


def current_code(activity_id: int, now: datetime | None = None) -> tuple[int, str]:
    slot = slot_of(now or timezone.now())
    return slot, token_for(activity_id, slot)


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: str = ""  # "invalid", "expired", "" when ok


def check_code(activity_id: int, slot: int, token: str, now: datetime | None = None) -> CodeCheck:
    """Is this code genuine and fresh? (The activity window is checked by the service.)"""
    if not hmac.compare_digest(token_for(activity_id, slot), str(token)):
        return CodeCheck(False, "invalid")
    current = slot_of(now or timezone.now())
    if slot > current:
        # A genuine code from the future cannot exist unless the clock is wrong.
        return CodeCheck(False, "invalid")
    if slot < current - 1:
        return CodeCheck(False, "expired")
    return CodeCheck(True)


def in_window(
    start_at: datetime,
    end_at: datetime,
    now: datetime | None = None,
    margin: timedelta = CHECKIN_MARGIN,
) -> bool:
    now = now or timezone.now()
    return start_at - margin <= now <= end_at + margin

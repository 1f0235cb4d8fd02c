"""The rotating check-in code (扫码签到).

The QR code shown at the venue encodes a URL with the activity id, a time
slot and a salted HMAC of both under SECRET_KEY (a code made under one of
SECRET_KEY_FALLBACKS is accepted too, so a key rotation does not turn away
a member scanning the code on the screen). A slot is 30 seconds; a code is
accepted in its own slot and the one after it (so a member who scans just
before the code changes still gets in), never later. The code names no
member: whoever opens it is checked in as the logged-in user, so a forwarded
or photographed code cannot check anybody else in, and an old one is useless
after a minute. Codes work only from a margin before the start to the same margin after
the end of the activity (CHECKIN_MARGIN unless the committee set its own,
``duties.checkin_margin_minutes``)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

SLOT_SECONDS = 30
CHECKIN_MARGIN = timedelta(minutes=30)


def slot_of(moment: datetime) -> int:
    return int(moment.timestamp()) // SLOT_SECONDS


CHECKIN_SALT = "lvzhi.duties.checkin_code"


def _token_under(secret: str, activity_id: int, slot: int) -> str:
    message = f"{activity_id}:{slot}"
    return salted_hmac(CHECKIN_SALT, message, secret=secret, algorithm="sha256").hexdigest()[:24]


def token_for(activity_id: int, slot: int) -> str:
    return _token_under(settings.SECRET_KEY, activity_id, slot)


def _genuine(activity_id: int, slot: int, token: str) -> bool:
    """Made under SECRET_KEY or one of SECRET_KEY_FALLBACKS?"""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    # Every key is tried (no early exit), so the time does not tell which matched.
    matches = [hmac.compare_digest(_token_under(k, activity_id, slot), token) for k in keys]
    return any(matches)


def current_code(activity_id: int, now: datetime | None = None) -> tuple[int, str]:
    slot = slot_of(now or timezone.now())
    return slot, token_for(activity_id, slot)


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: str = ""  # "invalid", "expired", "" when ok


def check_code(activity_id: int, slot: int, token: str, now: datetime | None = None) -> CodeCheck:
    """Is this code genuine and fresh? (The activity window is checked by the service.)"""
    if not _genuine(activity_id, slot, str(token)):
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

"""Venue codes and tracking codes: random, unguessable, never stored in clear.

A tracking code is 16 characters from a 32-letter alphabet (80 bits): it is
derived with HMAC from the hidden token of the form that sent the message,
so a second post of the same form shows the same code without the code
ever being stored. The table keeps only a keyed hash of it, looked up
through a unique index (one indexed equality, whatever the code)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac

from lvzhi.core import crypto

# No 0/O or 1/I: codes are read off a phone and typed again.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
assert len(ALPHABET) == 32
BITS_PER_CHAR = 5
CODE_BITS = CODE_LENGTH * BITS_PER_CHAR  # 80


def _encode(raw: bytes, length: int) -> str:
    number = int.from_bytes(raw, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, 32)
        chars.append(ALPHABET[index])
    return "".join(chars)


def new_venue_code() -> str:
    """The public code in a venue's QR URL (20 characters, 100 bits)."""
    return _encode(secrets.token_bytes(16), 20).lower()


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


TRACKING_SALT = "lvzhi.public.tracking_code"


def _code_under(secret: str, form_token: str) -> str:
    digest = salted_hmac(TRACKING_SALT, form_token, secret=secret, algorithm="sha256").digest()
    return _encode(digest[:10], CODE_LENGTH)


def tracking_code_for(form_token: str) -> str:
    """The code of the form ``form_token`` (salted HMAC under SECRET_KEY)."""
    return _code_under(settings.SECRET_KEY, form_token)


def tracking_codes_for(form_token: str) -> list[str]:
    """The code under SECRET_KEY, then under each of SECRET_KEY_FALLBACKS."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_code_under(key, form_token) for key in keys]


def tracking_code_of(message: Any, form_token: str) -> str:
    """The code ``message`` was given for ``form_token``: the one whose hash it
    keeps, so a repost after a SECRET_KEY rotation shows the same code."""
    for code in tracking_codes_for(form_token):
        if message.tracking_hash in tracking_hashes(code):
            return code
    return tracking_code_for(form_token)


def normalise(code: str) -> str:
    """What the citizen typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def tracking_hash(code: str) -> str:
    """The keyed hash stored (the current field key)."""
    return crypto.blind_index("track:" + normalise(code))


def tracking_hashes(code: str) -> list[str]:
    """Every hash the field key ring makes of ``code``: the clear code is not
    kept, so a message sealed before a key rotation keeps its old hash."""
    return crypto.blind_indexes("track:" + normalise(code))


def display(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS"""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

"""Venue codes and tracking codes: random, unguessable, never stored in clear.

A tracking code is 16 characters from a 32-letter alphabet (80 bits): it is
derived with HMAC from the hidden token of the form that sent the message,
so a second post of the same form shows the same code without the code
ever being stored. The table keeps only a keyed hash of it, looked up
through a unique index (one indexed equality, whatever the code)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

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


def tracking_code_for(form_token: str) -> str:
    key = hashlib.sha256(("lvzhi.public.tracking:" + settings.SECRET_KEY).encode()).digest()
    digest = hmac.new(key, form_token.encode(), hashlib.sha256).digest()
    return _encode(digest[:10], CODE_LENGTH)


def normalise(code: str) -> str:
    """What the citizen typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def tracking_hash(code: str) -> str:
    return crypto.blind_index("track:" + normalise(code))


def display(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS"""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

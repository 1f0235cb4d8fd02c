"""Encryption at rest for ID and mobile numbers, with a keyed hash that lets
us find a row by the number without storing it in clear (DESIGN §9)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    root = hashlib.sha256(secret.encode()).digest()
    enc_key = hmac.new(root, b"lvzhi-encrypt", hashlib.sha256).digest()
    hash_key = hmac.new(root, b"lvzhi-blind-index", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(enc_key)), hash_key


def encrypt(value: str) -> str:
    if not value:
        return ""
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def blind_index(value: str) -> str:
    """Keyed hash of the normalised value; equal numbers give equal hashes."""
    if not value:
        return ""
    _, key = _keys(settings.FIELD_ENCRYPTION_KEY)
    normalised = value.strip().upper()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def mask_mobile(value: str) -> str:
    """138****5678"""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_id_number(value: str) -> str:
    """110101********123X: region kept, birth date and sequence hidden."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]

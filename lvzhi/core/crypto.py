"""Encryption at rest for ID and mobile numbers (and TOTP and webhook
secrets), with a keyed hash that lets us find a row by the number without
storing it in clear (DESIGN §9, 国密).

Two ciphers, chosen with ``FIELD_CIPHER``:

* ``fernet`` (the default): AES-128-CBC + HMAC-SHA256; lookup hash HMAC-SHA256.
* ``sm4``: SM4-GCM (GB/T 32907, 96-bit nonce, 128-bit tag); lookup hash
  HMAC-SM3 (GB/T 32905).

Keys form a ring: ``FIELD_ENCRYPTION_KEY`` has the id ``0``; older or newer
keys come from ``FIELD_ENCRYPTION_KEYS`` (``id=secret,id=secret``) and
``FIELD_KEY_ID`` names the one that writes. Every ciphertext says which
cipher and key made it (``sm4:<id>:<base64>``, ``fernet:<id>:<token>``; a
Fernet token without a prefix, written before the ring existed, is tried
under every key), so decryption finds the key by id and keys rotate online:
``manage.py fields_reencrypt`` rewrites every column under the current key.

A lookup hash carries no key id (columns and unique indexes stay as they
are), so lookups match any hash the ring can make (``blind_indexes``) while
writes use the current one (``blind_index``). Hashes whose clear value is not
kept (tracking codes, recovery codes) cannot be recomputed: keep a retired
key in ``FIELD_ENCRYPTION_KEYS`` as long as such hashes live."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as chmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FERNET = "fernet"
SM4 = "sm4"
CIPHERS = (FERNET, SM4)
LEGACY_KEY_ID = "0"
_NONCE_BYTES = 12
_TAG_BYTES = 16


class DecryptionFailed(Exception):
    """A ciphertext no key of the ring opens (or that names an unknown key)."""


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = chmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


@dataclass(frozen=True)
class _Key:
    kid: str
    fernet: Fernet
    sm4: bytes
    hash_sha256: bytes
    hash_sm3: bytes


@lru_cache(maxsize=32)
def _derive(kid: str, secret: str) -> _Key:
    root = hashlib.sha256(secret.encode()).digest()
    enc_key = hmac.new(root, b"lvzhi-encrypt", hashlib.sha256).digest()
    root_sm3 = _sm3(secret.encode())
    return _Key(
        kid=kid,
        fernet=Fernet(base64.urlsafe_b64encode(enc_key)),
        sm4=_hmac_sm3(root_sm3, b"lvzhi-sm4-encrypt")[:16],
        hash_sha256=hmac.new(root, b"lvzhi-blind-index", hashlib.sha256).digest(),
        hash_sm3=_hmac_sm3(root_sm3, b"lvzhi-blind-index-sm3"),
    )


def parse_keys(text: str) -> dict[str, str]:
    """``id=secret,id=secret`` → {id: secret} (the settings' format)."""
    found: dict[str, str] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        kid, sep, secret = item.partition("=")
        kid = kid.strip()
        if not sep or not kid or not secret.strip() or ":" in kid:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS: use id=secret,id=secret")
        found[kid] = secret.strip()
    return found


def _ring() -> dict[str, _Key]:
    secrets_by_id = {LEGACY_KEY_ID: settings.FIELD_ENCRYPTION_KEY}
    extra = getattr(settings, "FIELD_ENCRYPTION_KEYS", {}) or {}
    if isinstance(extra, str):
        extra = parse_keys(extra)
    secrets_by_id.update(extra)
    return {kid: _derive(kid, secret) for kid, secret in secrets_by_id.items()}


def current_cipher() -> str:
    cipher = str(getattr(settings, "FIELD_CIPHER", FERNET) or FERNET).lower()
    if cipher not in CIPHERS:
        raise ImproperlyConfigured(f"FIELD_CIPHER must be one of {', '.join(CIPHERS)}")
    return cipher


def current_key_id() -> str:
    kid = str(getattr(settings, "FIELD_KEY_ID", LEGACY_KEY_ID) or LEGACY_KEY_ID)
    if kid not in _ring():
        raise ImproperlyConfigured(f"FIELD_KEY_ID {kid!r} is not in FIELD_ENCRYPTION_KEYS")
    return kid


def current_prefix() -> str:
    return f"{current_cipher()}:{current_key_id()}:"


def is_current(token: str) -> bool:
    """Was ``token`` written by the current cipher and key?"""
    return not token or token.startswith(current_prefix())


def settings_check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """System check (lvzhi.E001): the cipher, the key ring and the current key id."""
    from django.core import checks

    try:
        current_cipher()
        current_key_id()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="lvzhi.E001")]
    return []


# --- Encryption -----------------------------------------------------------------------------


def _sm4_encrypt(key: _Key, data: bytes) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    aad = f"{SM4}:{key.kid}".encode()
    encryptor = Cipher(algorithms.SM4(key.sm4), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(data) + encryptor.finalize()
    return base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode()


def _sm4_decrypt(key: _Key, text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.encode())
    except ValueError as error:
        raise DecryptionFailed("not base64") from error
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise DecryptionFailed("too short")
    nonce, body, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key.sm4), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(f"{SM4}:{key.kid}".encode())
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as error:
        raise DecryptionFailed("tag") from error


def encrypt(value: str) -> str:
    """``value`` under the current cipher and key ("" stays "")."""
    if not value:
        return ""
    cipher, kid = current_cipher(), current_key_id()
    key = _ring()[kid]
    if cipher == SM4:
        body = _sm4_encrypt(key, value.encode())
    else:
        body = key.fernet.encrypt(value.encode()).decode()
    return f"{cipher}:{kid}:{body}"


def decrypt_strict(token: str) -> str:
    """The clear value, or DecryptionFailed (never a silent "")."""
    if not token:
        return ""
    ring = _ring()
    cipher, sep, rest = token.partition(":")
    if sep and cipher in CIPHERS:
        kid, sep, body = rest.partition(":")
        key = ring.get(kid)
        if not sep or key is None:
            raise DecryptionFailed(f"unknown key {kid!r}")
        if cipher == SM4:
            return _sm4_decrypt(key, body).decode()
        try:
            return key.fernet.decrypt(body.encode()).decode()
        except InvalidToken as error:
            raise DecryptionFailed("fernet") from error
    # A Fernet token from before the ring: try the legacy key first, then the rest.
    for kid in sorted(ring, key=lambda k: k != LEGACY_KEY_ID):
        try:
            return ring[kid].fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            continue
    raise DecryptionFailed("no key opens this token")


def decrypt(token: str) -> str:
    """The clear value; "" if no key of the ring opens the token."""
    try:
        return decrypt_strict(token)
    except DecryptionFailed:
        return ""


# --- Lookup hashes --------------------------------------------------------------------------


def _normalised(value: str) -> bytes:
    return value.strip().upper().encode()


def _digest(key: _Key, algorithm: str, data: bytes) -> str:
    if algorithm == SM4:
        return _hmac_sm3(key.hash_sm3, data).hex()
    return hmac.new(key.hash_sha256, data, hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """Keyed hash of the normalised value under the current key (what is
    written); equal numbers give equal hashes. HMAC-SM3 with ``sm4``."""
    if not value:
        return ""
    key = _ring()[current_key_id()]
    return _digest(key, current_cipher(), _normalised(value))


def blind_indexes(value: str) -> list[str]:
    """Every hash the ring can make of ``value``, the current one first: a
    lookup matches rows written before a rotation too (``field__in=``)."""
    if not value:
        return []
    data = _normalised(value)
    found = [blind_index(value)]
    for key in _ring().values():
        for algorithm in CIPHERS:
            digest = _digest(key, algorithm, data)
            if digest not in found:
                found.append(digest)
    return found


# --- Masking --------------------------------------------------------------------------------


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

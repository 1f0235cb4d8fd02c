"""Time-based one-time passwords (RFC 6238) for the second login factor.

Pure functions: no database. The services store the secret (encrypted) and the
last accepted time step, which makes every code single-use."""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp

ISSUER = "Lvzhi"
INTERVAL = 30
# Accept the previous and the next 30-second step: phone clocks drift.
WINDOW = 1
# Recovery codes: for a login without the phone, each good once. Ten letters
# and digits that cannot be confused (no 0/o, 1/l/i): about 50 bits each.
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_RECOVERY_LENGTH = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account_name: str) -> str:
    return pyotp.TOTP(secret, interval=INTERVAL).provisioning_uri(
        name=account_name, issuer_name=ISSUER
    )


def current_code(secret: str, at: float | None = None) -> str:
    totp = pyotp.TOTP(secret, interval=INTERVAL)
    return totp.generate_otp(int((time.time() if at is None else at) // INTERVAL))


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step the code belongs to (within the window), or None."""
    code = (code or "").strip().replace(" ", "")
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=INTERVAL)
    base = int((time.time() if at is None else at) // INTERVAL)
    for step in range(base - WINDOW, base + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Fresh codes as shown to the user, ``abcde-fghjk``."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_code_normalised(code: str) -> str | None:
    """The code without dashes, spaces and case, or None if it cannot be one."""
    value = (code or "").strip().lower().replace("-", "").replace(" ", "")
    if len(value) != _RECOVERY_LENGTH or any(c not in _RECOVERY_ALPHABET for c in value):
        return None
    return value

"""Password rules of DESIGN §9 (身份鉴别 a): at least 3 of the 4 character
classes; no common password in disguise (``Passw0rd!``, ``Admin@123``,
``Qwer1234!``); none of the last five passwords again."""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    required_classes = 3

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.required_classes:
            raise ValidationError(
                _(
                    "The password must contain at least three of: lowercase letters, "
                    "uppercase letters, digits and symbols."
                ),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("Use at least three of: lowercase letters, uppercase letters, digits and symbols.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a message of our own: Django 5.2 changed its
    msgid and the zh_Hans catalogue shipped with Django has no translation yet,
    so the stock message appears in English."""

    def get_error_message(self) -> str:
        return _("The password is too short: it must have at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return _("At least %(min_length)d characters.") % {"min_length": self.min_length}


# Substitutions people make to pass a complexity rule ("Passw0rd", "p@ss").
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# Runs a finger or the alphabet makes ("qwer", "abc", "1234"), either way.
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_GROUP = re.compile(r"[a-z]+|[0-9]+")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    return frozenset(password_validation.CommonPasswordValidator().passwords)


def _is_run(group: str) -> bool:
    if len(group) < 3:
        return False
    if len(set(group)) == 1:
        return True
    return any(group in run or group in run[::-1] for run in _RUNS)


def _is_weak(group: str) -> bool:
    """A piece that adds little: a common word, a run, or a one- or two-digit suffix."""
    return group in _common() or _is_run(group) or (group.isdigit() and len(group) <= 2)


def is_common_in_disguise(password: str) -> bool:
    """Whether the password is only common words, runs and short numbers once
    case, symbols and look-alike substitutions are taken away."""
    lowered = password.lower()
    if any(re.sub(r"[^a-z0-9]", "", v) in _common() for v in (lowered.translate(_LEET), lowered)):
        return True
    groups = _GROUP.findall(lowered)
    return bool(groups) and all(_is_weak(g) for g in groups)


class CommonPatternValidator:
    """Django's common-password list, after normalising what people do to a
    common password to pass the character-class rule."""

    def validate(self, password: str, user: Any = None) -> None:
        if is_common_in_disguise(password):
            raise ValidationError(
                _(
                    "This password is a common password with symbols or digits added; "
                    "choose one that is not built on a common word or a keyboard run."
                ),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Not a common word or a keyboard run, even with symbols or digits added.")


class PasswordHistoryValidator:
    """None of the last ``count`` passwords of the account (their hashes are
    kept in PasswordHistory, written by Django's ``password_changed`` hook)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent(self, user: Any) -> list[str]:
        from lvzhi.accounts.models import PasswordHistory

        if user is None or user.pk is None:
            return []
        rows = PasswordHistory.objects.filter(user_id=user.pk).order_by("-id")[: self.count]
        # The current password (the newest row) has its own, plainer rule
        # ("must differ from the current one"), checked by the form and service.
        return [
            encoded
            for encoded in rows.values_list("password", flat=True)
            if encoded != user.password
        ]

    def validate(self, password: str, user: Any = None) -> None:
        if any(encoded and check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(
                _("This password was used recently; choose one not among your last %(count)d.")
                % {"count": self.count},
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        from lvzhi.accounts.models import PasswordHistory

        if user is not None and user.pk is not None and user.password:
            PasswordHistory.objects.create(user_id=user.pk, password=user.password)
            stale = PasswordHistory.objects.filter(user_id=user.pk).order_by("-id")[self.count :]
            PasswordHistory.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()

    def get_help_text(self) -> str:
        return _("Not one of your last %(count)d passwords.") % {"count": self.count}

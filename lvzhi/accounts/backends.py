"""Log in with the username or the mobile number (found by its keyed hash)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from lvzhi.accounts.models import User
from lvzhi.core import crypto


def find_user(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = User.objects.filter(username__iexact=identifier).first()
    if user is None and identifier.isdigit():
        user = User.objects.filter(mobile_hash__in=crypto.blind_indexes(identifier)).first()
    return user


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Same work as a real check, so timing does not tell which names exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

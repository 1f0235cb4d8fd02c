from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lvzhi.accounts.models import User
from lvzhi.api import services
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.models import Committee, Member


@pytest.fixture
def seat(committee: Committee) -> Member:
    """A member in office in the current term, with a login."""
    return make_member(committee, username="weiyuan_api")


@pytest.fixture
def seat_user(seat: Member) -> User:
    user = seat.person.user
    assert user is not None
    return user


@pytest.fixture
def make_token(committee: Committee) -> Callable[..., str]:
    def make(user: User, scope: str = "write", **kwargs: Any) -> str:
        kwargs.setdefault("committee", committee)
        new = services.api_token_create(
            actor=user, name="手机", scope=scope, days=kwargs.pop("days", 30), **kwargs
        )
        return new.token

    return make


@pytest.fixture
def token_client() -> Callable[[str], Client]:
    def make(token: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lvzhi.accounts.models import Area, Role, User
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.models import Committee, Member


@pytest.fixture
def duties_staff(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.DUTIES, username="duties_staff")


@pytest.fixture
def new_member(committee: Committee) -> Callable[..., Member]:
    def make(**kwargs: Any) -> Member:
        return make_member(committee, **kwargs)

    return make

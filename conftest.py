"""Fixtures shared by every app's tests: a committee with a user per role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import CommitteeFactory, MemberFactory, PersonFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committee(db: None) -> Committee:
    return CommitteeFactory(name="测试市政协", short_name="测试市政协", code="test-city")


@pytest.fixture
def other_committee(db: None) -> Committee:
    return CommitteeFactory(name="别处县政协", short_name="别处县政协", code="elsewhere")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """make_user(role, committee, area="") -> a user holding that role there."""

    def make(role: str, committee: Committee, area: str = "", **kwargs: Any) -> User:
        user = UserFactory(**kwargs)
        RoleAssignmentFactory(user=user, committee=committee, role=role, area=area, **{})
        return user

    return make


@pytest.fixture
def staff_user(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.ORG, username="staff")


@pytest.fixture
def member(committee: Committee) -> Member:
    user = UserFactory(username="member")
    person = PersonFactory(user=user, mobile="13800138000", id_number="11010519491231002X")
    return MemberFactory(committee=committee, person=person)


@pytest.fixture
def member_user(member: Member) -> User:
    user = member.person.user
    assert user is not None
    return user


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def client_for(client: Client) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        return login(client, user)

    return make


__all__ = ["PASSWORD"]

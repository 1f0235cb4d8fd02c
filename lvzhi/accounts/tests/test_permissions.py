"""Who may open the accounts pages: role × page (DESIGN §10 permission matrix)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from lvzhi.accounts.models import Area, Role, RoleAssignment, User
from lvzhi.accounts.tests.factories import RoleAssignmentFactory
from lvzhi.core.navigation import items_for
from lvzhi.org.models import Committee, Member

pytestmark = pytest.mark.django_db

ROLES = [
    "member",
    Role.STAFF,
    Role.LEADER,
    Role.UNIT,
    Role.GOV_LEADER,
    Role.SYSADMIN,
    Role.SECADMIN,
    Role.AUDITOR,
]


@pytest.fixture
def target(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.LEADER, committee, username="target")


@pytest.fixture
def user_with(
    make_user: Callable[..., User], committee: Committee, member: Member
) -> Callable[[str], User]:
    def make(role: str) -> User:
        if role == "member":
            user = member.person.user
            assert user is not None
            return user
        area = Area.ORG if role == Role.STAFF else ""
        return make_user(role, committee, area, username=f"as-{role}")

    return make


def secadmin_requests(target: User) -> list[tuple[str, str]]:
    assignment = RoleAssignment.objects.get(user=target)
    return [
        ("get", reverse("accounts:user_list")),
        ("get", reverse("accounts:user_create")),
        ("post", reverse("accounts:user_create")),
        ("get", reverse("accounts:user_detail", args=[target.pk])),
        ("post", reverse("accounts:user_deactivate", args=[target.pk])),
        ("post", reverse("accounts:user_reactivate", args=[target.pk])),
        ("post", reverse("accounts:user_unlock", args=[target.pk])),
        ("post", reverse("accounts:user_password_reset", args=[target.pk])),
        ("post", reverse("accounts:user_totp_reset", args=[target.pk])),
        ("post", reverse("accounts:role_grant", args=[target.pk])),
        ("post", reverse("accounts:role_revoke", args=[assignment.pk])),
    ]


AUDIT_PAGES = ["accounts:audit_list", "accounts:audit_export"]


def call(client: Client, method: str, url: str) -> Any:
    if method == "post":
        return client.post(url, {"username": "x", "display_name": "x", "role": "leader"})
    return client.get(url)


def test_anonymous_users_are_sent_to_login_from_every_page(client: Client, target: User) -> None:
    pages = secadmin_requests(target) + [("get", reverse(name)) for name in AUDIT_PAGES]
    for method, url in pages:
        response = call(client, method, url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url
    assert RoleAssignment.objects.filter(user=target).exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r != Role.SECADMIN])
def test_only_security_administrators_reach_the_account_pages(
    client: Client, target: User, user_with: Callable[[str], User], role: str
) -> None:
    client.force_login(user_with(role))
    for method, url in secadmin_requests(target):
        assert call(client, method, url).status_code == 403, (role, url)
    target.refresh_from_db()
    assert target.is_active
    assert not target.must_change_password
    assert RoleAssignment.objects.filter(user=target).count() == 1
    assert not User.objects.filter(username="x").exists()


def test_a_security_administrator_reaches_the_account_pages(
    client: Client, target: User, user_with: Callable[[str], User]
) -> None:
    client.force_login(user_with(Role.SECADMIN))
    for name, args in [
        ("accounts:user_list", []),
        ("accounts:user_create", []),
        ("accounts:user_detail", [target.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


@pytest.mark.parametrize("role", [r for r in ROLES if r != Role.AUDITOR])
def test_only_auditors_read_the_audit_trail(
    client: Client, user_with: Callable[[str], User], role: str
) -> None:
    client.force_login(user_with(role))
    for name in AUDIT_PAGES:
        assert client.get(reverse(name)).status_code == 403, (role, name)


def test_an_auditor_reads_the_audit_trail(client: Client, user_with: Callable[[str], User]) -> None:
    client.force_login(user_with(Role.AUDITOR))
    for name in AUDIT_PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_a_secadmin_role_in_another_committee_does_not_open_this_committees_pages(
    client: Client, committee: Committee, other_committee: Committee, make_user: Any
) -> None:
    user = make_user(Role.LEADER, committee, username="leader-here")
    RoleAssignmentFactory(user=user, committee=other_committee, role=Role.SECADMIN)
    client.force_login(user)
    # The current committee is the first one (this committee): no secadmin there.
    session = client.session
    session["lvzhi_committee_id"] = committee.pk
    session.save()
    assert client.get(reverse("accounts:user_list")).status_code == 403
    session = client.session
    session["lvzhi_committee_id"] = other_committee.pk
    session.save()
    assert client.get(reverse("accounts:user_list")).status_code == 200


def nav_labels(user: User, committee: Committee) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    request.committee = committee  # type: ignore[attr-defined]
    return [item["url"] for item in items_for(request)]


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_shows_each_page_only_to_its_role(
    user_with: Callable[[str], User], committee: Committee, role: str
) -> None:
    urls = nav_labels(user_with(role), committee)
    assert (reverse("accounts:user_list") in urls) == (role == Role.SECADMIN)
    assert (reverse("accounts:audit_list") in urls) == (role == Role.AUDITOR)

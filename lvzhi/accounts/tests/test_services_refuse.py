"""Every write service of the accounts app checks its named permission first:
an actor without it gets PermissionDenied, the refusal is audited and nothing
else is written. Also the named-permission matrix (role × relation to the
account), the audit row of a web POST, and the login naming its user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts import services, totp
from lvzhi.accounts.models import Area, LoginFailure, Role, RoleAssignment, User
from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core import crypto
from lvzhi.core.audit import audit_log
from lvzhi.core.context import acting_as
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Committee

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, Any]:
    return {
        "users": sorted(User.objects.values_list(), key=str),
        "roles": sorted(RoleAssignment.objects.values_list(), key=str),
        "failures": sorted(LoginFailure.objects.values_list(), key=str),
        "audit": list(
            AuditEvent.objects.exclude(action="permission_denied").values_list("id", flat=True)
        ),
    }


@pytest.fixture
def account(make_user: Callable[..., User], committee: Committee) -> User:
    """An account of the committee: locked, with a second factor."""
    user = make_user(Role.LEADER, committee, username="target")
    user.totp_secret_encrypted = crypto.encrypt(totp.new_secret())
    user.totp_enabled_at = timezone.now()
    user.save()
    LoginFailure.objects.create(
        username="target",
        ip="10.0.0.1",
        failures=5,
        locked_until=timezone.now() + timedelta(minutes=10),
    )
    return user


SECRET = totp.new_secret()

# service -> (function, permission, keyword arguments given the actor, account, committee)
CALLS: dict[str, tuple[Callable[..., Any], str, Callable[..., dict[str, Any]]]] = {
    "user_create": (
        services.user_create,
        "accounts.manage_roles",
        lambda actor, account, committee: {
            "committee": committee,
            "username": "newcomer",
            "display_name": "新人",
        },
    ),
    "user_deactivate": (
        services.user_deactivate,
        "accounts.manage_account",
        lambda actor, account, committee: {"user": account},
    ),
    "user_reactivate": (
        services.user_reactivate,
        "accounts.manage_account",
        lambda actor, account, committee: {"user": account},
    ),
    "user_password_reset": (
        services.user_password_reset,
        "accounts.reset_user_password",
        lambda actor, account, committee: {"user": account},
    ),
    "user_unlock": (
        services.user_unlock,
        "accounts.manage_account",
        lambda actor, account, committee: {"user": account},
    ),
    "totp_reset": (
        services.totp_reset,
        "accounts.manage_account",
        lambda actor, account, committee: {"user": account},
    ),
    "role_grant": (
        services.role_grant,
        "accounts.manage_roles",
        lambda actor, account, committee: {
            "committee": committee,
            "user": account,
            "role": Role.STAFF,
            "area": Area.ORG,
        },
    ),
    "role_revoke": (
        services.role_revoke,
        "accounts.manage_roles",
        lambda actor, account, committee: {"assignment": RoleAssignment.objects.get(user=account)},
    ),
}

OUTSIDERS = ["auditor", "org_staff", "secadmin_of_another_committee", "anonymous"]


@pytest.fixture
def outsider(
    make_user: Callable[..., User], committee: Committee, other_committee: Committee
) -> Callable[[str], Any]:
    def make(kind: str) -> Any:
        return {
            "auditor": lambda: make_user(Role.AUDITOR, committee),
            "org_staff": lambda: make_user(Role.STAFF, committee, Area.ORG),
            "secadmin_of_another_committee": lambda: make_user(Role.SECADMIN, other_committee),
            "anonymous": AnonymousUser,
        }[kind]()

    return make


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", list(CALLS))
def test_every_account_service_refuses_an_actor_without_its_permission_and_writes_nothing(
    name: str,
    who: str,
    account: User,
    committee: Committee,
    outsider: Callable[[str], Any],
) -> None:
    service, permission, arguments = CALLS[name]
    actor = outsider(who)
    kwargs = arguments(actor, account, committee)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        service(actor=actor, **kwargs)

    assert snapshot() == before
    refusal = AuditEvent.objects.get(action="permission_denied")
    assert refusal.detail["permission"] == permission


@pytest.mark.parametrize("name", ["password_change", "totp_enable"])
def test_an_inactive_or_anonymous_actor_cannot_change_own_settings(
    name: str, account: User
) -> None:
    User.objects.filter(pk=account.pk).update(is_active=False)
    account.refresh_from_db()
    for actor in (account, AnonymousUser()):
        before = snapshot()
        with pytest.raises(PermissionDenied):
            if name == "password_change":
                services.password_change(actor=actor, new_password="Another-Pass-2026")
            else:
                services.totp_enable(actor=actor, secret=SECRET, code=totp.current_code(SECRET))
        assert snapshot() == before


def test_a_secadmin_manages_only_accounts_of_own_committee(
    make_user: Callable[..., User], committee: Committee, other_committee: Committee
) -> None:
    secadmin = make_user(Role.SECADMIN, committee)
    here = make_user(Role.LEADER, committee)
    created_here = UserFactory(home_committee=committee)
    elsewhere = make_user(Role.LEADER, other_committee)
    assert rules.has_perm("accounts.manage_account", secadmin, here)
    assert rules.has_perm("accounts.manage_account", secadmin, created_here)
    assert not rules.has_perm("accounts.manage_account", secadmin, elsewhere)
    assert not rules.has_perm("accounts.reset_user_password", secadmin, elsewhere)


def test_a_member_seated_in_the_committee_is_an_account_of_it(
    make_user: Callable[..., User], committee: Committee, member_user: User
) -> None:
    secadmin = make_user(Role.SECADMIN, committee)
    assert rules.has_perm("accounts.manage_account", secadmin, member_user)


# --- The matrix: role × relation × named permission ----------------------------------

ROLES = [
    "anonymous",
    Role.STAFF,
    Role.LEADER,
    Role.UNIT,
    Role.GOV_LEADER,
    Role.SYSADMIN,
    Role.SECADMIN,
    Role.AUDITOR,
]
COMMITTEE_PERMISSIONS = {
    "accounts.manage_roles": {Role.SECADMIN},
    "accounts.reset_password": {Role.SECADMIN},
    "core.view_audit": {Role.AUDITOR},
    "core.change_holiday": {Role.SYSADMIN},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_holds_the_committee_permissions_of_the_matrix_only_in_its_committee(
    role: str, make_user: Callable[..., User], committee: Committee, other_committee: Committee
) -> None:
    user = AnonymousUser() if role == "anonymous" else make_user(role, committee, Area.ORG)
    for perm, holders in COMMITTEE_PERMISSIONS.items():
        assert rules.has_perm(perm, user, committee) == (role in holders), perm
        assert not rules.has_perm(perm, user, other_committee), perm


@pytest.mark.parametrize("role", ROLES)
def test_each_role_holds_the_account_permissions_by_its_relation_to_the_account(
    role: str, make_user: Callable[..., User], committee: Committee, other_committee: Committee
) -> None:
    user = AnonymousUser() if role == "anonymous" else make_user(role, committee, Area.ORG)
    own_committee = make_user(Role.LEADER, committee)
    other = make_user(Role.LEADER, other_committee)
    for perm in ("accounts.manage_account", "accounts.reset_user_password"):
        assert rules.has_perm(perm, user, own_committee) == (role == Role.SECADMIN)
        assert not rules.has_perm(perm, user, other)
    for perm in ("accounts.change_own_password", "accounts.enable_own_totp"):
        assert rules.has_perm(perm, user, user) == (role != "anonymous")
        assert not rules.has_perm(perm, user, own_committee)


# --- Audit rows know who and where ------------------------------------------------------


def test_a_web_post_writes_an_audit_row_with_ip_browser_and_request_id(
    client: Client, make_user: Callable[..., User], committee: Committee
) -> None:
    secadmin = make_user(Role.SECADMIN, committee)
    target = make_user(Role.LEADER, committee)
    client.force_login(secadmin)
    response = client.post(
        reverse("accounts:user_deactivate", args=[target.pk]),
        HTTP_USER_AGENT="pytest",
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="user_deactivated")
    assert row.actor == secadmin
    assert (row.ip, row.user_agent) == ("10.9.8.7", "pytest")
    assert row.request_id == response["X-Request-ID"]
    assert row.object_label == str(target)


def test_after_login_later_rows_of_the_request_name_the_user(
    make_user: Callable[..., User], committee: Committee
) -> None:
    user = make_user(Role.LEADER, committee)
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.3")
    request.session = SessionStore()
    request.user = AnonymousUser()
    with acting_as(channel="test", ip="10.0.0.3"):
        services.session_start(request=request, user=user)
        later = audit_log(action="logout")
    assert later.actor == user


def test_a_login_failure_counts_under_the_ip_of_the_acting_context(
    user_ip: str = "10.7.7.7",
) -> None:
    with acting_as(channel="test", ip=user_ip):
        services.failure_record(identifier="nobody", reason="bad_credentials")
    assert LoginFailure.objects.get(username="nobody").ip == user_ip
    assert AuditEvent.objects.get(action="login_failure").ip == user_ip

"""Recovery codes (a login without the phone, each code once, kept hashed) and
the second factor required of every deciding role in production."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.accounts import totp
from lvzhi.accounts.models import Area, RecoveryCode, Role, User
from lvzhi.accounts.second_factor import second_factor_required
from lvzhi.accounts.tests.conftest import IP, audit_rows, post_login, shows
from lvzhi.core.tests.production import production_settings
from lvzhi.org.models import Committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.PROPOSALS, username="clerk")


def enrol(client: Client) -> list[str]:
    """Enrol through the page; the codes shown once."""
    client.get(reverse("accounts:totp_setup"))
    secret = client.session["lvzhi_totp_pending_secret"]
    response = client.post(
        reverse("accounts:totp_setup"), {"code": totp.current_code(secret, at=time.time())}
    )
    assert response.status_code == 200
    return list(response.context["codes"])


def verify(client: Client, value: str) -> Any:
    return client.post(reverse("accounts:login_verify"), {"code": value}, REMOTE_ADDR=IP)


def test_enrolment_shows_ten_codes_once_and_keeps_only_their_hashes(
    client: Client, clerk: User
) -> None:
    post_login(client, "clerk")
    shown = enrol(client)
    assert len(shown) == totp.RECOVERY_CODES == len(set(shown))
    stored = list(RecoveryCode.objects.filter(user=clerk).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not any(c.replace("-", "") in h or c in h for c in shown for h in stored)
    assert audit_rows("recovery_codes_issued", actor=clerk)[0].detail["count"] == "10"
    # Never shown again.
    again = client.get(reverse("accounts:totp_setup")).content.decode()
    assert not any(c in again for c in shown)


def test_a_recovery_code_logs_in_once_and_the_second_use_is_a_failure(
    client: Client, clerk: User
) -> None:
    post_login(client, "clerk")
    first = enrol(client)[0]
    client.post(reverse("accounts:logout"))

    post_login(client, "clerk")
    verify(client, first.upper().replace("-", " "))
    assert client.session[SESSION_KEY] == str(clerk.pk)
    used = audit_rows("recovery_code_used", actor=clerk)
    assert [row.detail["remaining"] for row in used] == ["9"]
    client.post(reverse("accounts:logout"))

    post_login(client, "clerk")
    response = verify(client, first)
    assert SESSION_KEY not in client.session
    assert shows(response, _("The verification code is incorrect or has already been used."))
    assert audit_rows("login_failure", detail__reason="bad_totp")


def test_new_codes_replace_the_old_ones(client: Client, clerk: User) -> None:
    post_login(client, "clerk")
    old = enrol(client)
    response = client.post(reverse("accounts:recovery_codes_renew"))
    new = list(response.context["codes"])
    assert set(new).isdisjoint(old)
    client.post(reverse("accounts:logout"))
    post_login(client, "clerk")
    verify(client, old[1])
    assert SESSION_KEY not in client.session
    verify(client, new[1])
    assert client.session[SESSION_KEY] == str(clerk.pk)


def test_codes_cannot_be_renewed_without_a_second_factor(client: Client, clerk: User) -> None:
    post_login(client, "clerk")
    response = client.post(reverse("accounts:recovery_codes_renew"), follow=True)
    assert shows(response, _("Enable two-factor authentication first."))
    assert not RecoveryCode.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.LEADER, Role.UNIT, Role.GOV_LEADER, Role.SECADMIN, Role.AUDITOR]
)
def test_every_deciding_role_must_enrol_when_required(
    client: Client, make_user: Callable[..., User], committee: Committee, settings: Any, role: str
) -> None:
    settings.REQUIRE_TOTP = True
    make_user(role, committee, Area.PROPOSALS if role == Role.STAFF else "", username="decider")
    post_login(client, "decider")
    assert client.get(reverse("home")).url == reverse("accounts:totp_setup")


def test_check_deploy_warns_when_the_second_factor_is_off(settings: Any) -> None:
    settings.REQUIRE_TOTP = False
    assert [m.id for m in second_factor_required()] == ["lvzhi.W001"]
    settings.REQUIRE_TOTP = True
    assert second_factor_required() == []


def test_the_second_factor_is_required_by_default_under_https() -> None:
    assert production_settings("REQUIRE_TOTP") == {"REQUIRE_TOTP": True}
    assert production_settings("REQUIRE_TOTP", REQUIRE_TOTP="0") == {"REQUIRE_TOTP": False}

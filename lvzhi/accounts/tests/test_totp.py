"""The optional second factor (TOTP): enrolment, the login step, the lock,
replay, the administrator's reset and the REQUIRE_TOTP setting."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts import services, totp
from lvzhi.accounts.models import Area, LoginFailure, Role, User
from lvzhi.accounts.tests.conftest import IP, audit_rows, post_login, shows
from lvzhi.accounts.views import PENDING_LOGIN_KEY, PENDING_TOTP_SECRET_KEY
from lvzhi.core import crypto
from lvzhi.core.errors import DomainError
from lvzhi.core.qr import qr_data_uri
from lvzhi.org.models import Committee

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code(offset_steps: int = 0, secret: str = SECRET) -> str:
    return totp.current_code(secret, at=time.time() + offset_steps * totp.INTERVAL)


@pytest.fixture
def staff(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.PROPOSALS, username="clerk")


@pytest.fixture
def enrolled(staff: User) -> User:
    staff.totp_secret_encrypted = crypto.encrypt(SECRET)
    staff.totp_enabled_at = timezone.now()
    staff.save()
    return staff


def verify(client: Client, value: str) -> Any:
    return client.post(reverse("accounts:login_verify"), {"code": value}, REMOTE_ADDR=IP)


# --- Pure functions ----------------------------------------------------------------


def test_a_code_matches_its_time_step_and_neighbours_only() -> None:
    now = time.time()
    assert totp.matching_step(SECRET, code(0)) == int(now // 30)
    assert totp.matching_step(SECRET, code(1)) is not None
    assert totp.matching_step(SECRET, code(-1)) is not None
    assert totp.matching_step(SECRET, code(3)) is None
    assert totp.matching_step(SECRET, "12345") is None
    assert totp.matching_step(SECRET, "abcdef") is None
    assert totp.matching_step("", code(0)) is None


def test_the_qr_code_is_a_local_svg_data_uri() -> None:
    uri = totp.provisioning_uri(SECRET, "clerk")
    assert uri.startswith("otpauth://totp/Lvzhi:clerk?secret=" + SECRET)
    assert qr_data_uri(uri).startswith("data:image/svg+xml;base64,")


# --- Enrolment -------------------------------------------------------------------------


def test_the_enrolment_page_shows_the_secret_as_text_and_qr(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get(reverse("accounts:totp_setup"))
    assert response.status_code == 200
    secret = client.session[PENDING_TOTP_SECRET_KEY]
    content = response.content.decode()
    assert secret[:4] in content
    assert "data:image/svg+xml;base64," in content
    # The same secret is shown until confirmed.
    client.get(reverse("accounts:totp_setup"))
    assert client.session[PENDING_TOTP_SECRET_KEY] == secret


def test_a_valid_code_enables_the_second_factor(client: Client, staff: User) -> None:
    client.force_login(staff)
    client.get(reverse("accounts:totp_setup"))
    secret = client.session[PENDING_TOTP_SECRET_KEY]
    response = client.post(reverse("accounts:totp_setup"), {"code": code(0, secret)})
    assert response.status_code == 200  # the recovery codes, shown once
    staff.refresh_from_db()
    assert staff.totp_enabled
    assert staff.totp_secret == secret
    assert secret not in staff.totp_secret_encrypted  # encrypted at rest
    [row] = audit_rows("totp_enabled")
    assert row.actor == staff
    assert secret not in str(row.detail)
    assert PENDING_TOTP_SECRET_KEY not in client.session


@pytest.mark.parametrize("value", ["000000", "12345", "", "abcdef", "1234567"])
def test_a_wrong_code_does_not_enable_it(client: Client, staff: User, value: str) -> None:
    client.force_login(staff)
    client.get(reverse("accounts:totp_setup"))
    secret = client.session[PENDING_TOTP_SECRET_KEY]
    if value == "000000" and code(0, secret) == "000000":  # pragma: no cover - 1 in a million
        value = "111111"
    response = client.post(reverse("accounts:totp_setup"), {"code": value})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    staff.refresh_from_db()
    assert not staff.totp_enabled
    assert not audit_rows("totp_enabled")


def test_an_enrolled_user_sees_the_status(client: Client, enrolled: User) -> None:
    client.force_login(enrolled)
    response = client.get(reverse("accounts:totp_setup"))
    assert response.context["enabled"] is True
    assert SECRET not in response.content.decode()


def test_enrolment_needs_a_login(client: Client) -> None:
    response = client.get(reverse("accounts:totp_setup"))
    assert response.url.startswith(reverse("accounts:login"))


# --- Login with the second factor ---------------------------------------------------------


def test_without_enrolment_the_password_is_enough(client: Client, staff: User) -> None:
    assert post_login(client, "clerk").url == reverse("home")
    assert SESSION_KEY in client.session


def test_an_enrolled_user_must_give_a_code_after_the_password(
    client: Client, enrolled: User
) -> None:
    response = post_login(client, "clerk", next="/accounts/password/")
    assert response.url == reverse("accounts:login_verify")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302
    response = verify(client, code(0))
    assert response.status_code == 302
    assert response.url == "/accounts/password/"
    assert int(client.session[SESSION_KEY]) == enrolled.pk
    assert PENDING_LOGIN_KEY not in client.session
    [row] = audit_rows("login_success")
    assert row.detail["second_factor"] == "totp"


def test_a_wrong_code_counts_as_a_login_failure(client: Client, enrolled: User) -> None:
    post_login(client, "clerk")
    wrong = "000000" if code(0) != "000000" else "111111"
    response = verify(client, wrong)
    assert response.status_code == 200
    assert shows(response, _("The verification code is incorrect or has already been used."))
    assert SESSION_KEY not in client.session
    assert LoginFailure.objects.get(username="clerk", ip=IP).failures == 1
    [row] = audit_rows("login_failure")
    assert row.detail["reason"] == "bad_totp"


def test_a_code_cannot_be_used_twice(client: Client, enrolled: User) -> None:
    post_login(client, "clerk")
    value = code(0)
    verify(client, value)
    client.post(reverse("accounts:logout"))
    post_login(client, "clerk")
    response = verify(client, value)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert verify(client, code(1)).status_code == 302


def test_five_wrong_codes_lock_the_account(client: Client, enrolled: User) -> None:
    post_login(client, "clerk")
    wrong = "000000" if code(0) != "000000" else "111111"
    for _i in range(4):
        verify(client, wrong)
    response = verify(client, wrong)
    assert response.url == reverse("accounts:login")
    assert LoginFailure.objects.get(username="clerk", ip=IP).locked_until is not None
    assert len(audit_rows("account_locked")) == 1
    # Even the right password and code are now refused.
    assert post_login(client, "clerk").status_code == 200


def test_the_code_step_expires_after_five_minutes(client: Client, enrolled: User) -> None:
    post_login(client, "clerk")
    session = client.session
    session[PENDING_LOGIN_KEY] = {**session[PENDING_LOGIN_KEY], "at": time.time() - 301}
    session.save()
    response = verify(client, code(0))
    assert response.url == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_the_code_step_without_a_password_goes_back_to_login(client: Client) -> None:
    response = client.get(reverse("accounts:login_verify"))
    assert response.url == reverse("accounts:login")


def test_the_session_id_changes_after_the_second_factor(client: Client, enrolled: User) -> None:
    post_login(client, "clerk")
    before = client.session.session_key
    verify(client, code(0))
    assert client.session.session_key != before


# --- REQUIRE_TOTP -----------------------------------------------------------------------


def test_with_require_totp_staff_must_enrol_before_anything_else(
    client: Client, staff: User, settings: Any
) -> None:
    settings.REQUIRE_TOTP = True
    post_login(client, "clerk")
    response = client.get(reverse("home"))
    assert response.url == reverse("accounts:totp_setup")
    assert client.get(reverse("accounts:totp_setup")).status_code == 200


def test_with_require_totp_members_are_not_asked(
    client: Client, member_user: User, settings: Any
) -> None:
    settings.REQUIRE_TOTP = True
    post_login(client, "member")
    assert client.get(reverse("home")).status_code == 200


def test_with_require_totp_enrolled_staff_work_normally(
    client: Client, enrolled: User, settings: Any
) -> None:
    settings.REQUIRE_TOTP = True
    post_login(client, "clerk")
    verify(client, code(0))
    assert client.get(reverse("home")).status_code == 200


# --- Reset by the security administrator ----------------------------------------------------


def test_a_security_administrator_resets_a_lost_second_factor(
    secadmin_client: Client, secadmin: User, enrolled: User
) -> None:
    response = secadmin_client.post(reverse("accounts:user_totp_reset", args=[enrolled.pk]))
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert not enrolled.totp_enabled
    assert enrolled.totp_secret_encrypted == ""
    [row] = audit_rows("totp_reset")
    assert row.actor == secadmin
    assert post_login(Client(), "clerk").url == reverse("home")


def test_resetting_an_account_without_second_factor_says_so(secadmin: User, staff: User) -> None:
    with pytest.raises(DomainError):
        services.totp_reset(actor=secadmin, user=staff)
    assert not audit_rows("totp_reset")


def test_a_security_administrator_cannot_reset_their_own_second_factor(
    secadmin: User,
) -> None:
    secadmin.totp_secret_encrypted = crypto.encrypt(SECRET)
    secadmin.totp_enabled_at = timezone.now()
    secadmin.save()
    with pytest.raises(DomainError):
        services.totp_reset(actor=secadmin, user=secadmin)
    secadmin.refresh_from_db()
    assert secadmin.totp_enabled

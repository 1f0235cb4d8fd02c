"""Idle and absolute session limits, and pages a user is kept on until done."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.accounts.middleware import LOGIN_AT_KEY, SEEN_AT_KEY
from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.conftest import audit_rows, post_login, shows
from lvzhi.org.models import Committee

pytestmark = pytest.mark.django_db

MINUTE = 60


def age_session(client: Client, *, idle: float = 0, since_login: float | None = None) -> None:
    """Pretend the last request was ``idle`` seconds ago and the login
    ``since_login`` seconds ago."""
    now = time.time()
    session = client.session
    session[SEEN_AT_KEY] = now - idle
    session[LOGIN_AT_KEY] = now - (since_login if since_login is not None else idle)
    session.save()


def logged_in(client: Client, user: User) -> Client:
    assert post_login(client, user.username).status_code == 302
    return client


def still_in(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200 and SESSION_KEY in client.session


@pytest.fixture
def staff(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, Area.PROPOSALS, username="clerk")


def test_a_normal_user_stays_in_after_29_idle_minutes(client: Client, staff: User) -> None:
    logged_in(client, staff)
    age_session(client, idle=29 * MINUTE)
    assert still_in(client)


def test_a_normal_user_is_logged_out_after_31_idle_minutes(client: Client, staff: User) -> None:
    logged_in(client, staff)
    age_session(client, idle=31 * MINUTE)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    [row] = audit_rows("session_timeout")
    assert row.actor == staff
    assert row.detail["reason"] == "idle"


def test_the_login_page_then_says_the_session_expired(client: Client, staff: User) -> None:
    logged_in(client, staff)
    age_session(client, idle=31 * MINUTE)
    response = client.get(reverse("home"), follow=True)
    assert shows(response, _("Your session has expired. Please log in again."))
    # Said once only.
    assert not shows(
        client.get(reverse("accounts:login")), _("Your session has expired. Please log in again.")
    )


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_an_administrator_is_logged_out_after_16_idle_minutes(
    client: Client, make_user: Callable[..., User], committee: Committee, role: str
) -> None:
    admin = make_user(role, committee, username=f"admin-{role}")
    logged_in(client, admin)
    age_session(client, idle=16 * MINUTE)
    assert not still_in(client)


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_an_administrator_stays_in_after_14_idle_minutes(
    client: Client, make_user: Callable[..., User], committee: Committee, role: str
) -> None:
    admin = make_user(role, committee, username=f"admin-{role}")
    logged_in(client, admin)
    age_session(client, idle=14 * MINUTE)
    assert still_in(client)


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_an_administrator_session_ends_when_the_browser_closes(
    client: Client, make_user: Callable[..., User], committee: Committee, role: str
) -> None:
    admin = make_user(role, committee, username=f"admin-{role}")
    response = post_login(client, admin.username)
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]
    assert still_in(client)


def test_other_users_keep_the_normal_session_cookie(client: Client, staff: User) -> None:
    response = post_login(client, staff.username)
    assert response.status_code == 302
    assert not client.session.get_expire_at_browser_close()
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_activity_moves_the_idle_clock(client: Client, staff: User) -> None:
    logged_in(client, staff)
    age_session(client, idle=20 * MINUTE, since_login=60 * MINUTE)
    assert still_in(client)
    assert time.time() - client.session[SEEN_AT_KEY] < 5


def test_the_absolute_limit_is_twelve_hours_whatever_the_activity(
    client: Client, staff: User
) -> None:
    logged_in(client, staff)
    age_session(client, idle=1 * MINUTE, since_login=12 * 60 * MINUTE + 1)
    assert not still_in(client)
    [row] = audit_rows("session_timeout")
    assert row.detail["reason"] == "absolute"


def test_eleven_hours_of_activity_is_fine(client: Client, staff: User) -> None:
    logged_in(client, staff)
    age_session(client, idle=1 * MINUTE, since_login=11 * 60 * MINUTE)
    assert still_in(client)


def test_a_user_with_a_temporary_password_is_kept_on_the_password_page(
    client: Client, staff: User
) -> None:
    staff.must_change_password = True
    staff.save()
    response = post_login(client, "clerk")
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert shows(
        page,
        _("You are using a temporary password. Please set your own password before you continue."),
    )


def test_a_user_with_a_temporary_password_may_still_log_out(client: Client, staff: User) -> None:
    staff.must_change_password = True
    staff.save()
    post_login(client, "clerk")
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def session_row(client: Client) -> str:
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).session_data


def test_a_page_view_within_a_minute_of_the_last_leaves_the_session_unwritten(
    client: Client, staff: User
) -> None:
    logged_in(client, staff)
    assert still_in(client)  # the first page also stores the committee chosen
    age_session(client, idle=30, since_login=30)
    before = session_row(client)
    assert still_in(client)
    assert session_row(client) == before


def test_a_page_view_a_minute_after_the_last_stores_the_new_last_seen_time(
    client: Client, staff: User
) -> None:
    logged_in(client, staff)
    age_session(client, idle=MINUTE + 1)
    before = session_row(client)
    assert still_in(client)
    assert session_row(client) != before
    assert time.time() - client.session[SEEN_AT_KEY] < 5

"""Logging in and out through the real pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.accounts.middleware import LOGIN_AT_KEY, SEEN_AT_KEY
from lvzhi.accounts.models import LoginFailure, User
from lvzhi.accounts.tests.conftest import IP, audit_rows, post_login, shows
from lvzhi.accounts.tests.factories import PASSWORD, UserFactory
from lvzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

WRONG = _("The username (or mobile number) or the password is incorrect.")


@pytest.fixture
def user() -> User:
    user = UserFactory(username="zhangsan", display_name="张三")
    user.set_mobile("13912345678")
    user.save()
    return user


def test_the_login_page_has_username_and_password_fields(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="username"' in content
    assert 'name="password"' in content


def test_a_user_logs_in_with_the_username(client: Client, user: User) -> None:
    response = post_login(client, "zhangsan")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session[SESSION_KEY]) == user.pk


def test_the_username_is_not_case_sensitive(client: Client, user: User) -> None:
    post_login(client, "ZhangSan")
    assert int(client.session[SESSION_KEY]) == user.pk


def test_a_user_logs_in_with_the_mobile_number(client: Client, user: User) -> None:
    response = post_login(client, "13912345678")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk


def test_a_successful_login_is_audited_with_ip(client: Client, user: User) -> None:
    post_login(client, "zhangsan")
    [row] = audit_rows("login_success")
    assert row.actor == user
    assert row.actor_label == "zhangsan"
    assert row.ip == IP
    assert row.result == AuditEvent.Result.SUCCESS


def test_login_starts_the_session_clocks(client: Client, user: User) -> None:
    post_login(client, "zhangsan")
    session = client.session
    assert session[LOGIN_AT_KEY] == session[SEEN_AT_KEY]


def test_login_gives_a_new_session_id(client: Client, user: User) -> None:
    client.get(reverse("accounts:login"))
    session = client.session
    session["something"] = "before login"
    session.save()
    before = session.session_key
    post_login(client, "zhangsan")
    assert client.session.session_key != before
    assert int(client.session[SESSION_KEY]) == user.pk


def test_login_updates_last_login(client: Client, user: User) -> None:
    post_login(client, "zhangsan")
    user.refresh_from_db()
    assert user.last_login is not None


def test_a_wrong_password_is_refused_with_a_message(client: Client, user: User) -> None:
    response = post_login(client, "zhangsan", "Wrong-Password-1")
    assert response.status_code == 200
    assert shows(response, WRONG)
    assert SESSION_KEY not in client.session


def test_a_failed_login_is_audited_with_the_typed_name_and_never_the_password(
    client: Client, user: User
) -> None:
    post_login(client, "ZhangSan", "Secret-Guess-99")
    [row] = audit_rows("login_failure")
    assert row.actor is None
    assert row.actor_label == "ZhangSan"
    assert row.result == AuditEvent.Result.FAILURE
    assert row.ip == IP
    assert row.object_id == str(user.pk)
    assert "Secret-Guess-99" not in str(row.detail)
    assert row.detail["reason"] == "bad_credentials"


def test_an_unknown_username_gets_the_same_message(client: Client, user: User) -> None:
    response = post_login(client, "nobody", PASSWORD)
    assert shows(response, WRONG)
    [row] = audit_rows("login_failure")
    assert row.actor_label == "nobody"
    assert row.object_id == ""


def test_empty_fields_are_refused_and_nothing_is_counted(client: Client, user: User) -> None:
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert shows(response, _("Enter your username or mobile number."))
    assert shows(response, _("Enter your password."))
    assert not LoginFailure.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_too_long_username_is_refused(client: Client, user: User) -> None:
    response = post_login(client, "x" * 151)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert not LoginFailure.objects.exists()


def test_an_inactive_user_cannot_log_in(client: Client, user: User) -> None:
    user.is_active = False
    user.save()
    response = post_login(client, "zhangsan")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert shows(
        response,
        _(
            "This account has been deactivated. "
            "Please contact your committee's security administrator."
        ),
    )
    [row] = audit_rows("login_failure")
    assert row.detail["reason"] == "inactive"


def test_an_inactive_user_with_a_wrong_password_gets_the_generic_message(
    client: Client, user: User
) -> None:
    user.is_active = False
    user.save()
    response = post_login(client, "zhangsan", "Wrong-Password-1")
    assert shows(response, WRONG)


def test_a_safe_next_url_is_followed(client: Client, user: User) -> None:
    response = post_login(client, "zhangsan", next="/accounts/password/")
    assert response.url == "/accounts/password/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example.com/", "//evil.example.com/", "http://testserver.evil/x"],
)
def test_a_next_url_to_another_host_is_ignored(client: Client, user: User, target: str) -> None:
    response = post_login(client, "zhangsan", next=target)
    assert response.url == reverse("home")


def test_the_login_page_carries_the_next_url_in_the_form(client: Client) -> None:
    response = client.get(reverse("accounts:login") + "?next=/org/")
    assert 'name="next" value="/org/"' in response.content.decode()


def test_the_login_page_drops_an_unsafe_next_url(client: Client) -> None:
    response = client.get(reverse("accounts:login") + "?next=https://evil.example.com/")
    assert "evil.example.com" not in response.content.decode()


def test_a_logged_in_user_visiting_the_login_page_goes_home(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_protected_page_sends_anonymous_users_to_login_with_next(client: Client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login") + "?next=")


def test_logout_needs_post(client: Client, user: User) -> None:
    post_login(client, "zhangsan")
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert SESSION_KEY in client.session


def test_logout_ends_the_session_and_is_audited(client: Client, user: User) -> None:
    post_login(client, "zhangsan")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    [row] = audit_rows("logout")
    assert row.actor == user


def test_logout_without_a_session_just_goes_to_login(client: Client) -> None:
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="logout").exists()

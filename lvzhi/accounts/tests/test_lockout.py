"""The login lock of DESIGN §9: 5 failures lock (account, IP) for 30 minutes."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts import services
from lvzhi.accounts.models import LoginFailure, User
from lvzhi.accounts.tests.conftest import IP, OTHER_IP, audit_rows, post_login, shows
from lvzhi.accounts.tests.factories import PASSWORD, UserFactory
from lvzhi.core.context import acting_as
from lvzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BAD = "Wrong-Password-1"


@pytest.fixture
def user() -> User:
    user = UserFactory(username="lisi", display_name="李四")
    user.set_mobile("13700001111")
    user.save()
    return user


def fail(client: Client, times: int, username: str = "lisi", ip: str = IP) -> None:
    for _i in range(times):
        post_login(client, username, BAD, ip=ip)


def row(ip: str = IP) -> LoginFailure:
    return LoginFailure.objects.get(username="lisi", ip=ip)


def test_failures_are_counted_per_account_and_ip(client: Client, user: User) -> None:
    fail(client, 3)
    assert row().failures == 3
    assert row().locked_until is None


def test_four_failures_do_not_lock(client: Client, user: User) -> None:
    fail(client, 4)
    response = post_login(client, "lisi")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk


def test_the_fifth_failure_locks_the_account_for_thirty_minutes(client: Client, user: User) -> None:
    before = timezone.now()
    fail(client, 5)
    locked_until = row().locked_until
    assert locked_until is not None
    assert before + timedelta(minutes=30) <= locked_until <= timezone.now() + timedelta(minutes=30)


def test_the_lock_is_audited(client: Client, user: User) -> None:
    fail(client, 5)
    assert len(audit_rows("login_failure")) == 5
    [locked] = audit_rows("account_locked")
    assert locked.actor_label == "lisi"
    assert locked.ip == IP
    assert locked.result == AuditEvent.Result.DENIED
    assert locked.object_id == str(user.pk)


def test_while_locked_even_the_right_password_is_refused_with_the_retry_time(
    client: Client, user: User
) -> None:
    fail(client, 5)
    response = post_login(client, "lisi", PASSWORD)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    until = timezone.localtime(row().locked_until).strftime("%H:%M")
    assert until in response.content.decode()
    refused = audit_rows("login_failure", detail__reason="locked")
    assert len(refused) == 1
    assert refused[0].result == AuditEvent.Result.DENIED


def test_the_lock_message_names_the_time_to_retry(user: User) -> None:
    until = timezone.now() + timedelta(minutes=30)
    message = services.AccountLocked(until).message
    assert timezone.localtime(until).strftime("%H:%M") in message
    assert "30" in message


def test_the_lock_does_not_apply_to_another_ip(client: Client, user: User) -> None:
    fail(client, 5, ip=IP)
    response = post_login(client, "lisi", PASSWORD, ip=OTHER_IP)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk


def test_the_lock_does_not_apply_to_another_account_from_the_same_ip(
    client: Client, user: User
) -> None:
    UserFactory(username="wangwu")
    fail(client, 5)
    response = post_login(client, "wangwu", PASSWORD, ip=IP)
    assert response.status_code == 302


def test_failures_by_username_and_by_mobile_count_together(client: Client, user: User) -> None:
    fail(client, 3, username="lisi")
    fail(client, 2, username="13700001111")
    assert row().failures == 5
    assert row().locked_until is not None
    response = post_login(client, "13700001111", PASSWORD)
    assert SESSION_KEY not in client.session
    assert response.status_code == 200


def test_unknown_names_are_locked_too(client: Client) -> None:
    fail(client, 5, username="ghost")
    assert LoginFailure.objects.get(username="ghost", ip=IP).locked_until is not None


def test_a_success_resets_the_counter(client: Client, user: User) -> None:
    fail(client, 4)
    post_login(client, "lisi")
    assert not LoginFailure.objects.filter(username="lisi", ip=IP).exists()
    client.post(reverse("accounts:logout"))
    fail(client, 4)
    assert row().failures == 4
    assert row().locked_until is None


def test_a_success_from_another_ip_does_not_reset_this_ips_counter(
    client: Client, user: User
) -> None:
    fail(client, 3, ip=IP)
    post_login(client, "lisi", PASSWORD, ip=OTHER_IP)
    assert row(IP).failures == 3


def test_the_lock_expires_after_thirty_minutes_at_the_next_attempt(
    client: Client, user: User
) -> None:
    fail(client, 5)
    LoginFailure.objects.filter(username="lisi").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    response = post_login(client, "lisi", PASSWORD)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk
    [unlocked] = audit_rows("account_unlocked")
    assert unlocked.detail["reason"] == "expired"
    assert unlocked.actor is None
    assert unlocked.actor_label == "lisi"


def test_after_expiry_the_count_starts_again(client: Client, user: User) -> None:
    fail(client, 5)
    LoginFailure.objects.filter(username="lisi").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    fail(client, 1)
    assert row().failures == 1
    assert row().locked_until is None
    assert len(audit_rows("account_unlocked")) == 1


def test_the_lock_still_holds_one_minute_before_expiry(client: Client, user: User) -> None:
    fail(client, 5)
    LoginFailure.objects.filter(username="lisi").update(
        locked_until=timezone.now() + timedelta(minutes=1)
    )
    post_login(client, "lisi", PASSWORD)
    assert SESSION_KEY not in client.session


def test_the_lock_settings_are_honoured(client: Client, user: User, settings: object) -> None:
    settings.LOGIN_MAX_FAILURES = 2  # type: ignore[attr-defined]
    settings.LOGIN_LOCK_MINUTES = 5  # type: ignore[attr-defined]
    fail(client, 2)
    locked_until = row().locked_until
    assert locked_until is not None
    assert locked_until <= timezone.now() + timedelta(minutes=5)


def test_a_security_administrator_unlocks_an_account(
    client: Client, user: User, secadmin: User, committee: object
) -> None:
    from lvzhi.accounts.tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=user, committee=committee, role="leader")
    fail(client, 5)
    fail(client, 5, ip=OTHER_IP)
    client.force_login(secadmin)
    detail = client.get(reverse("accounts:user_detail", args=[user.pk]))
    assert detail.context["account"].is_locked
    assert shows(detail, _("locked"))
    listed = client.get(reverse("accounts:user_list"))
    assert [u.is_locked for u in listed.context["page_obj"].object_list if u.pk == user.pk] == [
        True
    ]
    response = client.post(reverse("accounts:user_unlock", args=[user.pk]))
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(username="lisi", locked_until__isnull=False).exists()
    [unlocked] = audit_rows("account_unlocked")
    assert unlocked.actor == secadmin
    assert unlocked.detail["reason"] == "manual"
    assert unlocked.object_id == str(user.pk)
    client.post(reverse("accounts:logout"))
    assert post_login(client, "lisi", PASSWORD).status_code == 302


def test_unlocking_an_account_that_is_not_locked_says_so(user: User, secadmin: User) -> None:
    with pytest.raises(services.DomainError):
        services.user_unlock(actor=secadmin, user=user)
    assert not audit_rows("account_unlocked")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_failures_all_count(user: User) -> None:
    """Eight threads fail at once: every failure is counted and one lock set."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        try:
            barrier.wait()
            # The IP comes from the acting context, as the middleware sets it.
            with acting_as(channel="test", ip=IP):
                services.failure_record(identifier="lisi", user=user, reason="bad_credentials")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert row().failures == 8
    assert row().locked_until is not None
    assert len(audit_rows("login_failure")) == 8
    assert len(audit_rows("account_locked")) == 1


def test_old_unlocked_counters_are_purged_but_live_locks_stay(client: Client, user: User) -> None:
    fail(client, 2, username="stale")
    fail(client, 2, username="fresh")
    fail(client, 5, username="lisi")
    day_ago = timezone.now() - timedelta(days=1, minutes=1)
    LoginFailure.objects.filter(username__in=["stale", "lisi"]).update(updated_at=day_ago)
    assert services.login_failures_purge() == 1
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"fresh", "lisi"}

"""Issue 11: a mobile number typed at login is never stored in clear — not
in the failure counter, the lock key or the audit rows' actor."""

from __future__ import annotations

import pytest
from django.test import Client

from lvzhi.accounts.models import LoginFailure, User
from lvzhi.accounts.tests.conftest import audit_rows, post_login
from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core import crypto
from lvzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BAD = "Wrong-Password-1"


def _nowhere_in_clear(number: str) -> None:
    assert not LoginFailure.objects.filter(username__contains=number).exists()
    for event in AuditEvent.objects.all():
        assert number not in event.actor_label
        assert number not in str(event.detail)


@pytest.mark.parametrize("typed", ["13912340000", "139 1234 0000", "+86 139-1234-0000"])
def test_an_unknown_mobile_number_is_kept_as_its_keyed_hash_and_masked(
    client: Client, typed: str
) -> None:
    for _ in range(6):  # past the lock
        post_login(client, typed, BAD)
    _nowhere_in_clear("13912340000")
    [row] = LoginFailure.objects.all()
    assert row.username == f"mobile:{crypto.blind_index('13912340000')}"
    assert row.locked_until is not None  # the lock still holds on the hash
    labels = {e.actor_label for e in audit_rows("login_failure")}
    assert labels == {"139****0000"}


def test_an_accounts_mobile_number_counts_under_the_account_and_is_masked(
    client: Client,
) -> None:
    user: User = UserFactory(username="wangwu")
    user.set_mobile("13700002222")
    user.save()
    post_login(client, "13700002222", BAD)
    _nowhere_in_clear("13700002222")
    assert LoginFailure.objects.get().username == "wangwu"
    [row] = audit_rows("login_failure")
    assert row.actor_label == "137****2222"


def test_a_username_is_still_named_as_typed(client: Client) -> None:
    post_login(client, "ZhaoLiu", BAD)
    assert LoginFailure.objects.get().username == "zhaoliu"
    assert audit_rows("login_failure")[0].actor_label == "ZhaoLiu"

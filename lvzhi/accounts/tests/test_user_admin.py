"""The security administrator's account pages: list, create, deactivate,
reactivate, reset password — each audited, scoped to the committee."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.accounts.models import Role, User
from lvzhi.accounts.tests.conftest import audit_rows, post_login, shows
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.core import crypto
from lvzhi.core.testing import page_queries
from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def temporary_password(response: Any) -> str:
    match = re.search(r'id="temporary-password">([^<]+)<', response.content.decode())
    assert match, "no temporary password shown"
    return match.group(1)


def create(client: Client, **data: str) -> Any:
    payload = {"username": "newclerk", "display_name": "钱七", "mobile": "", **data}
    return client.post(reverse("accounts:user_create"), payload)


# --- List ------------------------------------------------------------------------


def test_the_list_shows_role_holders_and_members_of_this_committee_only(
    secadmin_client: Client,
    committee: Committee,
    other_committee: Committee,
    make_user: Callable[..., User],
    member: Member,
) -> None:
    make_user(Role.STAFF, committee, "proposals", username="here-staff")
    make_user(Role.STAFF, other_committee, "proposals", username="there-staff")
    other_person = PersonFactory(user=UserFactory(username="there-member"))
    MemberFactory(committee=other_committee, person=other_person)
    response = secadmin_client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    names = [u.username for u in response.context["page_obj"].object_list]
    assert "here-staff" in names
    assert "member" in names  # linked by the roster
    assert "secadmin" in names
    assert "there-staff" not in names
    assert "there-member" not in names


def test_the_list_searches_by_username_name_and_mobile(
    secadmin_client: Client, committee: Committee, make_user: Callable[..., User]
) -> None:
    wang = make_user(Role.STAFF, committee, "duties", username="wangjing", display_name="王静")
    wang.set_mobile("13611112222")
    wang.save()
    make_user(Role.LEADER, committee, username="zhouli", display_name="周力")
    for q in ["wangj", "王静", "13611112222"]:
        response = secadmin_client.get(reverse("accounts:user_list"), {"q": q})
        assert [u.username for u in response.context["page_obj"].object_list] == ["wangjing"], q


def test_the_list_says_so_when_nothing_matches(secadmin_client: Client) -> None:
    response = secadmin_client.get(reverse("accounts:user_list"), {"q": "nobody-at-all"})
    assert shows(response, _("No accounts found."))


def test_a_too_long_search_is_reported_and_lists_everything(
    secadmin_client: Client, committee: Committee, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADER, committee, username="zhouli")
    response = secadmin_client.get(reverse("accounts:user_list"), {"q": "x" * 65})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["q"]
    assert "zhouli" in [u.username for u in response.context["page_obj"].object_list]


def test_the_list_is_paginated_by_25(
    secadmin_client: Client, committee: Committee, make_user: Callable[..., User]
) -> None:
    for i in range(30):
        make_user(Role.LEADER, committee, username=f"leader{i:02}")
    first = secadmin_client.get(reverse("accounts:user_list"))
    assert len(first.context["page_obj"].object_list) == 25
    second = secadmin_client.get(reverse("accounts:user_list"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 6


def test_the_list_query_count_does_not_grow_with_accounts(
    secadmin_client: Client,
    committee: Committee,
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
) -> None:
    def count() -> int:
        return page_queries(secadmin_client, reverse("accounts:user_list"))

    for i in range(5):
        make_user(Role.STAFF, committee, "proposals", username=f"few{i}")
    few = count()
    for i in range(40):
        make_user(Role.STAFF, committee, "duties", username=f"many{i}")
    assert count() == few
    assert few <= 15


# --- Create ------------------------------------------------------------------------


def test_creating_an_account_shows_a_temporary_password_once(
    secadmin_client: Client, secadmin: User, committee: Committee
) -> None:
    response = create(secadmin_client, mobile="13512345678")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    password = temporary_password(response)
    user = User.objects.get(username="newclerk")
    assert user.display_name == "钱七"
    assert user.must_change_password is True
    assert user.check_password(password)
    assert user.mobile == "13512345678"
    assert user.mobile_hash == crypto.blind_index("13512345678")
    assert user.home_committee == committee
    [row] = audit_rows("user_created")
    assert row.actor == secadmin
    assert row.committee == committee
    assert password not in str(row.detail)
    # The account now appears in the committee's list and opens.
    assert secadmin_client.get(reverse("accounts:user_detail", args=[user.pk])).status_code == 200
    # The password is not shown again anywhere.
    detail = secadmin_client.get(reverse("accounts:user_detail", args=[user.pk]))
    assert password not in detail.content.decode()


def test_a_new_account_logs_in_with_the_temporary_password_and_must_change_it(
    secadmin_client: Client, client: Client
) -> None:
    password = temporary_password(create(secadmin_client, mobile="13512345678"))
    secadmin_client.post(reverse("accounts:logout"))
    response = post_login(client, "13512345678", password)
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("accounts:password_change")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"username": ""}, "username"),
        ({"display_name": ""}, "display_name"),
        ({"username": "x" * 151}, "username"),
        ({"display_name": "名" * 65}, "display_name"),
        ({"username": "has space"}, "username"),
        ({"mobile": "12345"}, "mobile"),
        ({"mobile": "23512345678"}, "mobile"),
    ],
)
def test_bad_input_creates_no_account(
    secadmin_client: Client, data: dict[str, str], field: str
) -> None:
    before = User.objects.count()
    response = create(secadmin_client, **data)
    assert response.status_code == 400  # refused: nothing written
    assert response.context["form"].errors[field]
    assert User.objects.count() == before
    assert not audit_rows("user_created")


def test_a_duplicate_username_is_refused_whatever_the_case(
    secadmin_client: Client, committee: Committee, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADER, committee, username="newclerk")
    before = User.objects.count()
    response = create(secadmin_client, username="NewClerk")
    assert shows(response, _("An account with this username already exists."))
    assert User.objects.count() == before


def test_a_mobile_number_of_another_account_is_refused(
    secadmin_client: Client, other_committee: Committee, make_user: Callable[..., User]
) -> None:
    other = make_user(Role.LEADER, other_committee, username="someone")
    other.set_mobile("13512345678")
    other.save()
    before = User.objects.count()
    response = create(secadmin_client, mobile="13512345678")
    assert shows(response, _("This mobile number is already used by another account."))
    assert User.objects.count() == before


# --- Deactivate, reactivate -----------------------------------------------------------


@pytest.fixture
def clerk(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.STAFF, committee, "proposals", username="clerk")


def test_deactivating_an_account_stops_its_logins_and_sessions(
    secadmin_client: Client, secadmin: User, clerk: User
) -> None:
    clerk_client = Client()
    assert post_login(clerk_client, "clerk").status_code == 302
    response = secadmin_client.post(reverse("accounts:user_deactivate", args=[clerk.pk]))
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active is False
    [row] = audit_rows("user_deactivated")
    assert row.actor == secadmin
    assert row.object_id == str(clerk.pk)
    # The open session is gone at once, and a new login is refused.
    response = clerk_client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert post_login(Client(), "clerk").status_code == 200


def test_reactivating_an_account_lets_it_log_in_again(
    secadmin_client: Client, secadmin: User, clerk: User
) -> None:
    clerk.is_active = False
    clerk.save()
    response = secadmin_client.post(reverse("accounts:user_reactivate", args=[clerk.pk]))
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active is True
    assert len(audit_rows("user_reactivated")) == 1
    assert post_login(Client(), "clerk").status_code == 302


def test_deactivating_twice_says_so_and_writes_nothing(
    secadmin_client: Client, clerk: User
) -> None:
    secadmin_client.post(reverse("accounts:user_deactivate", args=[clerk.pk]))
    response = secadmin_client.post(
        reverse("accounts:user_deactivate", args=[clerk.pk]), follow=True
    )
    assert shows(response, _("This account is already deactivated."))
    assert len(audit_rows("user_deactivated")) == 1


def test_a_security_administrator_cannot_deactivate_their_own_account(
    secadmin_client: Client, secadmin: User
) -> None:
    response = secadmin_client.post(
        reverse("accounts:user_deactivate", args=[secadmin.pk]), follow=True
    )
    assert shows(response, _("You cannot deactivate your own account."))
    secadmin.refresh_from_db()
    assert secadmin.is_active


def test_account_actions_need_post(secadmin_client: Client, clerk: User) -> None:
    for name in [
        "user_deactivate",
        "user_reactivate",
        "user_unlock",
        "user_password_reset",
        "user_totp_reset",
        "role_grant",
    ]:
        response = secadmin_client.get(reverse(f"accounts:{name}", args=[clerk.pk]))
        assert response.status_code == 405, name
    clerk.refresh_from_db()
    assert clerk.is_active


# --- Password reset -----------------------------------------------------------------


def test_a_password_reset_shows_a_new_temporary_password_once(
    secadmin_client: Client, secadmin: User, clerk: User
) -> None:
    clerk_client = Client()
    post_login(clerk_client, "clerk")
    response = secadmin_client.post(reverse("accounts:user_password_reset", args=[clerk.pk]))
    assert response.status_code == 200
    password = temporary_password(response)
    clerk.refresh_from_db()
    assert clerk.check_password(password)
    assert clerk.must_change_password
    [row] = audit_rows("password_reset")
    assert row.actor == secadmin
    assert row.object_id == str(clerk.pk)
    assert password not in str(row.detail)
    # The old session ends (the password hash changed).
    assert clerk_client.get(reverse("home")).status_code == 302
    # The new password works and leads to the password page.
    new_client = Client()
    assert post_login(new_client, "clerk", password).status_code == 302
    assert new_client.get(reverse("home")).url == reverse("accounts:password_change")


def test_a_security_administrator_resets_not_their_own_password_here(
    secadmin_client: Client, secadmin: User
) -> None:
    response = secadmin_client.post(
        reverse("accounts:user_password_reset", args=[secadmin.pk]), follow=True
    )
    assert shows(response, _("Use “Change password” to change your own password."))
    assert not audit_rows("password_reset")


# --- Other committees -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "user_detail",
        "user_deactivate",
        "user_reactivate",
        "user_unlock",
        "user_password_reset",
        "user_totp_reset",
        "role_grant",
    ],
)
def test_accounts_of_another_committee_answer_404(
    secadmin_client: Client,
    other_committee: Committee,
    make_user: Callable[..., User],
    name: str,
) -> None:
    stranger = make_user(Role.STAFF, other_committee, "proposals", username="stranger")
    method = secadmin_client.get if name == "user_detail" else secadmin_client.post
    response = method(reverse(f"accounts:{name}", args=[stranger.pk]))
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active
    assert not stranger.must_change_password


def test_an_unknown_account_answers_404(secadmin_client: Client) -> None:
    assert secadmin_client.get(reverse("accounts:user_detail", args=[99999])).status_code == 404


def test_a_secadmin_of_another_committee_sees_only_their_own_committee(
    client: Client,
    committee: Committee,
    other_committee: Committee,
    make_user: Callable[..., User],
    clerk: User,
) -> None:
    other_secadmin = make_user(Role.SECADMIN, other_committee, username="other-secadmin")
    RoleAssignmentFactory(user=other_secadmin, committee=other_committee, role=Role.LEADER)
    client.force_login(other_secadmin)
    assert client.get(reverse("accounts:user_detail", args=[clerk.pk])).status_code == 404
    names = [
        u.username
        for u in client.get(reverse("accounts:user_list")).context["page_obj"].object_list
    ]
    assert "clerk" not in names

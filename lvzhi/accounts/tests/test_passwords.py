"""The password policy (DESIGN §9) on the password change page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.accounts import services
from lvzhi.accounts.models import User
from lvzhi.accounts.passwords import CharacterClassValidator, MinimumLengthValidator
from lvzhi.accounts.tests.conftest import audit_rows, post_login, shows
from lvzhi.accounts.tests.factories import PASSWORD, UserFactory
from lvzhi.core.errors import DomainError

pytestmark = pytest.mark.django_db

GOOD = "Qing-Shan-88"
TOO_SIMPLE = _(
    "The password must contain at least three of: lowercase letters, "
    "uppercase letters, digits and symbols."
)


@pytest.fixture
def user() -> User:
    return UserFactory(username="zhaoliu2026", display_name="赵六")


@pytest.fixture
def logged_in(client: Client, user: User) -> Client:
    assert post_login(client, "zhaoliu2026").status_code == 302
    return client


def change(client: Client, new: str, old: str = PASSWORD, again: str | None = None) -> object:
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def password_unchanged(user: User) -> bool:
    user.refresh_from_db()
    return user.check_password(PASSWORD) and user.password_changed_at is None


def test_a_short_password_is_refused(logged_in: Client, user: User) -> None:
    response = change(logged_in, "Ab1-xyz")
    assert response.status_code == 200
    assert password_unchanged(user)


def test_our_length_rule_gives_a_translatable_message(
    logged_in: Client, user: User, settings: Any
) -> None:
    """Django 5.2's own length message has no zh_Hans translation; ours has.
    (settings.AUTH_PASSWORD_VALIDATORS should name lvzhi.accounts.passwords.
    MinimumLengthValidator; this test uses it either way.)"""
    validators = [dict(v) for v in settings.AUTH_PASSWORD_VALIDATORS]
    validators[0]["NAME"] = "lvzhi.accounts.passwords.MinimumLengthValidator"
    settings.AUTH_PASSWORD_VALIDATORS = validators
    response = change(logged_in, "Ab1-xyz")
    message = _("The password is too short: it must have at least %(min_length)d characters.")
    assert shows(response, message % {"min_length": 8})
    assert password_unchanged(user)


def test_the_length_rule_accepts_eight_characters() -> None:
    MinimumLengthValidator().validate("Ab1-xyzw")
    with pytest.raises(ValidationError) as error:
        MinimumLengthValidator().validate("Ab1-xyz")
    assert error.value.code == "password_too_short"


def test_a_password_with_two_character_classes_is_refused(logged_in: Client, user: User) -> None:
    response = change(logged_in, "qingshan2026")
    assert shows(response, TOO_SIMPLE)
    assert password_unchanged(user)


def test_a_common_password_is_refused_in_chinese(logged_in: Client, user: User) -> None:
    response = change(logged_in, "Password1")
    assert "这个密码太常见了。" in response.content.decode()
    assert password_unchanged(user)


def test_a_password_like_the_username_is_refused_in_chinese(logged_in: Client, user: User) -> None:
    response = change(logged_in, "Zhaoliu2026")
    assert "密码跟 用户名 太相似了。" in response.content.decode()
    assert password_unchanged(user)


def test_a_wrong_old_password_is_refused_in_chinese(logged_in: Client, user: User) -> None:
    response = change(logged_in, GOOD, old="Not-My-Password-1")
    assert "你的旧密码不正确。请重新输入。" in response.content.decode()
    assert password_unchanged(user)


def test_two_different_new_passwords_are_refused_in_chinese(logged_in: Client, user: User) -> None:
    response = change(logged_in, GOOD, again=GOOD + "x")
    assert "输入的两个密码不一致。" in response.content.decode()
    assert password_unchanged(user)


def test_the_same_password_again_is_refused(logged_in: Client, user: User) -> None:
    response = change(logged_in, PASSWORD)
    assert shows(response, _("The new password must differ from the current one."))
    assert password_unchanged(user)


def test_empty_fields_are_refused(logged_in: Client, user: User) -> None:
    response = logged_in.post(reverse("accounts:password_change"), {})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert password_unchanged(user)


@pytest.mark.parametrize(
    "password",
    ["Qing-Shan-88", "qingshan-88", "QINGSHAN-88", "Qingshan-Lu", "QingShan8826"],
)
def test_three_of_four_classes_are_enough(password: str) -> None:
    CharacterClassValidator().validate(password)


@pytest.mark.parametrize("password", ["qingshanlu", "qingshan88", "QINGSHAN88", "qingshan--"])
def test_fewer_than_three_classes_fail(password: str) -> None:
    with pytest.raises(ValidationError) as error:
        CharacterClassValidator().validate(password)
    assert error.value.code == "password_too_simple"


def test_a_good_password_is_saved_and_audited(logged_in: Client, user: User) -> None:
    user.must_change_password = True
    user.save()
    response = change(logged_in, GOOD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD)
    assert user.password_changed_at is not None
    assert user.must_change_password is False
    [row] = audit_rows("password_changed")
    assert row.actor == user
    assert GOOD not in str(row.detail)


def test_the_user_stays_logged_in_after_the_change(logged_in: Client, user: User) -> None:
    change(logged_in, GOOD)
    assert SESSION_KEY in logged_in.session
    assert logged_in.get(reverse("home")).status_code == 200


def test_the_new_password_works_at_the_next_login(logged_in: Client, user: User) -> None:
    change(logged_in, GOOD)
    logged_in.post(reverse("accounts:logout"))
    assert post_login(logged_in, "zhaoliu2026", PASSWORD).status_code == 200
    assert post_login(logged_in, "zhaoliu2026", GOOD).status_code == 302


def test_after_the_change_a_temporary_password_user_reaches_other_pages(
    client: Client, user: User
) -> None:
    user.must_change_password = True
    user.save()
    post_login(client, "zhaoliu2026")
    assert client.get(reverse("home")).status_code == 302
    change(client, GOOD)
    assert client.get(reverse("home")).status_code == 200


def test_the_service_refuses_a_weak_password_too(user: User) -> None:
    with pytest.raises(ValidationError):
        services.password_change(actor=user, new_password="short")
    with pytest.raises(DomainError):
        services.password_change(actor=user, new_password=PASSWORD)
    assert password_unchanged(user)


def test_generated_temporary_passwords_meet_the_policy(user: User) -> None:
    passwords = {services.temporary_password_generate(user) for _i in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        validate_password(password, user)
        assert len(password) == 12


# --- Common passwords in disguise and the history --------------------------------------


@pytest.mark.parametrize(
    "password", ["Passw0rd!", "Admin@123", "Abc@1234", "Qwer1234!", "P@ssw0rd", "Zxcv-9876"]
)
def test_common_passwords_with_symbols_and_look_alikes_are_refused(
    logged_in: Client, user: User, password: str
) -> None:
    response = logged_in.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert shows(
        response,
        _(
            "This password is a common password with symbols or digits added; "
            "choose one that is not built on a common word or a keyboard run."
        ),
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("password", [GOOD, "Tr0ub4dor&3", "Xk9#mQ2$", "Hong-Qi-88"])
def test_passwords_not_built_on_common_words_pass_the_pattern_rule(password: str) -> None:
    validate_password(password, None)


def test_none_of_the_last_five_passwords_is_accepted_again(user: User) -> None:
    passwords = [f"Qing-Shan-{n}x" for n in range(1, 7)]
    for password in passwords:
        services.password_change(actor=user, new_password=password)
    refused = _("This password was used recently; choose one not among your last %(count)d.") % {
        "count": 5
    }
    for password in passwords[-5:-1]:
        with pytest.raises(ValidationError) as error:
            validate_password(password, user)
        assert refused in error.value.messages
    # The sixth from last has left the history.
    validate_password(passwords[0], user)
    services.password_change(actor=user, new_password=passwords[0])
    assert user.check_password(passwords[0])


def test_the_history_keeps_hashes_only(user: User) -> None:
    from lvzhi.accounts.models import PasswordHistory

    services.password_change(actor=user, new_password=GOOD)
    stored = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert stored and all(GOOD not in value for value in stored)
    assert PasswordHistory.objects.filter(user=user).count() <= 5

"""Tracking codes survive a SECRET_KEY rotation and a field-key rotation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import override_settings

from lvzhi.public import codes, services

OLD, NEW = "the-old-secret-key-" + "x" * 40, "the-new-secret-key-" + "y" * 40


def test_the_tracking_code_is_a_salted_hmac_of_the_form_token():
    with override_settings(SECRET_KEY=OLD):
        code = codes.tracking_code_for("form-1")
    with override_settings(SECRET_KEY=NEW):
        assert codes.tracking_code_for("form-1") != code
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
        assert codes.tracking_codes_for("form-1") == [codes.tracking_code_for("form-1"), code]


def test_a_code_made_before_a_secret_key_rotation_is_still_found_and_shown_again(
    submit: Callable[..., Any],
) -> None:
    with override_settings(SECRET_KEY=OLD):
        first = submit(form_token="form-before-rotation")
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
        assert services.message_by_code(first.code) == first.message
        again = submit(form_token="form-before-rotation")
        assert again.created is False and again.code == first.code


def test_a_code_sealed_before_a_field_key_rotation_is_still_found(
    submit: Callable[..., Any],
) -> None:
    first = submit()
    with override_settings(
        FIELD_CIPHER="sm4", FIELD_ENCRYPTION_KEYS="k2=another-field-key", FIELD_KEY_ID="k2"
    ):
        assert codes.tracking_hash(first.code) != first.message.tracking_hash
        assert services.message_by_code(first.code) == first.message

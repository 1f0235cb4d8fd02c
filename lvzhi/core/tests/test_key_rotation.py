"""Check-in codes are salted HMACs that stay valid across a SECRET_KEY
rotation (the old key moved to SECRET_KEY_FALLBACKS)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.test import override_settings

from lvzhi.duties import checkin

OLD, NEW = "the-old-secret-key-" + "x" * 40, "the-new-secret-key-" + "y" * 40
NOW = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)


def test_the_settings_read_fallbacks_as_a_list():
    assert isinstance(settings.SECRET_KEY_FALLBACKS, list)


def test_a_check_in_code_made_before_a_rotation_is_still_accepted():
    with override_settings(SECRET_KEY=OLD):
        slot, token = checkin.current_code(7, NOW)
    with override_settings(SECRET_KEY=NEW):
        assert checkin.check_code(7, slot, token, NOW).reason == "invalid"
        assert checkin.current_code(7, NOW)[1] != token
    with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
        assert checkin.check_code(7, slot, token, NOW).ok
        # Another activity's code, or a made-up one, is still refused.
        assert checkin.check_code(8, slot, token, NOW).reason == "invalid"
        assert checkin.check_code(7, slot, "0" * 24, NOW).reason == "invalid"


def test_the_code_is_salted_by_its_purpose():
    # Not the plain HMAC of the message under SECRET_KEY that any other use could make.
    import hashlib
    import hmac

    plain = hmac.new(settings.SECRET_KEY.encode(), b"7:100", hashlib.sha256).hexdigest()[:24]
    assert checkin.token_for(7, 100) != plain

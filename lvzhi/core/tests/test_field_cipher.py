"""国密: SM4-GCM field encryption, HMAC-SM3 lookup hashes, key ids in every
ciphertext, and ``fields_reencrypt`` switching cipher and rotating keys
without losing a number (SQLite, and PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import base64
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.test import override_settings

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RecoveryCode, User
from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core import crypto
from lvzhi.core.audit import FIELDS_REENCRYPTED
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Person
from lvzhi.org.tests.factories import PersonFactory

SM4 = {"FIELD_CIPHER": "sm4"}
ROTATED = {
    "FIELD_CIPHER": "sm4",
    "FIELD_ENCRYPTION_KEYS": "k2=a-new-key-kept-in-a-vault",
    "FIELD_KEY_ID": "k2",
}


def test_sm4_round_trip_names_cipher_and_key_and_refuses_a_changed_byte():
    with override_settings(**SM4):
        token = crypto.encrypt("11010519491231002X")
        assert token.startswith("sm4:0:")
        assert crypto.decrypt(token) == "11010519491231002X"
        assert crypto.encrypt("11010519491231002X") != token  # a fresh nonce each time
        raw = bytearray(base64.urlsafe_b64decode(token.split(":", 2)[2]))
        raw[14] ^= 1
        tampered = "sm4:0:" + base64.urlsafe_b64encode(bytes(raw)).decode()
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt_strict(tampered)
        assert crypto.decrypt(tampered) == ""
        # The key id is bound to the ciphertext: relabelling it fails too.
        with override_settings(FIELD_ENCRYPTION_KEYS="k9=other"):
            assert crypto.decrypt("sm4:k9:" + token.split(":", 2)[2]) == ""


def test_the_lookup_hash_is_hmac_sm3_under_sm4_and_lookups_know_every_key():
    sha = crypto.blind_index("13800138000")
    with override_settings(**SM4):
        sm3 = crypto.blind_index("13800138000")
        assert sm3 != sha and len(sm3) == 64
        assert crypto.blind_indexes("13800138000")[0] == sm3
        assert sha in crypto.blind_indexes("13800138000")
    with override_settings(**ROTATED):
        assert {sha, sm3} <= set(crypto.blind_indexes("13800138000"))
        assert crypto.blind_index("13800138000") not in {sha, sm3}


def test_a_fernet_token_from_before_the_key_ring_still_decrypts():
    # Written by the old core.crypto: Fernet, no prefix, key derived from FIELD_ENCRYPTION_KEY.
    legacy = crypto._ring()["0"].fernet.encrypt(b"13800138000").decode()
    assert Fernet  # the same library
    assert crypto.decrypt(legacy) == "13800138000"
    with override_settings(**ROTATED):
        assert crypto.decrypt(legacy) == "13800138000"
        assert not crypto.is_current(legacy)


def test_a_wrong_key_id_setting_is_refused_with_a_clear_message():
    with override_settings(FIELD_KEY_ID="missing"), pytest.raises(CommandError) as refused:
        call_command("fields_reencrypt", stdout=io.StringIO())
    assert "FIELD_KEY_ID" in str(refused.value)


def _numbers() -> dict[int, tuple[str, str]]:
    return {p.pk: (p.id_number, p.mobile) for p in Person.objects.all()}


def _everything_found(expected: dict[int, tuple[str, str]], prefix: str, user: User) -> None:
    for person in Person.objects.all():
        assert person.id_number_encrypted.startswith(prefix)
        assert person.mobile_encrypted.startswith(prefix)
        assert (person.id_number, person.mobile) == expected[person.pk]
        # Found by the current hash (the one written) ...
        assert person.id_number_hash == crypto.blind_index(expected[person.pk][0])
        assert person.mobile_hash == crypto.blind_index(expected[person.pk][1])
    user.refresh_from_db()
    assert user.mobile_encrypted.startswith(prefix) and user.mobile == "13900139000"
    assert user.totp_secret_encrypted.startswith(prefix) and user.totp_secret == "JBSWY3DPEHPK3PXP"
    assert account_services.find_user("13900139000") == user


def _reencrypt() -> str:
    out = io.StringIO()
    call_command("fields_reencrypt", batch=2, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_fernet_data_moves_to_sm4_and_then_to_a_new_key_without_losing_a_number():
    for index in range(5):
        PersonFactory(mobile=f"1380013800{index}", id_number=f"99010519491231{index:03d}X")
    legacy = Person.objects.first()
    assert legacy is not None
    # One row from before the key ring: a bare Fernet token.
    legacy.id_number_encrypted = (
        crypto._ring()["0"].fernet.encrypt(legacy.id_number.encode()).decode()
    )
    legacy.save(update_fields=["id_number_encrypted"])
    user = UserFactory(username="rotating")
    user.set_mobile("13900139000")
    user.totp_secret_encrypted = crypto.encrypt("JBSWY3DPEHPK3PXP")
    user.save()
    codes = account_services._recovery_codes_issue(user)
    expected = _numbers()

    with override_settings(**SM4):
        # Before the re-encryption everything is still found (any key, any hash).
        assert account_services.find_user("13900139000") == user
        assert (
            Person.objects.filter(
                id_number_hash__in=crypto.blind_indexes(expected[legacy.pk][0])
            ).get()
            == legacy
        )
        output = _reencrypt()
        assert "failed" in output
        _everything_found(expected, "sm4:0:", user)
        row = AuditEvent.objects.filter(action=FIELDS_REENCRYPTED).latest("id")
        assert row.detail["cipher"] == "sm4" and row.detail["key_id"] == "0"
        assert int(row.detail["reencrypted"]) == 5 * 2 + 2
        # Running again finds nothing to do (the command can be resumed).
        before = {p.pk: p.id_number_encrypted for p in Person.objects.all()}
        _reencrypt()
        assert before == {p.pk: p.id_number_encrypted for p in Person.objects.all()}

    with override_settings(**ROTATED):
        _reencrypt()
        _everything_found(expected, "sm4:k2:", user)
        # A recovery code issued under the first key still works (its clear value is not kept).
        from lvzhi.accounts import totp

        assert account_services._recovery_code_spend(
            user, str(totp.recovery_code_normalised(codes[0]))
        )
        assert RecoveryCode.objects.filter(user=user, used_at=None).count() == len(codes) - 1


@pytest.mark.django_db
def test_a_value_no_key_opens_is_left_alone_reported_and_audited():
    person = PersonFactory(mobile="13800138009", id_number="99010519491231009X")
    Person.objects.filter(pk=person.pk).update(id_number_encrypted="sm4:0:bm90LWEtdG9rZW4tYXQtYWxs")
    with override_settings(**SM4), pytest.raises(CommandError) as refused:
        call_command("fields_reencrypt", stdout=io.StringIO())
    assert f"org.person.id_number_encrypted#{person.pk}" in str(refused.value)
    person.refresh_from_db()
    assert person.id_number_encrypted == "sm4:0:bm90LWEtdG9rZW4tYXQtYWxs"
    assert person.mobile == "13800138009" and person.mobile_encrypted.startswith("sm4:0:")
    row = AuditEvent.objects.get(action=FIELDS_REENCRYPTED)
    assert row.result == AuditEvent.Result.FAILURE


def test_the_system_check_names_a_wrong_cipher_or_key_id():
    assert crypto.settings_check() == []
    with override_settings(FIELD_CIPHER="rot13"):
        assert [e.id for e in crypto.settings_check()] == ["lvzhi.E001"]
    with override_settings(FIELD_KEY_ID="missing"):
        assert "FIELD_KEY_ID" in crypto.settings_check()[0].msg
    with override_settings(FIELD_ENCRYPTION_KEYS="no-secret-here"):
        assert crypto.settings_check()[0].id == "lvzhi.E001"

import io
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.translation import gettext

from lvzhi.core.audit import audit_log
from lvzhi.core.models import AuditEvent, Holiday


def backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup_db", output=str(tmp_path), stdout=out)
    return Path(out.getvalue().strip())


@pytest.mark.django_db(transaction=True)
def test_the_backup_holds_the_data(tmp_path):
    Holiday.objects.create(date="2030-01-01", kind="holiday", name="备份测试")
    path = backup(tmp_path)
    assert path.exists() and path.parent == tmp_path
    if connection.vendor == "sqlite":
        restored = sqlite3.connect(str(path))
        (name,) = restored.execute(
            "SELECT name FROM core_holiday WHERE date = '2030-01-01'"
        ).fetchone()
        assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        restored.close()
    else:
        listing = subprocess.run(
            ["pg_restore", "--list", str(path)], check=True, capture_output=True, text=True
        ).stdout
        assert "core_holiday" in listing
        name = "备份测试"
    assert name == "备份测试"


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_the_rows_of_the_backup_and_only_those(tmp_path):
    Holiday.objects.create(date="2030-01-01", kind="holiday", name="备份前")
    audit_log(action="login_success", actor_label="before")
    path = backup(tmp_path)
    Holiday.objects.create(date="2030-01-02", kind="holiday", name="备份后")
    audit_log(action="login_success", actor_label="after")

    call_command("restore_db", str(path), yes=True, stdout=io.StringIO())

    assert list(Holiday.objects.filter(date__year=2030).values_list("name", flat=True)) == [
        "备份前"
    ]
    assert list(AuditEvent.objects.values_list("actor_label", flat=True)) == ["before"]
    call_command("audit_verify", stdout=io.StringIO())
    # The restored database keeps its guard.
    audit_log(action="login_success", actor_label="next")
    call_command("audit_verify", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_restore_needs_confirmation_and_a_real_backup(tmp_path):
    Holiday.objects.create(date="2030-01-01", kind="holiday", name="留下")
    bogus = tmp_path / "not-a-backup.sqlite3"
    bogus.write_bytes(b"hello")
    with pytest.raises(CommandError) as refused:
        call_command("restore_db", str(bogus))
    assert "--yes" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("restore_db", str(bogus), yes=True)
    assert str(refused.value) == gettext("%(file)s is not a database backup.") % {"file": bogus}
    assert Holiday.objects.filter(name="留下").exists()


# --- Backup sets: database, media files, manifest (manage.py backup / restore) -------------

PDF = b"%PDF-1.4\n" + b"\x00" * 64


def backup_set(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    return Path(out.getvalue().strip())


def attach(committee, user, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lvzhi.core.files import attachment_save

    return attachment_save(
        committee=committee,
        owner=user,
        upload=SimpleUploadedFile(name, PDF + name.encode()),
        actor=user,
    )


def media_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_a_backup_set_restores_database_and_media_files(committee, settings, tmp_path):
    import json

    from lvzhi.accounts.tests.factories import UserFactory
    from lvzhi.core.models import Attachment

    settings.MEDIA_ROOT = tmp_path / "media"
    user = UserFactory(username="before")
    kept = attach(committee, user, "before.pdf")
    audit_log(action="login_success", actor_label="before")
    path = backup_set(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"]["core.Attachment"] == 1
    assert manifest["counts"]["accounts.User"] == 1
    assert "core" in manifest["migrations"]
    assert f"media/{kept.file.name}" in manifest["files"]
    assert AuditEvent.objects.filter(action="backup_written").exists()
    files_before = media_files(settings.MEDIA_ROOT)

    later = UserFactory(username="after")
    attach(committee, later, "after.pdf")
    audit_log(action="login_success", actor_label="after")
    assert len(media_files(settings.MEDIA_ROOT)) == 2

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))
    assert "--yes" in str(refused.value)
    call_command("restore", str(path), yes=True, stdout=io.StringIO())

    from lvzhi.accounts.models import User

    assert list(User.objects.values_list("username", flat=True)) == ["before"]
    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert media_files(settings.MEDIA_ROOT) == files_before
    restored = Attachment.objects.get()
    assert restored.file.read().startswith(PDF)
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) >= {"before"}
    assert not AuditEvent.objects.filter(actor_label="after").exists()
    assert AuditEvent.objects.filter(action="backup_restored").count() == 1
    call_command("audit_verify", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_set_is_refused_and_nothing_changes(committee, settings, tmp_path):
    import json

    from lvzhi.accounts.tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    user = UserFactory(username="kept")
    attachment = attach(committee, user, "kept.pdf")
    path = backup_set(tmp_path)
    Holiday.objects.create(date="2030-01-03", kind="holiday", name="恢复后仍在")

    copy = path / "media" / attachment.file.name
    copy.write_bytes(b"%PDF-1.4 something else")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), yes=True)
    assert "media/" in str(refused.value)
    assert Holiday.objects.filter(name="恢复后仍在").exists()

    # Changing the manifest to agree with the file breaks its signature.
    manifest = json.loads((path / "manifest.json").read_text())
    from lvzhi.core.backup import sha256_of

    name = f"media/{attachment.file.name}"
    manifest["files"][name] = {"sha256": sha256_of(copy), "size": copy.stat().st_size}
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), yes=True)
    assert gettext("signature") in str(refused.value)

    # An extra file is refused too; a directory without a manifest is no set.
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "media"), yes=True)
    assert Holiday.objects.filter(name="恢复后仍在").exists()

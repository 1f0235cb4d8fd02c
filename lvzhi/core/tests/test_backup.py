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

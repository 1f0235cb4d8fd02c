import io
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from lvzhi.core.models import Holiday


@pytest.mark.django_db(transaction=True)
def test_the_backup_holds_the_data_and_restores(tmp_path):
    Holiday.objects.create(date="2030-01-01", kind="holiday", name="备份测试")
    out = io.StringIO()
    call_command("backup_db", output=str(tmp_path), stdout=out)
    path = Path(out.getvalue().strip())
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

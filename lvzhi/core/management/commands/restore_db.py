"""Bring the database back from a file written by ``backup_db`` (DESIGN §9,
数据备份恢复).

    python manage.py restore_db FILE --yes

SQLite: the file is checked (integrity, a Lvzhi schema) and copied over the
live database with the SQLite backup API, page by page under the database's
lock, so no reader sees half of it. PostgreSQL: ``pg_restore --clean
--if-exists --single-transaction`` into the configured database. Either way
everything written after the backup is gone: stop the application first.
Run ``audit_verify`` afterwards (docs/deployment.md, the restore drill)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _


def _check_sqlite_backup(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (status,) = source.execute("PRAGMA integrity_check").fetchone()
            tables = {name for (name,) in source.execute("SELECT name FROM sqlite_master")}
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(_("%(file)s is not a database backup.") % {"file": path}) from error
    if status != "ok" or not {"django_migrations", "core_auditevent"} <= tables:
        raise CommandError(_("%(file)s is not a database backup.") % {"file": path})


def _restore_sqlite(path: Path) -> None:
    _check_sqlite_backup(path)
    connection.close()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    destination = sqlite3.connect(str(connection.settings_dict["NAME"]))
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def _restore_postgresql(path: Path) -> None:
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise CommandError("pg_restore is not installed (apt-get install postgresql-client).")
    listing = subprocess.run([pg_restore, "--list", str(path)], capture_output=True)  # noqa: S603
    if listing.returncode != 0:
        raise CommandError(_("%(file)s is not a database backup.") % {"file": path})
    params = connection.get_connection_params()
    command = [pg_restore, "--clean", "--if-exists", "--single-transaction", "--no-owner"]
    for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            command.append(f"{flag}={params[key]}")
    command += [f"--dbname={params.get('dbname') or connection.settings_dict['NAME']}", str(path)]
    env = {**os.environ, "PGPASSWORD": str(params["password"])} if params.get("password") else None
    connection.close()
    subprocess.run(command, check=True, env=env)  # noqa: S603 - fixed argv, no shell


class Command(BaseCommand):
    help = "Restore the database from a backup_db file (everything written since is lost)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="confirm: replace the database")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(file)s is not a database backup.") % {"file": path})
        if not options["yes"]:
            raise CommandError(
                _("Restoring replaces the whole database; run again with --yes to confirm.")
            )
        if connection.vendor == "sqlite":
            _restore_sqlite(path)
        elif connection.vendor == "postgresql":
            _restore_postgresql(path)
        else:
            raise CommandError(f"No restore method for {connection.vendor}.")
        self.stdout.write(_("Database restored from %(file)s.") % {"file": path})

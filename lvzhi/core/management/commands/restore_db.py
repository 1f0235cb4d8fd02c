"""Bring the database back from a file written by ``backup_db`` (DESIGN §9,
数据备份恢复).

    python manage.py restore_db FILE --yes

SQLite: the file is checked (integrity, a Lvzhi schema) and copied over the
live database with the SQLite backup API, page by page under the database's
lock, so no reader sees half of it. PostgreSQL: ``pg_restore --clean
--if-exists --single-transaction`` into the configured database. Either way
everything written after the backup is gone: stop the application first.
Run ``audit_verify`` afterwards (docs/deployment.md, the restore drill).
``manage.py restore`` brings back a whole set (database and media files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lvzhi.core.backup import restore_database


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
        restore_database(path)
        self.stdout.write(_("Database restored from %(file)s.") % {"file": path})

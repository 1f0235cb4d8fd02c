"""Bring back a backup set written by ``manage.py backup``: the database and
the media files (数据备份恢复).

    python manage.py restore DIR --yes

Nothing is touched unless the manifest's signature and every file's SHA-256
agree and the set was made from the same database vendor. Everything
written after the backup is gone, files too: stop the application first,
then run ``audit_verify`` (docs/deployment.md, the restore drill). A
``backup_restored`` audit row is written into the restored database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from lvzhi.core.audit import BACKUP_RESTORED, audit_log
from lvzhi.core.backup import restore_set, verify_set
from lvzhi.core.context import acting_as


class Command(BaseCommand):
    help = "Restore a backup set (database and media files); everything written since is lost."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("set", help="the directory written by manage.py backup")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: replace database and files"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["set"])
        if not path.is_dir():
            raise CommandError(_("%(set)s is not a backup set (no manifest).") % {"set": path})
        verify_set(path)  # a tampered set is refused before anything else is said
        if not options["yes"]:
            raise CommandError(
                _(
                    "Restoring replaces the whole database and every uploaded file; "
                    "run again with --yes to confirm."
                )
            )
        manifest = restore_set(path)
        with acting_as(channel="command:restore"):
            audit_log(
                action=BACKUP_RESTORED,
                set=path.name,
                made_at=manifest["created_at"],
                counts=manifest["counts"],
                files=manifest["media_restored"],
            )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(_("The backup's schema is older than the code: run migrate now."))
        self.stdout.write(
            _("Database and %(count)s files restored from %(set)s.")
            % {"count": manifest["media_restored"], "set": path}
        )

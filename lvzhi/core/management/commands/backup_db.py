"""Online backup of the database alone (DESIGN §9): the SQLite backup API
copies a consistent snapshot while the site runs; on PostgreSQL pg_dump does.

    python manage.py backup_db [--output DIR]

Prints the path of the file written. ``manage.py backup`` writes a whole
set (database, media files, manifest); docs/deployment.md has the drill.
The copying lives in core/backup.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from lvzhi.core.backup import dump_database


class Command(BaseCommand):
    help = "Write an online backup of the database into var/backups (or --output)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(settings.VAR_DIR / "backups"))

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = dump_database(Path(options["output"]), f"lvzhi-{stamp}")
        self.stdout.write(str(target))

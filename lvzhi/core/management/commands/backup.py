"""Write one backup set: the database, the media files and a signed
manifest (数据备份恢复; core/backup.py says what is in it).

    python manage.py backup [--output DIR]

Prints the directory written; an ``backup_written`` audit row names it with
the manifest's row counts. ``manage.py restore DIR --yes`` brings it back."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lvzhi.core.audit import BACKUP_WRITTEN, audit_log
from lvzhi.core.backup import MANIFEST, write_set
from lvzhi.core.context import acting_as


class Command(BaseCommand):
    help = "Write a backup set (database, media files, manifest) into var/backups (or --output)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(settings.VAR_DIR / "backups"))

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]).resolve()
        media = Path(settings.MEDIA_ROOT).resolve()
        if output == media or media in output.parents:
            raise CommandError(_("Backups cannot be written inside MEDIA_ROOT."))
        target, manifest = write_set(output)
        with acting_as(channel="command:backup"):
            audit_log(
                action=BACKUP_WRITTEN,
                set=target.name,
                vendor=manifest["database"]["vendor"],
                files=len(manifest["files"]),
                counts=manifest["counts"],
                manifest_sha256=hashlib.sha256((target / MANIFEST).read_bytes()).hexdigest(),
            )
        self.stdout.write(str(target))

"""Online backup of the database (DESIGN §9): the SQLite backup API copies a
consistent snapshot while the site runs; on PostgreSQL pg_dump does.

    python manage.py backup_db [--output DIR]

Prints the path of the file written. docs/deployment.md says how to restore
and test the restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Write an online backup of the database into var/backups (or --output)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(settings.VAR_DIR / "backups"))

    def handle(self, *args: Any, **options: Any) -> None:
        target_dir = Path(options["output"])
        target_dir.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        if connection.vendor == "sqlite":
            target = target_dir / f"lvzhi-{stamp}.sqlite3"
            source = sqlite3.connect(str(connection.settings_dict["NAME"]))
            destination = sqlite3.connect(str(target))
            try:
                with destination:
                    source.backup(destination)
            finally:
                destination.close()
                source.close()
        elif connection.vendor == "postgresql":
            pg_dump = shutil.which("pg_dump")
            if pg_dump is None:
                raise CommandError("pg_dump is not installed (apt-get install postgresql-client).")
            target = target_dir / f"lvzhi-{stamp}.dump"
            params = connection.get_connection_params()
            command = [pg_dump, "--format=custom", f"--file={target}"]
            for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
                if params.get(key):
                    command.append(f"{flag}={params[key]}")
            command.append(str(params.get("dbname") or connection.settings_dict["NAME"]))
            env = None
            if params.get("password"):
                env = {**os.environ, "PGPASSWORD": str(params["password"])}
            subprocess.run(command, check=True, env=env)  # noqa: S603 - fixed argv, no shell
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        self.stdout.write(str(target))

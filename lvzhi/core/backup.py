"""Backups that restore (数据备份恢复, DESIGN §9): the one place that copies
the database out and back in, used by ``backup``/``restore`` (a whole set:
database, media files, manifest) and by ``backup_db``/``restore_db`` (the
database alone).

A backup set is a directory ``lvzhi-backup-<time>/`` holding

* ``database.sqlite3`` (SQLite online backup API, a consistent snapshot
  while the site runs) or ``database.dump`` (``pg_dump --format=custom``);
* ``media/``: a copy of MEDIA_ROOT (attachments, exports);
* ``manifest.json``: time, database vendor, the last migration of each app,
  row counts of key tables, the SHA-256 and size of every file, and an
  HMAC-SHA256 of all of it keyed by SECRET_KEY (salted; a set made before a
  key rotation verifies under SECRET_KEY_FALLBACKS).

``restore_set`` checks the manifest's signature and every checksum before it
touches anything, then restores the database and makes MEDIA_ROOT equal to
the set's copy (files written since the backup are removed)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

FORMAT = "lvzhi-backup/1"
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
_SALT = "lvzhi.core.backup.manifest"
# The tables whose row counts the manifest records (and the drill compares).
KEY_MODELS = (
    "accounts.User",
    "accounts.RoleAssignment",
    "org.Committee",
    "org.Person",
    "org.Member",
    "core.AuditEvent",
    "core.Attachment",
)


def _not_a_backup(path: Path) -> CommandError:
    return CommandError(_("%(file)s is not a database backup.") % {"file": path})


def _pg_params() -> tuple[list[str], dict[str, str] | None, str]:
    params = connection.get_connection_params()
    flags = [
        f"{flag}={params[key]}"
        for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user"))
        if params.get(key)
    ]
    env = {**os.environ, "PGPASSWORD": str(params["password"])} if params.get("password") else None
    return flags, env, str(params.get("dbname") or connection.settings_dict["NAME"])


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CommandError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


# --- The database alone ---------------------------------------------------------------------


def dump_database(target_dir: Path, stem: str) -> Path:
    """An online copy of the database in ``target_dir``; returns its path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        target = target_dir / f"{stem}.sqlite3"
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        destination = sqlite3.connect(str(target))
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
        return target
    if connection.vendor == "postgresql":
        target = target_dir / f"{stem}.dump"
        flags, env, dbname = _pg_params()
        command = [_tool("pg_dump"), "--format=custom", f"--file={target}", *flags, dbname]
        subprocess.run(command, check=True, env=env)  # noqa: S603 - fixed argv, no shell
        return target
    raise CommandError(f"No backup method for {connection.vendor}.")


def check_sqlite_file(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (status,) = source.execute("PRAGMA integrity_check").fetchone()
            tables = {name for (name,) in source.execute("SELECT name FROM sqlite_master")}
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise _not_a_backup(path) from error
    if status != "ok" or not {"django_migrations", "core_auditevent"} <= tables:
        raise _not_a_backup(path)


def check_database_file(path: Path) -> None:
    """Refuse a file that is not a database backup for this vendor."""
    if not path.is_file():
        raise _not_a_backup(path)
    if connection.vendor == "sqlite":
        check_sqlite_file(path)
    elif connection.vendor == "postgresql":
        listing = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [_tool("pg_restore"), "--list", str(path)], capture_output=True
        )
        if listing.returncode != 0:
            raise _not_a_backup(path)
    else:
        raise CommandError(f"No restore method for {connection.vendor}.")


def restore_database(path: Path) -> None:
    """Replace the live database with ``path`` (checked first)."""
    check_database_file(path)
    if connection.vendor == "sqlite":
        connection.close()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        destination = sqlite3.connect(str(connection.settings_dict["NAME"]))
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        return
    flags, env, dbname = _pg_params()
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--no-owner"]
    command += [*flags, f"--dbname={dbname}", str(path)]
    connection.close()
    subprocess.run(command, check=True, env=env)  # noqa: S603 - fixed argv, no shell


# --- A whole set: database, media, manifest -------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def migration_heads() -> dict[str, str]:
    """The last applied migration of each app (the schema the data is in)."""
    heads: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list(
        "app", "name"
    ):
        heads[app] = name
    return heads


def key_counts() -> dict[str, int]:
    counts = {}
    for label in KEY_MODELS:
        model = apps.get_model(label)
        counts[label] = model._default_manager.count()
    return counts


def _signature(body: dict[str, Any], secret: str) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return salted_hmac(_SALT, text, secret=secret, algorithm="sha256").hexdigest()


def write_set(output_dir: Path) -> tuple[Path, dict[str, Any]]:
    """Write a backup set into ``output_dir``; returns its directory and manifest."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    target = output_dir / f"lvzhi-backup-{stamp}"
    target.mkdir(parents=True)
    # Counts first, then the copy: rows written in between are in the copy
    # (and not counted), never the other way round.
    counts = key_counts()
    heads = migration_heads()
    database = dump_database(target, "database")
    media_root = Path(settings.MEDIA_ROOT)
    media_target = target / MEDIA_DIR
    media_target.mkdir()
    for source in _files_under(media_root):
        copy = media_target / source.relative_to(media_root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
    files = {
        str(path.relative_to(target)): {"sha256": sha256_of(path), "size": path.stat().st_size}
        for path in _files_under(target)
    }
    body = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "file": database.name},
        "migrations": heads,
        "counts": counts,
        "files": files,
    }
    manifest = {**body, "signature": _signature(body, settings.SECRET_KEY)}
    (target / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    )
    return target, manifest


def _tampered(path: Path, what: str) -> CommandError:
    return CommandError(
        _("The backup set %(set)s does not match its manifest (%(what)s); nothing was restored.")
        % {"set": path, "what": what}
    )


def verify_set(path: Path) -> dict[str, Any]:
    """The manifest of the set at ``path`` once its signature and every file's
    checksum agree; CommandError (nothing touched) otherwise."""
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise CommandError(_("%(set)s is not a backup set (no manifest).") % {"set": path})
    try:
        manifest = json.loads(manifest_path.read_text())
        body = {k: v for k, v in manifest.items() if k != "signature"}
        signature = str(manifest["signature"])
        files = dict(body["files"])
        vendor = body["database"]["vendor"]
        database_file = body["database"]["file"]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise _tampered(path, MANIFEST) from error
    if body.get("format") != FORMAT:
        raise CommandError(_("%(set)s is not a backup set (no manifest).") % {"set": path})
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(hmac.compare_digest(_signature(body, key), signature) for key in keys):
        raise _tampered(path, _("signature"))
    present = {str(p.relative_to(path)) for p in _files_under(path)} - {MANIFEST}
    if present != set(files):
        changed = sorted(present ^ set(files))
        raise _tampered(path, ", ".join(changed[:5]))
    for name, facts in sorted(files.items()):
        file = path / name
        if file.stat().st_size != facts["size"] or sha256_of(file) != facts["sha256"]:
            raise _tampered(path, name)
    if vendor != connection.vendor:
        raise CommandError(
            _("The backup set was made from %(vendor)s; this site runs on %(here)s.")
            % {"vendor": vendor, "here": connection.vendor}
        )
    if database_file not in files:
        raise _tampered(path, database_file)
    return manifest


def _media_replace(source: Path) -> int:
    """Make MEDIA_ROOT hold exactly the files under ``source``; returns their count."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    wanted = {p.relative_to(source) for p in _files_under(source)}
    for existing in _files_under(media_root):
        if existing.relative_to(media_root) not in wanted:
            existing.unlink()
    for relative in sorted(wanted):
        copy = media_root / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, copy)
    for directory in sorted((p for p in media_root.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    return len(wanted)


def restore_set(path: Path) -> dict[str, Any]:
    """Verify the set, then bring back its database and media files."""
    manifest = verify_set(path)
    restore_database(path / manifest["database"]["file"])
    manifest["media_restored"] = _media_replace(path / MEDIA_DIR)
    return manifest

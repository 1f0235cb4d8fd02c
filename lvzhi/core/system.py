"""The system's health, read for the system administrator's page (系统状态):
background jobs, the e-mail outbox, storage, backups, the audit chain, the
database and its migrations. Every figure is read, never written, and
bounded in cost; where a source cannot tell, the reading says so (``None``
and a reason) rather than inventing a figure."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit_seal import ROUTINE_WINDOW
from lvzhi.core.models import AuditEvent, AuditSeal, EmailOutbox

# A backup older than this is flagged (DESIGN §9: daily online backups).
BACKUP_MAX_AGE = dt.timedelta(days=1)
# The media walk stops after this many entries, so the page stays fast.
MEDIA_WALK_LIMIT = 20_000
BACKUP_SUFFIXES = (".sqlite3", ".dump")
# A set written by ``manage.py backup`` (core/backup.py): a directory with a manifest.
BACKUP_SET_PREFIX = "lvzhi-backup-"


# Names shown for the queue backends and database engines (never a class name or code).
BACKEND_NAMES = {"SqliteHuey": "SQLite", "RedisHuey": "Redis", "PriorityRedisHuey": "Redis"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def backup_dir() -> Path:
    """Where ``manage.py backup_db`` writes when not told otherwise."""
    return Path(settings.VAR_DIR) / "backups"


@dataclass
class Jobs:
    mode: str  # "queue", "immediate" or "unknown"
    backend: str
    pending: int | None = None
    scheduled: int | None = None
    periodic: list[str] = field(default_factory=list)
    note: str = ""


def jobs() -> Jobs:
    """The huey queue: how many tasks wait (when the storage can count them)
    and the periodic jobs registered. Huey keeps no record of when a periodic
    job last ran, so none is shown."""
    try:
        from huey.contrib.djhuey import HUEY
    except Exception as error:
        return Jobs(
            "unknown", "", note=_("The job queue cannot be read: %(error)s") % {"error": error}
        )
    from django.utils.module_loading import autodiscover_modules

    # The web process has not imported the apps' tasks modules (the consumer
    # does); importing them registers the periodic jobs and writes nothing.
    autodiscover_modules("tasks")
    backend = BACKEND_NAMES.get(type(HUEY).__name__, type(HUEY).__name__)
    periodic = sorted(str(getattr(t, "name", t)) for t in HUEY._registry.periodic_tasks)
    if HUEY.immediate:
        return Jobs(
            "immediate",
            backend,
            periodic=periodic,
            note=_("Jobs run at once inside the request (immediate mode): there is no queue."),
        )
    try:
        pending, scheduled = HUEY.pending_count(), HUEY.scheduled_count()
    except Exception as error:
        return Jobs(
            "unknown",
            backend,
            periodic=periodic,
            note=_("The job queue cannot be counted: %(error)s") % {"error": error},
        )
    return Jobs("queue", backend, pending, scheduled, periodic)


@dataclass
class Outbox:
    pending: int
    failed: int
    sent: int
    oldest_pending: dt.datetime | None

    @property
    def oldest_age(self) -> dt.timedelta | None:
        return timezone.now() - self.oldest_pending if self.oldest_pending else None


def outbox() -> Outbox:
    """The e-mail outbox by status (one GROUP BY) and the oldest waiting row."""
    by_status = dict(EmailOutbox.objects.order_by().values_list("status").annotate(n=Count("id")))
    oldest = EmailOutbox.objects.filter(status=EmailOutbox.Status.PENDING).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    return Outbox(
        by_status.get(EmailOutbox.Status.PENDING, 0),
        by_status.get(EmailOutbox.Status.FAILED, 0),
        by_status.get(EmailOutbox.Status.SENT, 0),
        oldest,
    )


@dataclass
class Storage:
    local: bool
    media_root: str
    media_bytes: int | None = None
    media_files: int | None = None
    walk_complete: bool = True
    disk_total: int | None = None
    disk_free: int | None = None
    note: str = ""


def _walk(root: Path, limit: int) -> tuple[int, int, bool]:
    """Bytes and files under ``root``, stopping after ``limit`` entries."""
    size = files = seen = 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                seen += 1
                if seen > limit:
                    return size, files, False
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files += 1
                    size += entry.stat(follow_symlinks=False).st_size
    return size, files, True


def storage() -> Storage:
    backend = settings.STORAGES["default"]["BACKEND"]
    root = Path(settings.MEDIA_ROOT)
    if not backend.endswith("FileSystemStorage"):
        return Storage(
            False,
            str(root),
            note=_("Uploaded files are kept by %(backend)s; their size is not read here.")
            % {"backend": backend},
        )
    result = Storage(True, str(root))
    if root.is_dir():
        result.media_bytes, result.media_files, result.walk_complete = _walk(root, MEDIA_WALK_LIMIT)
    else:
        result.media_bytes, result.media_files = 0, 0
        result.note = _("The media directory does not exist yet: nothing uploaded.")
    probe = root if root.is_dir() else Path(settings.VAR_DIR)
    usage = shutil.disk_usage(probe)
    result.disk_total, result.disk_free = usage.total, usage.free
    return result


@dataclass
class Backup:
    directory: str
    latest: str = ""
    size: int | None = None
    taken_at: dt.datetime | None = None
    count: int = 0

    @property
    def age(self) -> dt.timedelta | None:
        return timezone.now() - self.taken_at if self.taken_at else None

    @property
    def stale(self) -> bool:
        """No backup, or the latest older than a day."""
        return self.age is None or self.age > BACKUP_MAX_AGE


def _set_size(manifest: Path) -> int:
    try:
        files = json.loads(manifest.read_text())["files"]
        return sum(int(facts["size"]) for facts in files.values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0


def backups(directory: Path | None = None) -> Backup:
    """The newest file ``backup_db`` wrote or set ``backup`` wrote (its
    manifest), by modification time."""
    directory = directory or backup_dir()
    result = Backup(str(directory))
    if not directory.is_dir():
        return result
    newest: tuple[float, str, Path] | None = None
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_file() and entry.name.endswith(BACKUP_SUFFIXES):
                found = Path(entry.path)
            elif entry.is_dir() and entry.name.startswith(BACKUP_SET_PREFIX):
                found = Path(entry.path) / "manifest.json"
                if not found.is_file():
                    continue
            else:
                continue
            result.count += 1
            mtime = found.stat().st_mtime
            if newest is None or mtime > newest[0]:
                newest = (mtime, entry.name, found)
    if newest is not None:
        mtime, name, found = newest
        result.latest = name
        result.size = _set_size(found) if found.name == "manifest.json" else found.stat().st_size
        result.taken_at = dt.datetime.fromtimestamp(mtime, tz=dt.UTC)
    return result


@dataclass
class AuditChain:
    unsealed_recent: int
    window: dt.timedelta
    last_seq: int | None
    last_sealed_at: dt.datetime | None


def audit_chain() -> AuditChain:
    """Rows of the last day not yet in the hash chain (the sealer looks at the
    same window; ``audit_verify`` walks everything) and the chain's last seal."""
    since = timezone.now() - ROUTINE_WINDOW
    unsealed = AuditEvent.objects.filter(created_at__gte=since, seal__isnull=True).count()
    last = AuditSeal.objects.select_related("event").order_by("-seq").first()
    return AuditChain(
        unsealed,
        ROUTINE_WINDOW,
        last.seq if last else None,
        last.event.created_at if last else None,
    )


@dataclass
class Database:
    vendor: str
    version: str
    unapplied: int
    unapplied_names: list[str]


def database() -> Database:
    """The engine, its version and the migrations not yet applied (read from
    the migration table; nothing is applied or recorded)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    names = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    if connection.vendor == "sqlite":
        import sqlite3

        version = sqlite3.sqlite_version
    else:
        number = int(getattr(connection, "pg_version", 0) or 0)  # e.g. 160002
        version = f"{number // 10000}.{number % 10000}" if number else ""
    vendor = VENDOR_NAMES.get(connection.vendor, connection.vendor)
    return Database(vendor, version, len(names), names[:20])


def health() -> dict[str, Any]:
    return {
        "jobs": jobs(),
        "outbox": outbox(),
        "storage": storage(),
        "backup": backups(),
        "audit": audit_chain(),
        "database": database(),
    }

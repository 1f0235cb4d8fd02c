"""Move audit rows older than the retention period into a signed file, the
only path by which audit rows leave the database (core.append_only).

    python manage.py audit_archive --before 365 [--output DIR]

Rows younger than 180 days are never archived (网络安全法 §21). The oldest
rows go, as one unbroken prefix of the hash chain: they are verified, written
one JSON object a line with an HMAC-SHA256 signature as the last line (keyed
by SECRET_KEY; ``signature_of`` checks it), the file is synced to disk, and
only then are the rows removed and the chain's new start recorded — all in
one transaction holding the chain head (rows not yet sealed are sealed
first, core.audit_seal), with an ``audit_archived`` row
naming the file and its SHA-256."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from lvzhi.core.append_only import removal_allowed
from lvzhi.core.audit import AUDIT_ARCHIVED, audit_log
from lvzhi.core.audit_chain import HASHED_FIELDS, first_break
from lvzhi.core.audit_seal import seal_pending
from lvzhi.core.context import acting_as
from lvzhi.core.models import AuditChainHead, AuditEvent, AuditSeal

MIN_RETENTION_DAYS = 180
_SIGNING_SALT = "lvzhi.core.audit_archive"


def signature_of(lines: list[str]) -> str:
    return salted_hmac(_SIGNING_SALT, "\n".join(lines), algorithm="sha256").hexdigest()


def _line(row: AuditEvent) -> str:
    values = {name: getattr(row, name) for name in (*HASHED_FIELDS, "id", "hash")}
    values["created_at"] = row.created_at.isoformat(timespec="microseconds")
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


class Command(BaseCommand):
    help = "Archive audit rows older than --before days (at least 180) into a signed file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--before", type=int, required=True, help="age in days")
        parser.add_argument("--output", default=str(settings.VAR_DIR / "audit-archive"))

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["before"]
        if days < MIN_RETENTION_DAYS:
            raise CommandError(
                _("Audit rows are kept at least %(days)s days; nothing was archived.")
                % {"days": MIN_RETENTION_DAYS}
            )
        with acting_as(channel="command:audit_archive"), transaction.atomic():
            written = self._archive(timezone.now() - timedelta(days=days), Path(options["output"]))
        self.stdout.write(written or _("No audit rows old enough to archive."))

    def _archive(self, cutoff: Any, directory: Path) -> str:
        seal_pending(full=True)
        head = AuditChainHead.locked()
        # One prefix of the chain: up to the first row that is still young.
        chain = AuditEvent.objects.with_chain().filter(seal__isnull=False)
        young = chain.filter(created_at__gte=cutoff).aggregate(first=Min("seal__seq"))
        rows = chain.filter(seal__seq__gt=head.archived_seq).order_by("seal__seq")
        if young["first"] is not None:
            rows = rows.filter(seal__seq__lt=young["first"])
        old = list(rows)
        if not old:
            return ""
        last = old[-1]
        broken = first_break(
            old,
            start_seq=head.archived_seq,
            start_hash=head.archived_hash,
            head_seq=last.seq,
            head_hash=last.hash,
        )
        if broken is not None:
            raise CommandError(
                _("The audit trail is broken at position %(seq)s; nothing was archived.")
                % {"seq": broken.seq}
            )
        lines = [_line(row) for row in old]
        lines.append(json.dumps({"signature": signature_of(lines)}))
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"audit-{old[0].seq:012d}-{last.seq:012d}.jsonl"
        content = ("\n".join(lines) + "\n").encode("utf-8")
        with open(target, "xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        tables = [AuditEvent._meta.db_table, AuditSeal._meta.db_table]
        with removal_allowed(tables), connection.cursor() as cursor:
            events, seals = (connection.ops.quote_name(table) for table in tables)
            span = [head.archived_seq, last.seq]
            cursor.execute(
                f"DELETE FROM {events} WHERE id IN "  # noqa: S608 - the models' tables
                f"(SELECT event_id FROM {seals} WHERE seq > %s AND seq <= %s)",
                span,
            )
            cursor.execute(f"DELETE FROM {seals} WHERE seq > %s AND seq <= %s", span)  # noqa: S608
        head.archived_seq, head.archived_hash = last.seq, last.hash
        head.save(update_fields=["archived_seq", "archived_hash"])
        audit_log(
            action=AUDIT_ARCHIVED,
            rows=len(old),
            first=old[0].seq,
            last=last.seq,
            file=target.name,
            sha256=hashlib.sha256(content).hexdigest(),
        )
        return str(target)

"""Re-encrypt every encrypted column under the current cipher and key, and
recompute every lookup hash that can be recomputed (国密, key rotation;
core/crypto.py).

    python manage.py fields_reencrypt [--batch 500] [--dry-run]

Run it after changing ``FIELD_CIPHER`` or ``FIELD_KEY_ID``, with the old key
still in ``FIELD_ENCRYPTION_KEYS``. The columns are found, not listed: every
``*_encrypted`` field of every model, with its ``*_hash`` field when the
model has one (the hash of the clear value). It works online, in batches
of rows locked and committed one batch at a time, so it can be stopped and
run again: a row already under the current key is only read. A value is
written only after the new ciphertext has been decrypted back to the same
number; a value no key opens is left as it is, named in the report and the
audit row, and the command ends with an error. Hashes of values that are
not kept (tracking codes, recovery codes) stay under their old key: keep
that key in the ring while they live."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lvzhi.core import crypto
from lvzhi.core.audit import FIELDS_REENCRYPTED, audit_log
from lvzhi.core.context import acting_as
from lvzhi.core.models import AuditEvent

SUFFIX = "_encrypted"


@dataclass(frozen=True)
class Column:
    model: type[models.Model]
    encrypted: str
    hashed: str  # "" when the model keeps no hash of the value

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.encrypted}"


def encrypted_columns() -> list[Column]:
    """Every ``*_encrypted`` column of every concrete model, with its hash."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        for name in sorted(names):
            if name.endswith(SUFFIX):
                base = name[: -len(SUFFIX)]
                found.append(Column(model, name, f"{base}_hash" if f"{base}_hash" in names else ""))
    return found


@dataclass
class Tally:
    rows: int = 0
    reencrypted: int = 0
    rehashed: int = 0
    failed: list[str] = field(default_factory=list)


def _rewrite(row: models.Model, columns: list[Column], tally: Tally, dry_run: bool) -> list[str]:
    """Bring ``row``'s columns under the current key; the names of the fields changed."""
    changed: list[str] = []
    for column in columns:
        token = getattr(row, column.encrypted)
        if not token:
            continue
        try:
            clear = crypto.decrypt_strict(token)
        except crypto.DecryptionFailed:
            tally.failed.append(f"{column.label}#{row.pk}")
            continue
        if not crypto.is_current(token):
            fresh = crypto.encrypt(clear)
            if crypto.decrypt_strict(fresh) != clear:  # never lose a number
                tally.failed.append(f"{column.label}#{row.pk}")
                continue
            setattr(row, column.encrypted, fresh)
            changed.append(column.encrypted)
            tally.reencrypted += 1
        if column.hashed:
            digest = crypto.blind_index(clear)
            if getattr(row, column.hashed) != digest:
                setattr(row, column.hashed, digest)
                changed.append(column.hashed)
                tally.rehashed += 1
    return [] if dry_run else changed


def reencrypt_model(
    model: type[models.Model], columns: list[Column], *, batch: int, dry_run: bool
) -> Tally:
    tally = Tally()
    fields = [c.encrypted for c in columns] + [c.hashed for c in columns if c.hashed]
    last_pk: Any = None
    while True:
        with transaction.atomic():
            rows = model._default_manager.select_for_update().only("pk", *fields).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            chunk = list(rows[:batch])
            if not chunk:
                return tally
            changed_rows, changed_fields = [], set()
            for row in chunk:
                changed = _rewrite(row, columns, tally, dry_run)
                if changed:
                    changed_rows.append(row)
                    changed_fields.update(changed)
            if changed_rows:
                model._default_manager.bulk_update(changed_rows, sorted(changed_fields))
            tally.rows += len(chunk)
            last_pk = chunk[-1].pk


class Command(BaseCommand):
    help = "Re-encrypt encrypted columns and recompute lookup hashes under the current key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction")
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            prefix = crypto.current_prefix()
        except ImproperlyConfigured as error:
            raise CommandError(
                _("The field encryption settings are wrong: %(error)s") % {"error": error}
            ) from error
        batch, dry_run = max(1, int(options["batch"])), bool(options["dry_run"])
        by_model: dict[type[models.Model], list[Column]] = {}
        for column in encrypted_columns():
            by_model.setdefault(column.model, []).append(column)
        totals = Tally()
        report: dict[str, dict[str, int]] = {}
        with acting_as(channel="command:fields_reencrypt"):
            for model, columns in by_model.items():
                tally = reencrypt_model(model, columns, batch=batch, dry_run=dry_run)
                report[model._meta.label_lower] = {
                    "rows": tally.rows,
                    "reencrypted": tally.reencrypted,
                    "rehashed": tally.rehashed,
                    "failed": len(tally.failed),
                }
                totals.rows += tally.rows
                totals.reencrypted += tally.reencrypted
                totals.rehashed += tally.rehashed
                totals.failed += tally.failed
                self.stdout.write(
                    f"{model._meta.label_lower}: {tally.rows} rows, "
                    f"{tally.reencrypted} re-encrypted, {tally.rehashed} re-hashed, "
                    f"{len(tally.failed)} failed"
                )
            if not dry_run:
                audit_log(
                    action=FIELDS_REENCRYPTED,
                    result=AuditEvent.Result.FAILURE
                    if totals.failed
                    else AuditEvent.Result.SUCCESS,
                    cipher=crypto.current_cipher(),
                    key_id=crypto.current_key_id(),
                    reencrypted=totals.reencrypted,
                    rehashed=totals.rehashed,
                    failed=totals.failed[:50],
                    tables=report,
                )
        if totals.failed:
            raise CommandError(
                _(
                    "%(count)s values could not be decrypted with any key and were left as they "
                    "are: %(which)s"
                )
                % {"count": len(totals.failed), "which": ", ".join(totals.failed[:20])}
            )
        self.stdout.write(
            _("All encrypted values are under %(prefix)s (%(count)s re-encrypted).")
            % {"prefix": prefix.rstrip(":"), "count": totals.reencrypted}
        )

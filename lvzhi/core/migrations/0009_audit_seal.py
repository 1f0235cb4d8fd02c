"""The audit hash chain moves from the audit rows into ``AuditSeal`` rows,
written after each row commits (core.audit_seal): no business transaction
takes the chain's head any more. The existing links are copied as they are
(same positions, same hashes), the seal table is guarded like the audit
table, and the audit table's triggers are created again (on SQLite, dropping
columns rebuilds the table, and its triggers go with the old one)."""

import django.db.models.deletion
from django.db import migrations, models

from lvzhi.core.append_only import guard, unguard

AUDIT_TABLE = "core_auditevent"
SEAL_TABLE = "core_auditseal"


def copy_links(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SEAL_TABLE} (event_id, seq, prev_hash, hash) "  # noqa: S608
            f"SELECT id, seq, prev_hash, hash FROM {AUDIT_TABLE}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_audit_list_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="seal",
                        serialize=False,
                        to="core.auditevent",
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(unique=True)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        # Not reversible: the old columns cannot come back non-null over rows.
        migrations.RunPython(copy_links),
        migrations.RunPython(guard([SEAL_TABLE]), unguard([SEAL_TABLE])),
        migrations.RemoveField(model_name="auditevent", name="hash"),
        migrations.RemoveField(model_name="auditevent", name="prev_hash"),
        migrations.RemoveField(model_name="auditevent", name="seq"),
        migrations.RunPython(guard([AUDIT_TABLE]), unguard([AUDIT_TABLE])),
    ]

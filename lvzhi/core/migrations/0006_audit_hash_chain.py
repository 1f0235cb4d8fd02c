"""The audit trail becomes a hash chain guarded by the database: existing rows
are linked in time order, then the triggers of core.append_only refuse any
UPDATE or DELETE of the table."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from lvzhi.core.append_only import guard, unguard
from lvzhi.core.audit_chain import GENESIS, row_hash

AUDIT_TABLE = "core_auditevent"


def link_existing_rows(apps, schema_editor):
    # The historical manager is a plain one: the backfill may write seq and hashes.
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    seq, last = 0, GENESIS
    for row in AuditEvent.objects.order_by("created_at", "id").iterator():
        seq += 1
        row.seq, row.prev_hash = seq, last
        row.hash = row_hash(row)
        AuditEvent.objects.filter(pk=row.pk).update(
            seq=row.seq, prev_hash=row.prev_hash, hash=row.hash
        )
        last = row.hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "last_hash": last})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_trim_unused_meta"),
        ("org", "0005_trim_unused_meta"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(default=GENESIS, max_length=64)),
                ("archived_seq", models.PositiveBigIntegerField(default=0)),
                ("archived_hash", models.CharField(default=GENESIS, max_length=64)),
            ],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="time"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="committee",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="org.committee",
                verbose_name="committee",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(link_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
        migrations.RunPython(guard([AUDIT_TABLE]), unguard([AUDIT_TABLE])),
    ]

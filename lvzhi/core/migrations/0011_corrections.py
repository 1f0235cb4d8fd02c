"""Corrections after the fact (core.corrections), append-only like the event logs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lvzhi.core.append_only import guard, unguard


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0010_export_jobs"),
        ("org", "0005_trim_unused_meta"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Correction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("field", models.CharField(max_length=64)),
                ("label", models.CharField(max_length=100, verbose_name="item")),
                ("original", models.TextField(blank=True, verbose_name="original value")),
                ("corrected", models.TextField(blank=True, verbose_name="corrected value")),
                ("reason", models.CharField(max_length=300, verbose_name="reason")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="corrected by",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.committee",
                        verbose_name="committee",
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "correction",
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(
                        fields=["content_type", "object_id", "created_at"],
                        name="core_correc_content_56826b_idx",
                    )
                ],
            },
        ),
        migrations.RunPython(guard(["core_correction"]), unguard(["core_correction"])),
    ]

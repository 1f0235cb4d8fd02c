"""Onto the kernel: the report's event log becomes a core WorkflowEvent
(from_status/to_status renamed, details added), issues get their event log,
and each committee's OpinionSettings row moves into core.CommitteeSetting
("opinions.max_chars") before the model is removed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KEY = "opinions.max_chars"
DEFAULT, LOWEST, HIGHEST = 1500, 100, 10000


def copy_settings(apps, schema_editor):
    OpinionSettings = apps.get_model("opinions", "OpinionSettings")
    CommitteeSetting = apps.get_model("core", "CommitteeSetting")
    for row in OpinionSettings.objects.all():
        value = min(max(int(row.max_chars), LOWEST), HIGHEST)
        if value == DEFAULT:
            continue  # the default needs no row
        CommitteeSetting.objects.update_or_create(
            committee_id=row.committee_id, key=KEY, defaults={"value": value}
        )


def copy_back(apps, schema_editor):
    OpinionSettings = apps.get_model("opinions", "OpinionSettings")
    CommitteeSetting = apps.get_model("core", "CommitteeSetting")
    for row in CommitteeSetting.objects.filter(key=KEY):
        OpinionSettings.objects.update_or_create(
            committee_id=row.committee_id, defaults={"max_chars": int(row.value)}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_kernel_events_settings_audit_context"),
        ("opinions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("reportevent", "from_status", "from_state"),
        migrations.RenameField("reportevent", "to_status", "to_state"),
        migrations.AlterField(
            model_name="reportevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "draft written"),
                    ("revise", "draft changed"),
                    ("submit", "submitted"),
                    ("accept", "taken into editing"),
                    ("edit", "edited text changed"),
                    ("merge", "merged into an item"),
                    ("not_use", "marked as not used"),
                    ("publish", "published in an issue"),
                    ("forward", "forwarded"),
                    ("adopt", "adopted"),
                    ("adoption_correct", "adoption corrected"),
                    ("adoption_withdraw", "adoption withdrawn"),
                    ("instruction", "leader's instruction"),
                    ("instruction_withdraw", "instruction withdrawn"),
                ],
                max_length=48,
                verbose_name="action",
            ),
        ),
        migrations.AddField(
            model_name="reportevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.RunPython(copy_settings, copy_back),
        migrations.DeleteModel(name="OpinionSettings"),
        migrations.CreateModel(
            name="IssueEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("from_state", models.CharField(blank=True, max_length=32, verbose_name="from")),
                ("to_state", models.CharField(blank=True, max_length=32, verbose_name="to")),
                ("action", models.CharField(max_length=48, verbose_name="action")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="details")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "issue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="opinions.issue",
                    ),
                ),
            ],
            options={
                "verbose_name": "issue event",
                "verbose_name_plural": "issue events",
                "ordering": ["created_at", "id"],
                "abstract": False,
            },
        ),
    ]

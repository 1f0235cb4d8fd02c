"""MessageEvent becomes a core WorkflowEvent: from/to keep their data under
the kernel's names, and the event gets its ``data``."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="messageevent", old_name="from_status", new_name="from_state"
        ),
        migrations.RenameField(
            model_name="messageevent", old_name="to_status", new_name="to_state"
        ),
        migrations.AlterField(
            model_name="messageevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="messageevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="to"),
        ),
        migrations.AddField(
            model_name="messageevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.AlterField(
            model_name="messageevent",
            name="action",
            field=models.CharField(max_length=48, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name="messageevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
    ]

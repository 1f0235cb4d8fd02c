"""码上商设置 move to the kernel's committee settings (public/settings_defs.py):
each committee's values that differ from the defaults are copied into
core.CommitteeSetting — kept within the settings' bounds, so a stored 0
never closes the channel — and the old table is dropped."""

from typing import Any

from django.db import migrations

# (field, key, default, lowest, highest): as in public/settings_defs.py then.
INTS = (
    ("reply_working_days", "public.reply_working_days", 7, 1, 30),
    ("per_ip_per_hour", "public.per_ip_per_hour", 5, 1, 10_000),
    ("per_venue_per_hour", "public.per_venue_per_hour", 60, 1, 10_000),
    ("max_length", "public.max_length", 1000, 50, 5000),
    ("max_photos", "public.max_photos", 3, 0, 9),
)


def copy_settings(apps: Any, schema_editor: Any) -> None:
    PublicSettings = apps.get_model("public", "PublicSettings")
    CommitteeSetting = apps.get_model("core", "CommitteeSetting")
    for row in PublicSettings.objects.all():
        values: dict[str, Any] = {}
        for field, key, default, lowest, highest in INTS:
            value = min(max(int(getattr(row, field)), lowest), highest)
            if value != default:
                values[key] = value
        words = [w.strip() for w in row.held_words.splitlines() if w.strip()]
        if words:
            values["public.held_words"] = words
        for key, value in values.items():
            CommitteeSetting.objects.update_or_create(
                committee_id=row.committee_id, key=key, defaults={"value": value}
            )


def copy_back(apps: Any, schema_editor: Any) -> None:
    PublicSettings = apps.get_model("public", "PublicSettings")
    CommitteeSetting = apps.get_model("core", "CommitteeSetting")
    by_committee: dict[int, dict[str, Any]] = {}
    for setting in CommitteeSetting.objects.filter(key__startswith="public."):
        by_committee.setdefault(setting.committee_id, {})[setting.key] = setting.value
    for committee_id, values in by_committee.items():
        fields: dict[str, Any] = {
            field: values[key] for field, key, *_rest in INTS if key in values
        }
        fields["held_words"] = "\n".join(values.get("public.held_words", []))
        PublicSettings.objects.update_or_create(committee_id=committee_id, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_messageevent_workflow_event"),
        ("core", "0004_kernel_events_settings_audit_context"),
    ]

    operations = [
        migrations.RunPython(copy_settings, copy_back),
        migrations.DeleteModel(name="PublicSettings"),
    ]

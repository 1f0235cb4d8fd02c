"""The rate counters move to the kernel (core.RateCounter, core.ratelimit):
the open windows' counts are copied over, so no limit restarts, then the
public table is dropped."""

from typing import Any

from django.db import migrations


def _copy(schema_editor: Any, source: str, target: str) -> None:
    # In SQL: a model's save would stamp created_at anew (auto_now_add), and
    # the prune reads it.
    q = schema_editor.quote_name
    columns = ", ".join(q(c) for c in ("key", "window", "count", "created_at"))
    copy = f"INSERT INTO {q(target)} ({columns}) SELECT {columns} FROM {q(source)}"  # noqa: S608 -- names are ours
    schema_editor.execute(copy)


def copy_counters(apps: Any, schema_editor: Any) -> None:
    _copy(schema_editor, "public_ratecounter", "core_ratecounter")


def copy_back(apps: Any, schema_editor: Any) -> None:
    _copy(schema_editor, "core_ratecounter", "public_ratecounter")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0012_rate_counter"),
        ("public", "0007_rate_counter"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="RateCounter"),
    ]

"""The old 码上商设置 rows become committee settings: values other than the
defaults are copied, clamped to the settings' bounds, the word list as lines."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

from lvzhi.core.committee_settings import setting_def, setting_value
from lvzhi.core.models import CommitteeSetting
from lvzhi.public import settings_defs

migration = importlib.import_module("lvzhi.public.migrations.0003_settings_to_committee_settings")


def _apps_with(*rows: Any) -> Any:
    old = SimpleNamespace(objects=SimpleNamespace(all=lambda: list(rows)))
    models = {"PublicSettings": old, "CommitteeSetting": CommitteeSetting}
    return SimpleNamespace(get_model=lambda _app, name: models[name])


def test_existing_settings_are_copied_within_bounds_and_defaults_leave_no_row(
    committee: Any, other_committee: Any
) -> None:
    changed = SimpleNamespace(
        committee_id=committee.pk,
        reply_working_days=10,
        per_ip_per_hour=0,  # would have closed the channel: raised to the lowest bound
        per_venue_per_hour=60,
        max_length=1000,
        max_photos=3,
        held_words="广告\n\n 赌博 \n",
    )
    untouched = SimpleNamespace(
        committee_id=other_committee.pk,
        reply_working_days=7,
        per_ip_per_hour=5,
        per_venue_per_hour=60,
        max_length=1000,
        max_photos=3,
        held_words="",
    )
    migration.copy_settings(_apps_with(changed, untouched), None)
    assert dict(CommitteeSetting.objects.values_list("key", "value")) == {
        "public.reply_working_days": 10,
        "public.per_ip_per_hour": 1,
        "public.held_words": ["广告", "赌博"],
    }
    assert setting_value(committee, settings_defs.HELD_WORDS) == ["广告", "赌博"]
    # The old default left no row: the committee has today's default.
    assert setting_value(other_committee, settings_defs.PER_IP_PER_HOUR) == 30


def test_the_migration_knows_the_bounds_and_defaults_of_the_settings() -> None:
    # The hourly limits' defaults were changed since (shared networks, the
    # venue surge holds): a committee that had kept the old default gets the
    # new one, which is the point.
    changed_since = {"public.per_ip_per_hour": 30, "public.per_venue_per_hour": 30}
    for _field, key, default, lowest, highest in migration.INTS:
        definition = setting_def(key)
        assert (definition.default, definition.min_value, definition.max_value) == (
            changed_since.get(key, default),
            lowest,
            highest,
        )

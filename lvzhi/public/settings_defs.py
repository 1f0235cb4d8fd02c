"""What a committee sets for its public channel (码上商设置): the reply
deadline, the hourly limits, the size of a message and the word list that
holds a message for review. Read with ``setting_value``; changed on the
settings page through ``committee_settings_update`` (public staff).

The bounds keep every value workable: a limit is at least 1, so no value
closes the channel by accident, and at most 10,000, so no value overflows
(committee_settings_update refuses anything outside them, in Chinese).

The hourly limits suit shared networks: one address (a community centre's
Wi-Fi, a mobile carrier's gateway) may send 30 messages an hour; past the
venue's surge threshold messages are held for review, never refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import INT, LINES, SettingDef, define_setting

PERMISSION = "public.configure"
PREFIX = "public."


def _number(name: str, default: int, lowest: int, highest: int, label: Any) -> SettingDef:
    return define_setting(
        PREFIX + name,
        kind=INT,
        default=default,
        min_value=lowest,
        max_value=highest,
        label=label,
        permission=PERMISSION,
    )


REPLY_WORKING_DAYS = _number("reply_working_days", 7, 1, 30, _("reply within (working days)"))
PER_IP_PER_HOUR = _number("per_ip_per_hour", 30, 1, 10_000, _("messages per hour from one address"))
PER_VENUE_PER_HOUR = _number(
    "per_venue_per_hour",
    30,
    1,
    10_000,
    _("messages per hour to one venue before further ones are held for review"),
)
MAX_LENGTH = _number("max_length", 1000, 50, 5000, _("longest message (characters)"))
# 0 is allowed: the committee takes messages without photos.
MAX_PHOTOS = _number("max_photos", 3, 0, 9, _("photos per message"))
HELD_WORDS = define_setting(
    "public.held_words",
    kind=LINES,
    default=[],
    label=_("words that hold a message for review"),
    help_text=_("One word or phrase a line."),
    permission=PERMISSION,
)

# The order of the settings page.
ALL: tuple[SettingDef, ...] = (
    REPLY_WORKING_DAYS,
    PER_IP_PER_HOUR,
    PER_VENUE_PER_HOUR,
    MAX_LENGTH,
    MAX_PHOTOS,
    HELD_WORDS,
)

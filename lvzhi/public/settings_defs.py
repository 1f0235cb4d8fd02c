"""What a committee sets for its public channel (码上商设置): the reply
deadline, the hourly limits, the size of a message and the word list that
holds a message for review. Read with ``setting_value``; changed on the
settings page through ``committee_settings_update`` (public staff).

The bounds keep every value workable: a limit is at least 1, so no value
closes the channel by accident, and at most 10,000, so no value overflows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import INT, LINES, SettingDef, define_setting

PERMISSION = "public.configure"
PREFIX = "public."

REPLY_WORKING_DAYS = define_setting(
    "public.reply_working_days",
    kind=INT,
    default=7,
    min_value=1,
    max_value=30,
    label=_("reply within (working days)"),
    permission=PERMISSION,
)
PER_IP_PER_HOUR = define_setting(
    "public.per_ip_per_hour",
    kind=INT,
    default=5,
    min_value=1,
    max_value=10_000,
    label=_("messages per hour from one address"),
    permission=PERMISSION,
)
PER_VENUE_PER_HOUR = define_setting(
    "public.per_venue_per_hour",
    kind=INT,
    default=60,
    min_value=1,
    max_value=10_000,
    label=_("messages per hour to one venue"),
    permission=PERMISSION,
)
MAX_LENGTH = define_setting(
    "public.max_length",
    kind=INT,
    default=1000,
    min_value=50,
    max_value=5000,
    label=_("longest message (characters)"),
    permission=PERMISSION,
)
# 0 is allowed: the committee takes messages without photos.
MAX_PHOTOS = define_setting(
    "public.max_photos",
    kind=INT,
    default=3,
    min_value=0,
    max_value=9,
    label=_("photos per message"),
    permission=PERMISSION,
)
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

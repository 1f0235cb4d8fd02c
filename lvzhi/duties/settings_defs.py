"""What a committee may set for its duty activities (core.committee_settings).
Imported from ``DutiesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import INT, define_setting

CHECKIN_MARGIN_MINUTES = define_setting(
    "duties.checkin_margin_minutes",
    kind=INT,
    default=30,
    min_value=0,
    max_value=240,
    label=_("Check-in opens before the start and stays open after the end (minutes)"),
    permission="duties.configure",
)

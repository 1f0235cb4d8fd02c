"""What a committee configures for its public-opinion reports (DESIGN §5,
committee settings). The categories are rows of their own (reports point to
them); the settings page edits both."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import INT, define_setting

MAX_CHARS = define_setting(
    "opinions.max_chars",
    kind=INT,
    default=1500,
    min_value=100,
    max_value=10000,
    label=_("Maximum length of a report (characters)"),
    permission="opinions.configure",
)

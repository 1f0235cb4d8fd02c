"""The committee's star-rating criteria (星级评定标准), as committee settings.

The score (0–100) is the weighted sum of four measures, each between 0 and
1: activities held (against a target), messages answered on time,
satisfaction of rated replies, and services delivered (against a target).
Stars come from the score thresholds; a studio rated below the lowest
acceptable stars two years running is flagged (dynamic management, 动态管理).
Before these settings the criteria were a per-committee row (StarPolicy);
migration 0002 copied those rows here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import INT, SettingDef, define_setting

PREFIX = "studios.rating."
PERMISSION = "studios.configure"


def _int(name: str, default: int, label: object, low: int, high: int) -> SettingDef:
    return define_setting(
        PREFIX + name,
        kind=INT,
        default=default,
        min_value=low,
        max_value=high,
        label=label,
        permission=PERMISSION,
    )


TARGET_ACTIVITIES = _int("target_activities", 12, _("activities expected a year"), 0, 1000)
TARGET_SERVICES = _int("target_services", 6, _("services expected a year"), 0, 1000)
WEIGHT_ACTIVITIES = _int("weight_activities", 30, _("weight: activities held"), 0, 100)
WEIGHT_ON_TIME = _int("weight_on_time", 25, _("weight: messages answered on time"), 0, 100)
WEIGHT_SATISFACTION = _int("weight_satisfaction", 25, _("weight: satisfaction"), 0, 100)
WEIGHT_SERVICES = _int("weight_services", 20, _("weight: services delivered"), 0, 100)
# Minimum score for 2, 3, 4 and 5 stars; below the first, one star.
TWO_STARS = _int("two_stars", 40, _("score for two stars"), 0, 100)
THREE_STARS = _int("three_stars", 60, _("score for three stars"), 0, 100)
FOUR_STARS = _int("four_stars", 75, _("score for four stars"), 0, 100)
FIVE_STARS = _int("five_stars", 90, _("score for five stars"), 0, 100)
FLOOR_STARS = _int("floor_stars", 3, _("lowest acceptable stars"), 1, 5)

# The order of the criteria page.
CRITERIA = [
    TARGET_ACTIVITIES,
    TARGET_SERVICES,
    WEIGHT_ACTIVITIES,
    WEIGHT_ON_TIME,
    WEIGHT_SATISFACTION,
    WEIGHT_SERVICES,
    TWO_STARS,
    THREE_STARS,
    FOUR_STARS,
    FIVE_STARS,
    FLOOR_STARS,
]

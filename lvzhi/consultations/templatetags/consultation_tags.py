"""Small template helpers of the consultation pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

# Bootstrap colours of the deadline states (core.calendar.DeadlineState).
DEADLINE_BADGE = {
    "normal": "text-bg-light",
    "blue": "text-bg-primary",
    "yellow": "text-bg-warning",
    "red": "text-bg-danger",
}


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ labels|get:action }}``: a dictionary entry by a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def deadline_badge(colour: str) -> str:
    return DEADLINE_BADGE.get(str(colour), "text-bg-light")

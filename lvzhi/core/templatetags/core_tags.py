"""Template helpers every app's pages share: paging links, deadline badges,
permission checks and workflow action lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from lvzhi.core.calendar import DeadlineState, deadline_state
from lvzhi.core.permissions import has_perm
from lvzhi.core.workflow import ActionSet, actions_for

register = template.Library()

DEADLINE_LABELS = {
    DeadlineState.NORMAL: _("on schedule"),
    DeadlineState.BLUE: _("due within 30 days"),
    DeadlineState.YELLOW: _("due within 7 days"),
    DeadlineState.RED: _("overdue"),
}
DEADLINE_CLASSES = {
    DeadlineState.NORMAL: "text-bg-light border",
    DeadlineState.BLUE: "text-bg-primary",
    DeadlineState.YELLOW: "text-bg-warning",
    DeadlineState.RED: "text-bg-danger",
}


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (keeps filters when paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return str(query.urlencode())


@register.inclusion_tag("core/_deadline.html")
def deadline_badge(day: date | None, today: date | None = None) -> dict[str, Any]:
    """``{% deadline_badge assignment.reply_due %}``: the date with its state
    (normal, ≤ 30 days blue, ≤ 7 days yellow, overdue red), in words and colour."""
    if day is None:
        return {"day": None}
    state = deadline_state(day, today)
    return {
        "day": day,
        "state": str(state),
        "label": DEADLINE_LABELS[state],
        "css": DEADLINE_CLASSES[state],
    }


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], permission: str, obj: Any = None) -> bool:
    """``{% can "proposals.review" as may_review %}`` in the current committee,
    or ``{% can "proposals.view_proposal" proposal as may_view %}`` on an object.
    django-rules alone decides (no query to Django's permission tables)."""
    request = context.get("request")
    if request is None:
        return False
    target = obj if obj is not None else getattr(request, "committee", None)
    return target is not None and has_perm(request.user, permission, target)


@register.simple_tag(takes_context=True)
def actions_of(context: dict[str, Any], obj: Any) -> ActionSet:
    """``{% actions_of proposal as actions %}``: what the user may do to it now."""
    request = context.get("request")
    if request is None:
        return ActionSet([])
    return actions_for(obj, request.user)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ labels|get_item:action }}``: a dictionary entry by a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""

"""``{% can "perm" as flag %}``: a rules permission in the current committee,
checked by django-rules alone (no query to Django's permission tables)."""

from __future__ import annotations

from typing import Any

import rules
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], permission: str) -> bool:
    request = context.get("request")
    if request is None:
        return False
    committee = getattr(request, "committee", None)
    return bool(committee is not None and rules.has_perm(permission, request.user, committee))

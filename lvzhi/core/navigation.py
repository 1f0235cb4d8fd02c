"""Navigation entries registered by each app in its AppConfig.ready().

Core knows nothing of roles: an entry names a rules permission, checked
against the current committee, so the menu changes with the user's roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str
    icon: str = ""
    order: int = 100


_registry: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _registry:
            _registry.append(item)


def items_for(request: HttpRequest) -> list[dict[str, Any]]:
    committee = getattr(request, "committee", None)
    user = request.user
    if not user.is_authenticated or committee is None:
        return []
    visible: list[dict[str, Any]] = []
    for item in sorted(_registry, key=lambda i: i.order):
        if user.has_perm(item.permission, committee):
            url = reverse(item.url_name)
            visible.append(
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "active": request.path.startswith(url) and url != "/",
                }
            )
    return visible

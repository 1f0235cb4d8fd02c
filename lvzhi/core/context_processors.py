from django.http import HttpRequest

from lvzhi.core.navigation import items_for
from lvzhi.core.notifications import unread_count

_CACHE_ATTR = "_lvzhi_navigation"


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu, the committees and the unread count, read once per request:
    a page that renders several templates (a list and its htmx partials, an
    e-mail preview) pays for them once."""
    cached: dict[str, object] | None = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = {
            "nav_items": items_for(request),
            "current_committee": getattr(request, "committee", None),
            "available_committees": getattr(request, "available_committees", []),
            "unread_notifications": unread_count(request.user),
        }
        setattr(request, _CACHE_ATTR, cached)
    return cached

from django.http import HttpRequest

from lvzhi.core.navigation import items_for
from lvzhi.core.notifications import unread_count


def navigation(request: HttpRequest) -> dict[str, object]:
    return {
        "nav_items": items_for(request),
        "current_committee": getattr(request, "committee", None),
        "available_committees": getattr(request, "available_committees", []),
        "unread_notifications": unread_count(request.user),
    }

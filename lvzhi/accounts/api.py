"""The account endpoints of the JSON API: the user's inbox.

(``/me`` lives in lvzhi.api.me: it reads org's committees and seats, and
accounts sits below org.)"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from lvzhi.core.models import Notification

router = Router(tags=["account"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    committee_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/notifications", response=list[NotificationOut], summary="My notifications")
@paginate(PageNumberPagination, page_size=25)
def notification_list(request: HttpRequest) -> QuerySet[Notification]:
    # The inbox page's read (core.views.notifications): the user's own rows,
    # newest first, the id breaking ties so pages never overlap.
    return Notification.objects.filter(recipient_id=request.user.pk).order_by("-created_at", "-id")

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
from lvzhi.core.selectors import notifications_of

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
    return notifications_of(request.user)

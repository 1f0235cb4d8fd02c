"""The account endpoints of the JSON API: the user's inbox, marking it read.

(``/me`` lives in lvzhi.api.me: it reads org's committees and seats, and
accounts sits below org.)"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from lvzhi.core.models import Notification
from lvzhi.core.notifications import notifications_mark_read, unread_count
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


class MarkReadIn(Schema):
    model_config = ConfigDict(extra="forbid")
    ids: list[int] | None = Field(default=None, max_length=500)


class MarkedOut(Schema):
    marked: int
    unread: int


@router.post(
    "/notifications/read",
    response=MarkedOut,
    summary="Mark my notifications read (the ids given, or all)",
)
def notification_mark_read(request: HttpRequest, body: MarkReadIn) -> dict[str, int]:
    marked = notifications_mark_read(user=request.user, ids=body.ids)
    return {"marked": marked, "unread": unread_count(request.user)}

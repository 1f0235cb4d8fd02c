"""The opinion-report endpoints of the JSON API (mounted by lvzhi.api at
``/opinions``): a member writes a report (社情民意), submits it, lists their
reports and follows each one's status and history.

Thin, like the pages: the same selectors (``reports_of_user``,
``report_detail``), the same named permissions (``opinions.create_report``,
``opinions.view_report``) and the same services."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.web import acting_user, committee_for, object_for
from lvzhi.opinions import selectors, services
from lvzhi.opinions.models import Report, ReportEvent
from lvzhi.opinions.services import TITLE_MAX
from lvzhi.opinions.workflow import REPORT_FLOW
from lvzhi.org.selectors import member_of_user

router = Router(tags=["opinions"])

# The text's own limit is the committee's setting, checked by the service;
# this bound only keeps absurd bodies out.
TEXT_BOUND = 20_000


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    text: str = Field(min_length=1, max_length=TEXT_BOUND)
    category_id: int | None = None
    token: uuid.UUID | None = None


class ReportOut(Schema):
    id: int
    code: str
    title: str
    status: str
    status_label: str
    category: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: Report) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category(obj: Report) -> str:
        return obj.category.name if obj.category is not None else ""


class ReportEventOut(Schema):
    action: str
    label: str
    to_state: str
    note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_label(obj: ReportEvent) -> str:
        return REPORT_FLOW.label(obj.action)


class ReportDetailOut(ReportOut):
    text: str
    not_used_reason: str
    history: list[ReportEventOut]

    @staticmethod
    def resolve_history(obj: Report) -> list[ReportEvent]:
        return sorted(obj.events.all(), key=lambda e: (e.created_at, e.pk))


@router.get("/mine", response=list[ReportOut], summary="My opinion reports")
@paginate(PageNumberPagination, page_size=25)
def report_mine(request: HttpRequest) -> QuerySet[Report]:
    committee = committee_for(request, "opinions.create_report")
    return selectors.reports_of_user(committee, acting_user(request))


def _report(request: HttpRequest, report_id: int) -> Report:
    return object_for(
        request,
        selectors.report_detail(committee_for(request)),
        perm="opinions.view_report",
        pk=report_id,
    )


@router.get(
    "/{int:report_id}", response=ReportDetailOut, summary="A report, its status and history"
)
def report_detail(request: HttpRequest, report_id: int) -> Report:
    return _report(request, report_id)


@router.post("/drafts", response=ReportOut, summary="Write a draft report")
def report_draft_create(request: HttpRequest, body: ReportIn) -> Report:
    committee = committee_for(request, "opinions.create_report")
    author = member_of_user(acting_user(request), committee)
    if author is None:
        raise PermissionDenied(_("Only members in office may write reports."))
    category = None
    if body.category_id is not None:
        category = selectors.categories_of(committee).filter(pk=body.category_id).first()
        if category is None:
            raise ValidationFailed(_("Choose one of the committee's categories."))
    return services.report_save_draft(
        actor=acting_user(request),
        committee=committee,
        author=author,
        title=body.title,
        text=body.text,
        category=category,
        token=body.token,
    )


@router.post("/{int:report_id}/submit", response=ReportOut, summary="Submit my draft report")
def report_submit(request: HttpRequest, report_id: int) -> Report:
    return services.report_submit(actor=acting_user(request), report=_report(request, report_id))

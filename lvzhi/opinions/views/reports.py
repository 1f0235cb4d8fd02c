"""Members' pages: their reports, a draft written, changed and submitted,
and the report page everyone allowed reads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.files import attachment_response, attachments_of
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    posted,
    require,
    run_action,
)
from lvzhi.core.workflow import actions_for
from lvzhi.opinions import forms, selectors, services
from lvzhi.opinions.filters import MyReportFilter
from lvzhi.opinions.models import EditedItem, Report, ReportStatus
from lvzhi.opinions.views._common import own_member, report_for
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import member_of_user


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "opinions.create_report")
    rows = selectors.reports_of_user(committee, request.user)
    return list_page(
        request, "opinions/my_reports.html", MyReportFilter(request.GET, rows, committee=committee)
    )


def _report_form(
    request: HttpRequest, committee: Committee, member: Member, **kwargs: Any
) -> forms.ReportForm:
    return forms.ReportForm(
        posted(request),
        request.FILES or None,
        committee=committee,
        author=member,
        max_chars=selectors.max_chars_of(committee),
        **kwargs,
    )


def _draft_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "text": data["text"],
        "category": data.get("category"),
        "submitter_kind": data["submitter_kind"],
        "special_committee": data.get("special_committee"),
        "group_name": data.get("group_name", ""),
        "co_submitters": list(data.get("co_submitters") or []),
        "uploads": [data["attachment"]] if data.get("attachment") else [],
    }


def _draft_page(
    request: HttpRequest,
    committee: Committee,
    member: Member,
    report: Report | None = None,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """A draft's form, new (``report`` None, its token against a double
    submit) or changed; once saved, the report's page."""
    form = _report_form(request, committee, member, initial=initial)

    def save(data: dict[str, Any]) -> Report:
        which = {"report": report} if report is not None else {"token": data.get("token")}
        return services.report_save_draft(
            actor=acting_user(request),
            committee=committee,
            author=member,
            **which,
            **_draft_values(data),
        )

    if report is None:
        message = _("The draft has been saved. Submit it when it is ready.")
        title, cancel_url = _("New public-opinion report"), reverse("opinions:my_reports")
    else:
        message = _("The draft has been saved.")
        title, cancel_url = _("Edit the draft"), _report_page(report)
    return form_page(
        request,
        form,
        save=save,
        message=message,
        success=_report_page,
        title=title,
        cancel_url=cancel_url,
        template="opinions/report_form.html",
        report=report,
    )


def _report_page(report: Report) -> str:
    return reverse("opinions:report_detail", args=[report.pk])


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "opinions.create_report")
    return _draft_page(request, committee, own_member(request, committee))


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "opinions.create_report")
    report = report_for(request, committee, pk)
    require(request, "opinions.edit_report", report)
    if "revise" not in actions_for(report, request.user):
        raise PermissionDenied
    member = report.author
    initial = {
        "title": report.title,
        "text": report.text,
        "category": report.category_id,
        "submitter_kind": report.submitter_kind,
        "special_committee": report.special_committee_id,
        "group_name": report.group_name,
        "co_submitters": [
            row.member_id for row in report.submitter_rows.all() if row.member_id != member.pk
        ],
    }
    return _draft_page(request, committee, member, report, initial)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "opinions.create_report")
    report = report_for(request, committee, pk)
    require(request, "opinions.submit_report", report)
    return run_action(
        request,
        lambda: services.report_submit(actor=acting_user(request), report=report),
        _("The report has been submitted to the office."),
        _report_page(report),
    )


def _steps(report: Report, item: EditedItem | None) -> list[dict[str, Any]]:
    """The steps a member follows on the report page, each done or not."""
    forwarded = bool(item and item.forwardings.all())
    adopted = bool(item and [a for a in item.adoptions.all() if a.withdrawn_at is None])
    published = bool(item and item.is_published)
    status = report.status
    steps = [
        (_("Draft"), True),
        (_("Submitted"), status != ReportStatus.DRAFT),
        (
            _("In editing"),
            status in (ReportStatus.IN_EDITING, ReportStatus.USED, ReportStatus.MERGED),
        ),
        (_("Published in an issue"), published),
        (_("Forwarded"), forwarded),
        (_("Adopted"), adopted),
    ]
    if status == ReportStatus.NOT_USED:
        steps = [*steps[:2], (_("Not used"), True)]
    return [{"label": label, "done": done} for label, done in steps]


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request)
    report = report_for(request, committee, pk)
    user = request.user
    reads_all = has_perm(user, "opinions.view_queue", committee)
    item = None
    if report.item_id:
        item = get_object_or_404(selectors.item_detail(committee), pk=report.item_id)
    own = member_of_user(user, committee)
    records = selectors.duty_records_for(report)
    if not reads_all:
        records = selectors.duty_records_for(report, member=own) if own else records.none()
    context = {
        "report": report,
        "item": item,
        "steps": _steps(report, item),
        "events": report.events.all(),
        "attachments": attachments_of(report, services.ATTACHMENT_PURPOSE),
        "duty_records": records,
        "reads_all": reads_all,
        "may_view_item": item is not None and has_perm(user, "opinions.view_item", item),
        "show_edited": item is not None and (item.is_published or reads_all),
    }
    return render(request, "opinions/report_detail.html", context)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    committee = getattr(request, "committee", None)
    if committee is None:
        raise Http404
    report = report_for(request, committee, pk)
    attachment = get_object_or_404(
        attachments_of(report, services.ATTACHMENT_PURPOSE), pk=attachment_pk
    )
    return attachment_response(attachment)

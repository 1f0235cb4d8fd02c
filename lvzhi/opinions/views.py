"""Public-opinion pages. Thin: selectors read (scoped to the committee, so
another committee's object is 404), rules decide, services write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.accounts.models import User
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.files import attachment_response, attachments_of
from lvzhi.opinions import forms, selectors, services
from lvzhi.opinions.models import (
    Adoption,
    EditedItem,
    Instruction,
    Issue,
    Level,
    Report,
    ReportStatus,
)
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import member_committee_ids, member_of_user

PAGE_SIZE = 25


# --- Helpers ---------------------------------------------------------------------------


def _committee(request: HttpRequest, perm: str) -> Committee:
    """The current committee if the user holds ``perm`` there; else 403."""
    committee = getattr(request, "committee", None)
    if committee is None or not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return cast(Committee, committee)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _own_member(request: HttpRequest, committee: Committee) -> Member:
    member = member_of_user(request.user, committee)
    if member is None or committee.pk not in member_committee_ids(request.user):
        raise PermissionDenied
    return member


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    message: str,
    title: str,
    cancel_url: str,
    template: str = "opinions/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate, hand the cleaned data to a service, redirect; on any error
    show the form again with the reason (nothing was written)."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return redirect(success(obj))
    context = {"form": form, "title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, template, context)


def _post_action(
    request: HttpRequest, call: Callable[[], Any], message: str, next_url: str
) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(next_url)


def _report(request: HttpRequest, committee: Committee, pk: int) -> Report:
    """A report of the committee the user may see; 404 otherwise (a member
    never learns that another member's draft exists)."""
    report = get_object_or_404(selectors.report_detail(committee), pk=pk)
    if not request.user.has_perm("opinions.view_report", report):
        raise Http404
    return report


# --- Members: my reports --------------------------------------------------------------


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "opinions.submit_report")
    page = _page(request, selectors.reports_of_user(committee, request.user))
    return render(request, "opinions/my_reports.html", {"page_obj": page})


def _report_form(
    request: HttpRequest, committee: Committee, member: Member, **kwargs: Any
) -> forms.ReportForm:
    max_chars = selectors.settings_of(committee).max_chars
    return forms.ReportForm(
        _data(request),
        request.FILES or None,
        committee=committee,
        author=member,
        max_chars=max_chars,
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


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "opinions.submit_report")
    member = _own_member(request, committee)
    form = _report_form(request, committee, member)
    return _form_page(
        request,
        form,
        save=lambda data: services.report_save_draft(
            actor=_actor(request),
            committee=committee,
            author=member,
            token=data.get("token"),
            **_draft_values(data),
        ),
        success=lambda report: reverse("opinions:report_detail", args=[report.pk]),
        message=_("The draft has been saved. Submit it when it is ready."),
        title=_("New public-opinion report"),
        cancel_url=reverse("opinions:my_reports"),
        template="opinions/report_form.html",
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.submit_report")
    report = _report(request, committee, pk)
    if (
        not request.user.has_perm("opinions.edit_draft", report)
        or report.status != ReportStatus.DRAFT
    ):
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
    form = _report_form(request, committee, member, initial=initial)
    return _form_page(
        request,
        form,
        save=lambda data: services.report_save_draft(
            actor=_actor(request),
            committee=committee,
            author=member,
            report=report,
            **_draft_values(data),
        ),
        success=lambda report: reverse("opinions:report_detail", args=[report.pk]),
        message=_("The draft has been saved."),
        title=_("Edit the draft"),
        cancel_url=reverse("opinions:report_detail", args=[report.pk]),
        template="opinions/report_form.html",
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.submit_report")
    report = _report(request, committee, pk)
    if not request.user.has_perm("opinions.edit_draft", report):
        raise PermissionDenied
    return _post_action(
        request,
        lambda: services.report_submit(actor=_actor(request), report=report, request=request),
        _("The report has been submitted to the office."),
        reverse("opinions:report_detail", args=[report.pk]),
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
    committee = getattr(request, "committee", None)
    if committee is None:
        raise Http404
    report = _report(request, committee, pk)
    user = request.user
    is_staff = user.has_perm("opinions.edit", committee)
    can_read_all = user.has_perm("opinions.view_queue", committee)
    item = None
    if report.item_id:
        item = get_object_or_404(selectors.item_detail(committee), pk=report.item_id)
    own = member_of_user(user, committee)
    if can_read_all:
        records = selectors.duty_records_for(report)
    else:
        records = (
            selectors.duty_records_for(report, member=own)
            if own
            else selectors.duty_records_for(report).none()
        )
    context = {
        "report": report,
        "item": item,
        "steps": _steps(report, item),
        "events": report.events.all(),
        "attachments": attachments_of(report, services.ATTACHMENT_PURPOSE),
        "duty_records": records,
        "can_edit_draft": report.status == ReportStatus.DRAFT
        and user.has_perm("opinions.edit_draft", report),
        "is_staff": is_staff,
        "show_edited": item is not None and (item.is_published or can_read_all),
        "not_use_form": forms.ReasonForm() if is_staff else None,
    }
    return render(request, "opinions/report_detail.html", context)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    committee = getattr(request, "committee", None)
    if committee is None:
        raise Http404
    report = _report(request, committee, pk)
    attachment = get_object_or_404(
        attachments_of(report, services.ATTACHMENT_PURPOSE), pk=attachment_pk
    )
    return attachment_response(attachment)


# --- Staff: the queue and editing --------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "opinions.view_queue")
    filters = forms.QueueFilterForm(request.GET or None, committee=committee)
    reports = _filtered_queue(committee, filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": filters,
        "page_obj": _page(request, reports),
        "filtered": filters.is_bound,
        "export_query": query.urlencode(),
        "can_edit": request.user.has_perm("opinions.edit", committee),
        "can_export": request.user.has_perm("opinions.export", committee),
    }
    return render(request, "opinions/queue.html", context)


def _filtered_queue(committee: Committee, filters: forms.QueueFilterForm) -> QuerySet[Report]:
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    return selectors.queue(
        committee,
        status=data.get("status") or "",
        category=data.get("category"),
        year=data.get("year"),
        submitter_kind=data.get("submitter_kind") or "",
        query=data.get("q") or "",
    )


@login_required
def queue_export(request: HttpRequest) -> HttpResponseBase:
    committee = _committee(request, "opinions.export")
    filters = forms.QueueFilterForm(request.GET or None, committee=committee)
    reports = _filtered_queue(committee, filters)
    audit_log(
        action="opinions.queue_export", request=request, committee=committee, rows=reports.count()
    )
    headers = [
        _("Number"),
        _("Title"),
        _("Category"),
        _("Submitted as"),
        _("Submitters"),
        _("Sector"),
        _("Submitted at"),
        _("Status"),
        _("Issue"),
    ]

    def rows() -> Any:
        for r in reports.iterator(chunk_size=500):
            names = "、".join(row.member.person.name for row in r.submitter_rows.all())
            sectors = "、".join(
                sorted(
                    {row.member.sector.name for row in r.submitter_rows.all() if row.member.sector}
                )
            )
            yield [
                r.code,
                r.title,
                r.category.name if r.category else "",
                r.get_submitter_kind_display() + (f" {r.group_name}" if r.group_name else ""),
                names,
                sectors,
                timezone.localtime(r.submitted_at) if r.submitted_at else None,
                r.get_status_display(),
                str(r.item.issue) if r.item and r.item.issue else "",
            ]

    return xlsx_response(
        f"社情民意信息_{today_stamp()}.xlsx", _("Opinion reports"), headers, rows()
    )


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    report = _report(request, committee, pk)
    try:
        item = services.report_accept(actor=_actor(request), report=report, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("opinions:report_detail", pk=report.pk)
    messages.success(request, _("The report is now in editing."))
    return redirect("opinions:item_detail", pk=item.pk)


@login_required
def report_not_use(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    report = _report(request, committee, pk)
    form = forms.ReasonForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda data: services.report_not_use(
            actor=_actor(request), report=report, reason=data["reason"], request=request
        ),
        success=lambda r: reverse("opinions:report_detail", args=[r.pk]),
        message=_("The report is marked as not used."),
        title=_("Not used: %(title)s") % {"title": report.title},
        cancel_url=reverse("opinions:report_detail", args=[report.pk]),
    )


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    page = _page(request, selectors.items_in_editing(committee))
    return render(request, "opinions/item_list.html", {"page_obj": page})


def _item(committee: Committee, pk: int) -> EditedItem:
    return get_object_or_404(selectors.item_detail(committee), pk=pk)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.view_queue")
    item = _item(committee, pk)
    context = {
        "item": item,
        "can_edit": request.user.has_perm("opinions.edit", committee),
        "withdraw_form": forms.ReasonForm(),
    }
    return render(request, "opinions/item_detail.html", context)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    item = _item(committee, pk)
    form = forms.ItemForm(_data(request), initial={"title": item.title, "text": item.text})
    return _form_page(
        request,
        form,
        save=lambda data: services.item_update(
            actor=_actor(request),
            item=item,
            title=data["title"],
            text=data["text"],
            request=request,
        ),
        success=lambda it: reverse("opinions:item_detail", args=[it.pk]),
        message=_("The edited text has been saved."),
        title=_("Edit: %(title)s") % {"title": item.title},
        cancel_url=reverse("opinions:item_detail", args=[item.pk]),
        template="opinions/item_edit.html",
        extra={"item": item},
    )


@login_required
def item_merge(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    item = _item(committee, pk)
    form = forms.MergeForm(_data(request), item=item)
    return _form_page(
        request,
        form,
        save=lambda data: services.reports_merge(
            actor=_actor(request), item=item, reports=list(data["reports"]), request=request
        ),
        success=lambda it: reverse("opinions:item_detail", args=[it.pk]),
        message=_("The reports have been merged into the item."),
        title=_("Merge reports into: %(title)s") % {"title": item.title},
        cancel_url=reverse("opinions:item_detail", args=[item.pk]),
        extra={"submit_label": _("Merge")},
    )


@login_required
def item_forward(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    item = _item(committee, pk)
    form = forms.ForwardForm(_data(request), initial={"date": timezone.localdate()})
    return _form_page(
        request,
        form,
        save=lambda data: services.item_forward(
            actor=_actor(request), item=item, request=request, **data
        ),
        success=lambda f: reverse("opinions:item_detail", args=[item.pk]),
        message=_("The forwarding has been recorded."),
        title=_("Forward: %(title)s") % {"title": item.title},
        cancel_url=reverse("opinions:item_detail", args=[item.pk]),
    )


@login_required
def adoption_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    item = _item(committee, pk)
    form = forms.AdoptionForm(_data(request), initial={"date": timezone.localdate()})
    return _form_page(
        request,
        form,
        save=lambda data: services.adoption_record(
            actor=_actor(request), item=item, request=request, **data
        ),
        success=lambda a: reverse("opinions:item_detail", args=[item.pk]),
        message=_("The adoption has been recorded; the submitters' duty records are written."),
        title=_("Record an adoption: %(title)s") % {"title": item.title},
        cancel_url=reverse("opinions:item_detail", args=[item.pk]),
    )


@login_required
def adoption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    adoption = get_object_or_404(
        Adoption.objects.filter(committee=committee, withdrawn_at__isnull=True).select_related(
            "item"
        ),
        pk=pk,
    )
    initial = {
        "level": adoption.level,
        "national_mode": adoption.national_mode,
        "date": adoption.date,
        "text": adoption.text,
    }
    form = forms.AdoptionForm(_data(request), initial=initial)
    return _form_page(
        request,
        form,
        save=lambda data: services.adoption_correct(
            actor=_actor(request), adoption=adoption, request=request, **data
        ),
        success=lambda a: reverse("opinions:item_detail", args=[adoption.item_id]),
        message=_("The adoption has been corrected."),
        title=_("Correct the adoption: %(title)s") % {"title": adoption.item.title},
        cancel_url=reverse("opinions:item_detail", args=[adoption.item_id]),
    )


@login_required
@require_POST
def adoption_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    adoption = get_object_or_404(Adoption.objects.filter(committee=committee), pk=pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the reason for the withdrawal."))
        return redirect("opinions:item_detail", pk=adoption.item_id)
    return _post_action(
        request,
        lambda: services.adoption_withdraw(
            actor=_actor(request),
            adoption=adoption,
            reason=form.cleaned_data["reason"],
            request=request,
        ),
        _("The adoption has been withdrawn with its duty records."),
        reverse("opinions:item_detail", args=[adoption.item_id]),
    )


@login_required
def instruction_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    item = _item(committee, pk)
    form = forms.InstructionForm(_data(request), initial={"date": timezone.localdate()})
    return _form_page(
        request,
        form,
        save=lambda data: services.instruction_record(
            actor=_actor(request), item=item, request=request, **data
        ),
        success=lambda i: reverse("opinions:item_detail", args=[item.pk]),
        message=_("The instruction has been recorded; the submitters' duty records are written."),
        title=_("Record a leader's instruction: %(title)s") % {"title": item.title},
        cancel_url=reverse("opinions:item_detail", args=[item.pk]),
    )


@login_required
@require_POST
def instruction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    instruction = get_object_or_404(Instruction.objects.filter(committee=committee), pk=pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the reason for the withdrawal."))
        return redirect("opinions:item_detail", pk=instruction.item_id)
    return _post_action(
        request,
        lambda: services.instruction_withdraw(
            actor=_actor(request),
            instruction=instruction,
            reason=form.cleaned_data["reason"],
            request=request,
        ),
        _("The instruction has been withdrawn with its duty records."),
        reverse("opinions:item_detail", args=[instruction.item_id]),
    )


# --- Issues -------------------------------------------------------------------------------


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "opinions.view_issues")
    page = _page(request, selectors.issues_of(committee, request.user))
    context = {"page_obj": page, "can_edit": request.user.has_perm("opinions.edit", committee)}
    return render(request, "opinions/issue_list.html", context)


def _issue(request: HttpRequest, committee: Committee, pk: int) -> Issue:
    issue = get_object_or_404(selectors.issue_detail(committee), pk=pk)
    if not request.user.has_perm("opinions.view_issue", issue):
        raise Http404
    return issue


@login_required
def issue_create(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    form = forms.IssueForm(_data(request))
    return _form_page(
        request,
        form,
        save=lambda data: services.issue_create(
            actor=_actor(request), committee=committee, request=request, **data
        ),
        success=lambda issue: reverse("opinions:issue_detail", args=[issue.pk]),
        message=_("The issue has been created; now choose its items."),
        title=_("New issue"),
        cancel_url=reverse("opinions:issue_list"),
    )


@login_required
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    issue = _issue(request, committee, pk)
    initial = {
        "date": issue.date,
        "title": issue.title,
        "to_upper": issue.to_upper,
        "to_party": issue.to_party,
        "to_government": issue.to_government,
    }
    form = forms.IssueForm(_data(request), initial=initial, editing=True)
    return _form_page(
        request,
        form,
        save=lambda data: services.issue_update(
            actor=_actor(request), issue=issue, request=request, **data
        ),
        success=lambda i: reverse("opinions:issue_detail", args=[i.pk]),
        message=_("The issue has been saved."),
        title=_("Edit %(issue)s") % {"issue": issue},
        cancel_url=reverse("opinions:issue_detail", args=[issue.pk]),
    )


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.view_issues")
    issue = _issue(request, committee, pk)
    can_edit = request.user.has_perm("opinions.edit", committee) and not issue.is_published
    add_form = forms.AddItemsForm(committee=committee) if can_edit else None
    context = {
        "issue": issue,
        "items": issue.items.all(),
        "can_edit": can_edit,
        "can_view_items": request.user.has_perm("opinions.view_queue", committee),
        "add_form": add_form,
    }
    return render(request, "opinions/issue_detail.html", context)


@login_required
@require_POST
def issue_add_items(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    issue = _issue(request, committee, pk)
    form = forms.AddItemsForm(request.POST, committee=committee)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("opinions:issue_detail", pk=issue.pk)
    return _post_action(
        request,
        lambda: services.issue_add_items(
            actor=_actor(request),
            issue=issue,
            items=list(form.cleaned_data["items"]),
            request=request,
        ),
        _("The items have been added to the issue."),
        reverse("opinions:issue_detail", args=[issue.pk]),
    )


def _issue_item(request: HttpRequest, pk: int, item_pk: int) -> tuple[Issue, EditedItem]:
    committee = _committee(request, "opinions.edit")
    issue = _issue(request, committee, pk)
    item = get_object_or_404(
        EditedItem.objects.filter(committee=committee, issue=issue), pk=item_pk
    )
    return issue, item


@login_required
@require_POST
def issue_remove_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    issue, item = _issue_item(request, pk, item_pk)
    return _post_action(
        request,
        lambda: services.issue_remove_item(
            actor=_actor(request), issue=issue, item=item, request=request
        ),
        _("The item has been taken out of the issue."),
        reverse("opinions:issue_detail", args=[issue.pk]),
    )


@login_required
@require_POST
def issue_move_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    issue, item = _issue_item(request, pk, item_pk)
    up = request.POST.get("direction") == "up"
    return _post_action(
        request,
        lambda: services.issue_move_item(
            actor=_actor(request), issue=issue, item=item, up=up, request=request
        ),
        _("The order has been changed."),
        reverse("opinions:issue_detail", args=[issue.pk]),
    )


@login_required
@require_POST
def issue_publish(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.edit")
    issue = _issue(request, committee, pk)
    return _post_action(
        request,
        lambda: services.issue_publish(actor=_actor(request), issue=issue, request=request),
        _("The issue has been published; the submitters have been told."),
        reverse("opinions:issue_detail", args=[issue.pk]),
    )


@login_required
def issue_print(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, "opinions.view_issues")
    issue = _issue(request, committee, pk)
    return render(
        request,
        "opinions/issue_print.html",
        {"issue": issue, "items": issue.items.all(), "committee": committee},
    )


# --- Statistics and settings ---------------------------------------------------------------


def _stats_year(request: HttpRequest, committee: Committee) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "opinions.view_stats")
    year = _stats_year(request, committee)
    context = {
        "year": year,
        "years": selectors.stat_years(committee),
        "totals": selectors.stats_totals(committee, year),
        "by_sector": selectors.stats_by_sector(committee, year),
        "page_obj": _page(request, selectors.stats_by_member(committee, year)),
        "levels": Level.choices,
        "can_export": request.user.has_perm("opinions.export", committee),
    }
    return render(request, "opinions/stats.html", context)


@login_required
def stats_export(request: HttpRequest) -> HttpResponseBase:
    committee = _committee(request, "opinions.export")
    year = _stats_year(request, committee)
    by_sector = request.GET.get("by") == "sector"
    counts = (
        [_("Submitted"), _("Used")]
        + [str(label) for _v, label in Level.choices]
        + [_("Instructions")]
    )
    keys = selectors.STAT_FIELDS
    if by_sector:
        headers = [_("Sector"), *counts]
        data = selectors.stats_by_sector(committee, year)
        rows = ([r["member__sector__name"] or "—", *[r[k] for k in keys]] for r in data)
    else:
        headers = [_("Member"), _("Sector"), *counts]
        members = selectors.stats_by_member(committee, year)
        rows = (
            [r["member__person__name"], r["member__sector__name"] or "", *[r[k] for k in keys]]
            for r in members.iterator()
        )
    audit_log(
        action="opinions.stats_export",
        request=request,
        committee=committee,
        year=year,
        by="sector" if by_sector else "member",
    )
    return xlsx_response(f"社情民意统计_{year}.xlsx", str(year), headers, rows)


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    committee = _committee(request, "opinions.manage_settings")
    current = selectors.settings_of(committee)
    names = "\n".join(c.name for c in selectors.categories_of(committee))
    form = forms.SettingsForm(
        _data(request), initial={"max_chars": current.max_chars, "categories": names}
    )
    return _form_page(
        request,
        form,
        save=lambda data: services.settings_update(
            actor=_actor(request),
            committee=committee,
            max_chars=data["max_chars"],
            categories=data["categories"],
            request=request,
        ),
        success=lambda s: reverse("opinions:settings"),
        message=_("The settings have been saved."),
        title=_("Public-opinion report settings"),
        cancel_url=reverse("home"),
    )

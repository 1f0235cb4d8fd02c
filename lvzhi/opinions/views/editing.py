"""Staff's pages: the queue of submitted reports, the edited items and what
became of them (forwarding, adoptions, instructions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    object_for,
    posted,
    run_action,
)
from lvzhi.opinions import forms, selectors, services
from lvzhi.opinions.filters import ReportFilter
from lvzhi.opinions.views._common import desk, item_for, report_for
from lvzhi.org.models import Committee


def _queue_filter(request: HttpRequest, committee: Committee) -> ReportFilter:
    return ReportFilter(request.GET, queryset=selectors.queue(committee), committee=committee)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "opinions.view_queue")
    return list_page(request, "opinions/queue.html", _queue_filter(request, committee))


@login_required
def queue_export(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "opinions.export")
    reports = _queue_filter(request, committee).qs
    audit_log(action="opinions.queue_export", committee=committee, rows=reports.count())
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
    report = report_for(request, desk(request), pk)
    try:
        item = services.report_accept(actor=acting_user(request), report=report)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("opinions:report_detail", pk=report.pk)
    messages.success(request, _("The report is now in editing."))
    return redirect("opinions:item_detail", pk=item.pk)


@login_required
def report_not_use(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request, desk(request), pk)
    form = forms.ReasonForm(posted(request))
    return form_page(
        request,
        form,
        save=lambda data: services.report_not_use(
            actor=acting_user(request), report=report, reason=data["reason"]
        ),
        message=_("The report is marked as not used."),
        success=reverse("opinions:report_detail", args=[report.pk]),
        title=_("Not used: %(title)s") % {"title": report.title},
        cancel_url=reverse("opinions:report_detail", args=[report.pk]),
    )


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "opinions/item_list.html", selectors.items_in_editing(desk(request)))


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "opinions.view_queue")
    item = item_for(request, committee, pk, "opinions.view_item")
    return render(request, "opinions/item_detail.html", {"item": item})


def _item_page(item: Any) -> str:
    return reverse("opinions:item_detail", args=[item.pk])


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_for(request, desk(request), pk, "opinions.edit_item")
    form = forms.ItemForm(posted(request), initial={"title": item.title, "text": item.text})
    return form_page(
        request,
        form,
        save=lambda data: services.item_update(
            actor=acting_user(request), item=item, title=data["title"], text=data["text"]
        ),
        message=_("The edited text has been saved."),
        success=_item_page(item),
        title=_("Edit: %(title)s") % {"title": item.title},
        cancel_url=_item_page(item),
        template="opinions/item_edit.html",
        item=item,
    )


@login_required
def item_merge(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_for(request, desk(request), pk, "opinions.edit_item")
    form = forms.MergeForm(posted(request), item=item)
    return form_page(
        request,
        form,
        save=lambda data: services.reports_merge(
            actor=acting_user(request), item=item, reports=list(data["reports"])
        ),
        message=_("The reports have been merged into the item."),
        success=_item_page(item),
        title=_("Merge reports into: %(title)s") % {"title": item.title},
        cancel_url=_item_page(item),
        submit_label=_("Merge"),
    )


def _item_record(
    request: HttpRequest,
    pk: int,
    perm: str,
    form_class: type[Form],
    record: Callable[..., Any],
    message: str,
    title: str,
) -> HttpResponse:
    """What became of an edited item (forwarded, adopted, instructed): a
    dated form, the service, back to the item."""
    item = item_for(request, desk(request), pk, perm)
    return form_page(
        request,
        form_class(posted(request), initial={"date": timezone.localdate()}),
        title=title % {"title": item.title},
        cancel_url=_item_page(item),
        save=lambda data: record(actor=acting_user(request), item=item, **data),
        message=message,
    )


@login_required
def item_forward(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_record(
        request,
        pk,
        "opinions.forward_item",
        forms.ForwardForm,
        services.item_forward,
        _("The forwarding has been recorded."),
        _("Forward: %(title)s"),
    )


@login_required
def adoption_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_record(
        request,
        pk,
        "opinions.adopt_item",
        forms.AdoptionForm,
        services.adoption_record,
        _("The adoption has been recorded; the submitters' duty records are written."),
        _("Record an adoption: %(title)s"),
    )


@login_required
def adoption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    adoption = object_for(
        request,
        selectors.adoptions_of(desk(request)).filter(withdrawn_at__isnull=True),
        perm="opinions.correct_adoption",
        pk=pk,
    )
    initial = {
        "level": adoption.level,
        "national_mode": adoption.national_mode,
        "date": adoption.date,
        "text": adoption.text,
    }
    form = forms.AdoptionForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.adoption_correct(
            actor=acting_user(request), adoption=adoption, **data
        ),
        message=_("The adoption has been corrected."),
        success=_item_page(adoption.item),
        title=_("Correct the adoption: %(title)s") % {"title": adoption.item.title},
        cancel_url=_item_page(adoption.item),
    )


def _withdraw(request: HttpRequest, outcome: Any, withdraw: Any, message: str) -> HttpResponse:
    """A withdrawal's POST: the reason checked, then the service."""
    form = forms.ReasonForm(request.POST)
    next_url = _item_page(outcome.item)
    if not form.is_valid():
        messages.error(request, _("Enter the reason for the withdrawal."))
        return redirect(next_url)
    return run_action(request, lambda: withdraw(form.cleaned_data["reason"]), message, next_url)


@login_required
@require_POST
def adoption_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    adoption = object_for(
        request, selectors.adoptions_of(desk(request)), perm="opinions.withdraw_adoption", pk=pk
    )
    return _withdraw(
        request,
        adoption,
        lambda reason: services.adoption_withdraw(
            actor=acting_user(request), adoption=adoption, reason=reason
        ),
        _("The adoption has been withdrawn with its duty records."),
    )


@login_required
def instruction_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_record(
        request,
        pk,
        "opinions.instruct_item",
        forms.InstructionForm,
        services.instruction_record,
        _("The instruction has been recorded; the submitters' duty records are written."),
        _("Record a leader's instruction: %(title)s"),
    )


@login_required
def instruction_write(request: HttpRequest, pk: int) -> HttpResponse:
    """A party or government leader's instruction on an item of an issue sent
    to them, written in the app (staff still record paper ones above)."""
    committee = committee_for(request, "opinions.view_issues")
    item = item_for(request, committee, pk, "opinions.write_instruction")
    user = acting_user(request)
    initial = {"leader_title": selectors.last_leader_title(user) or str(user)}
    back = reverse("opinions:issue_detail", args=[item.issue_id])
    return form_page(
        request,
        forms.InstructionWriteForm(posted(request), initial=initial),
        title=_("Write an instruction: %(title)s") % {"title": item.title},
        intro=_("The instruction is sent to the office and to the members who wrote the report."),
        cancel_url=back,
        save=lambda data: services.instruction_write(actor=user, item=item, **data),
        message=_("Your instruction has been recorded and sent."),
        success=back,
        before_form="opinions/_instruction_item.html",
        item=item,
    )


@login_required
@require_POST
def instruction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = object_for(
        request,
        selectors.instructions_of(desk(request)),
        perm="opinions.withdraw_instruction",
        pk=pk,
    )
    return _withdraw(
        request,
        instruction,
        lambda reason: services.instruction_withdraw(
            actor=acting_user(request), instruction=instruction, reason=reason
        ),
        _("The instruction has been withdrawn with its duty records."),
    )

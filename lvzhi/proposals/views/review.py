"""立: the office's review queue and list pages, its review buttons, the
exports and the handling statistics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.audit import audit_log
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.web import committee_for, paginate
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.audit import EXPORT
from lvzhi.proposals.views._common import detail_url, form_action, proposal_for


@login_required
def review(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.review")
    page_obj = paginate(request, selectors.review_queue(committee))
    return render(request, "proposals/review.html", {"page_obj": page_obj})


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.NoteForm(request.POST),
        lambda d: services.proposal_register(actor=request.user, proposal=proposal, note=d["note"]),
        _("The proposal has been registered."),
        detail_url(proposal),
    )


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.DeclineForm(request.POST, committee=committee_for(request)),
        lambda d: services.proposal_decline(
            actor=request.user,
            proposal=proposal,
            ground=d["ground"],
            note=d["note"],
            letter_unit=d["letter_unit"],
        ),
        _("The proposal has been declined."),
        detail_url(proposal),
    )


@login_required
@require_POST
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.ConvertForm(request.POST, committee=committee_for(request)),
        lambda d: services.proposal_convert(actor=request.user, proposal=proposal, unit=d["unit"]),
        _("The suggestion letter has been forwarded."),
        detail_url(proposal),
    )


@login_required
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.ReasonForm(request.POST),
        lambda d: services.proposal_return(
            actor=request.user, proposal=proposal, reason=d["reason"]
        ),
        _("The proposal has been returned to the proposer."),
        detail_url(proposal),
    )


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.MergeForm(request.POST, committee=committee_for(request), proposal=proposal),
        lambda d: services.proposal_merge(
            actor=request.user, proposal=proposal, into=d["into"], note=d["note"]
        ),
        _("The proposal has been merged."),
        detail_url(proposal),
    )


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.view_all")
    form = forms.FilterForm(request.GET or None, committee=committee)
    page_obj = paginate(request, selectors.office_proposals(committee, **form.filters()))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proposals/list.html",
        {"page_obj": page_obj, "filter_form": form, "query": query.urlencode()},
    )


@login_required
def export_list(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "proposals.export")
    form = forms.FilterForm(request.GET or None, committee=committee)
    rows = selectors.office_proposals(committee, **form.filters())
    audit_log(action=EXPORT, committee=committee, what="list")
    headers = [
        _("Number"),
        _("Session"),
        _("Title"),
        _("Category"),
        _("Kind"),
        _("Lead proposer"),
        _("Status"),
        _("Submitted at"),
        _("Key proposal"),
    ]
    return xlsx_response(
        f"proposals-{today_stamp()}.xlsx",
        str(_("Proposals")),
        headers,
        (
            (
                p.number_label,
                p.session.name if p.session else p.term.name,
                p.title,
                p.category.name if p.category else "",
                p.get_kind_display(),
                p.proposer.person.name,
                p.get_status_display(),
                timezone.localtime(p.submitted_at).date() if p.submitted_at else "",
                _("yes") if p.is_key else "",
            )
            for p in rows.iterator(chunk_size=1000)
        ),
    )


def year_of(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.view_all")
    year = year_of(request)
    rows = selectors.unit_statistics(committee, year=year)
    return render(request, "proposals/stats.html", {"rows": rows, "year": year or ""})


@login_required
def export_stats(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "proposals.export")
    year = year_of(request)
    audit_log(action=EXPORT, committee=committee, what="stats")
    rows = selectors.unit_statistics(committee, year=year)
    headers = [
        _("Handling unit"),
        _("Assigned"),
        _("Replied"),
        _("Replied on time"),
        _("On-time rate (%)"),
        _("Class A (%)"),
        _("Class B (%)"),
        _("Class C (%)"),
        _("Satisfied"),
        _("Basically satisfied"),
        _("Dissatisfied"),
        _("Satisfaction rate (%)"),
    ]
    return xlsx_response(
        f"proposal-units-{today_stamp()}.xlsx",
        str(_("Handling statistics")),
        headers,
        (
            (
                r["unit__name"],
                r["total"],
                r["replied"],
                r["on_time"],
                r["on_time_rate"],
                r["a_share"],
                r["b_share"],
                r["c_share"],
                r["satisfied"],
                r["basic"],
                r["dissatisfied"],
                r["satisfaction_rate"],
            )
            for r in rows
        ),
    )

"""评 and 督: the proposers' evaluation, closing, key proposals, supervision
notes and board, and the excellent proposals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.permissions import has_perm
from lvzhi.core.web import committee_for, paginate, run_action
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.models import ExcellentList, Proposal
from lvzhi.proposals.views._common import detail_url, form_action, proposal_for
from lvzhi.proposals.views.review import year_of


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.EvaluationForm(request.POST),
        lambda d: services.proposal_evaluate(actor=request.user, proposal=proposal, **d),
        _("Thank you, your evaluation has been recorded."),
        detail_url(proposal),
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.NoteForm(request.POST),
        lambda d: services.proposal_close(actor=request.user, proposal=proposal, note=d["note"]),
        _("The proposal has been closed."),
        detail_url(proposal),
    )


@login_required
@require_POST
def mark_key(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.KeyForm(request.POST, committee=committee_for(request)),
        lambda d: services.proposal_mark_key(
            actor=request.user, proposal=proposal, supervisor=d["supervisor"], is_key=d["is_key"]
        ),
        _("The key proposal setting has been saved."),
        detail_url(proposal),
    )


@login_required
@require_POST
def supervise(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.TextForm(request.POST),
        lambda d: services.supervision_note_add(
            actor=request.user, proposal=proposal, text=d["text"]
        ),
        _("The supervision note has been sent to the units."),
        detail_url(proposal),
    )


@login_required
@require_POST
def select_excellent(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.ExcellentForm(request.POST),
        lambda d: services.excellent_select(
            actor=request.user, proposal=proposal, year=d["year"], selected=d["selected"]
        ),
        _("The excellent proposals selection has been saved."),
        detail_url(proposal),
    )


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.supervise")
    unit = request.GET.get("unit", "")
    unit_id = int(unit) if unit.isdigit() else None
    page_obj = paginate(request, selectors.supervision_board(committee, unit=unit_id))
    units = selectors.units_for_assignment(committee)
    return render(
        request,
        "proposals/supervision.html",
        {"page_obj": page_obj, "units": units, "unit_id": unit_id, "today": timezone.localdate()},
    )


@login_required
def excellent(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.view_excellent")
    manages = has_perm(request.user, "proposals.manage_excellent", committee)
    published = {e.year: e for e in ExcellentList.objects.filter(committee=committee)}
    years = sorted(
        set(published) | set(selectors.excellent_years(committee) if manages else []),
        reverse=True,
    )
    year = year_of(request) or (years[0] if years else timezone.localdate().year)
    rows = (
        selectors.excellent_proposals(committee, year)
        if manages or year in published
        else Proposal.objects.none()
    )
    return render(
        request,
        "proposals/excellent.html",
        {
            "page_obj": paginate(request, rows),
            "year": year,
            "years": years,
            "published": published.get(year),
            "is_staff": manages,
        },
    )


@login_required
@require_POST
def excellent_publish(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.manage_excellent")
    year = year_of(request) or (
        int(request.POST["year"]) if request.POST.get("year", "").isdigit() else None
    )
    if year is None:
        raise Http404
    return run_action(
        request,
        lambda: services.excellent_publish(actor=request.user, committee=committee, year=year),
        _("The list has been published."),
        f"{reverse('proposals:excellent')}?year={year}",
    )

"""评 and 督: the proposers' evaluation, closing, key proposals, supervision
notes and board, and the excellent proposals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvzhi.core.permissions import has_perm
from lvzhi.core.web import (
    acting_user,
    committee_for,
    int_param,
    list_page,
    run_action,
    this_year,
    year_param,
)
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.filters import SupervisionFilter
from lvzhi.proposals.models import ExcellentList, Proposal
from lvzhi.proposals.views._common import of_committee, plain, proposal_button


@proposal_button(
    plain(forms.EvaluationForm), gettext_lazy("Thank you, your evaluation has been recorded.")
)
def evaluate(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_evaluate(actor=acting_user(request), proposal=proposal, **d)


@proposal_button(plain(forms.NoteForm), gettext_lazy("The proposal has been closed."))
def close(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_close(actor=acting_user(request), proposal=proposal, **d)


@proposal_button(
    of_committee(forms.KeyForm), gettext_lazy("The key proposal setting has been saved.")
)
def mark_key(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_mark_key(actor=acting_user(request), proposal=proposal, **d)


@proposal_button(
    plain(forms.TextForm), gettext_lazy("The supervision note has been sent to the units.")
)
def supervise(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.supervision_note_add(actor=acting_user(request), proposal=proposal, **d)


@proposal_button(
    plain(forms.ExcellentForm), gettext_lazy("The excellent proposals selection has been saved.")
)
def select_excellent(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.excellent_select(actor=acting_user(request), proposal=proposal, **d)


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.supervise")
    return list_page(
        request,
        "proposals/supervision.html",
        SupervisionFilter(
            request.GET,
            queryset=selectors.supervision_board(committee),
            committee=committee,
            request=request,
        ),
        today=timezone.localdate(),
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
    year = year_param(request) or (years[0] if years else this_year())
    rows = (
        selectors.excellent_proposals(committee, year)
        if manages or year in published
        else Proposal.objects.none()
    )
    return list_page(
        request,
        "proposals/excellent.html",
        rows,
        year=year,
        years=years,
        published=published.get(year),
        is_staff=manages,
    )


@login_required
@require_POST
def excellent_publish(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.manage_excellent")
    year = year_param(request) or int_param(request.POST.get("year"))
    if year is None:
        raise Http404
    return run_action(
        request,
        lambda: services.excellent_publish(
            actor=acting_user(request), committee=committee, year=year
        ),
        _("The list has been published."),
        f"{reverse('proposals:excellent')}?year={year}",
    )

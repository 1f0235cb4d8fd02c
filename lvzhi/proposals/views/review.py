"""立: the office's review queue and list pages, its review buttons, the
exports and the handling statistics."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.audit import audit_log
from lvzhi.core.corrections import corrections_of
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.exports import export_response
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    object_for,
    posted,
    year_param,
)
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.audit import EXPORT
from lvzhi.proposals.exports import office_list
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.settings_defs import answer_classes
from lvzhi.proposals.views._common import detail_url, of_committee, plain, proposal_button


@login_required
def review(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.review")
    return list_page(request, "proposals/review.html", selectors.review_queue(committee))


@proposal_button(plain(forms.NoteForm), gettext_lazy("The proposal has been registered."))
def register(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_register(actor=acting_user(request), proposal=proposal, **d)


@proposal_button(of_committee(forms.DeclineForm), gettext_lazy("The proposal has been declined."))
def decline(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_decline(actor=acting_user(request), proposal=proposal, **d)


@proposal_button(
    of_committee(forms.ConvertForm), gettext_lazy("The suggestion letter has been forwarded.")
)
def convert(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_convert(actor=acting_user(request), proposal=proposal, **d)


@proposal_button(
    plain(forms.ReasonForm), gettext_lazy("The proposal has been returned to the proposer.")
)
def return_(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_return(actor=acting_user(request), proposal=proposal, **d)


def _merge_form(request: HttpRequest, proposal: Proposal) -> forms.MergeForm:
    return forms.MergeForm(request.POST, committee=committee_for(request), proposal=proposal)


@proposal_button(_merge_form, gettext_lazy("The proposal has been merged."))
def merge(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_merge(actor=acting_user(request), proposal=proposal, **d)


@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The office corrects a submitted proposal's title, category or kind."""
    committee = committee_for(request)
    proposal = object_for(
        request, selectors.proposal_detail_qs(committee), perm="proposals.correct_proposal", pk=pk
    )
    form = forms.CorrectionForm(posted(request), proposal=proposal)
    return form_page(
        request,
        form,
        title=_("Correct the title, category or kind"),
        cancel_url=detail_url(proposal),
        save=lambda d: services.proposal_correct(
            actor=acting_user(request), proposal=proposal, **d
        ),
        success=detail_url(proposal) + "#corrections",
        message=_("The proposal has been corrected; the original values are kept."),
        intro=_(
            "The proposer can no longer edit this proposal. Each change is kept with its "
            "original value and your reason."
        ),
        breadcrumbs=[(proposal.title, detail_url(proposal))],
        form_id="correct-form",
        submit_label=_("Save the correction"),
        corrections=corrections_of(proposal),
        before_form="core/_corrections.html",
    )


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.view_all")
    return list_page(request, "proposals/list.html", office_list(committee, request.GET))


@login_required
def export_list(request: HttpRequest) -> HttpResponseBase:
    """The list as filtered, as a file now or, when large, by a job (core.exports)."""
    return export_response(request, "proposals")


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.view_all")
    year = year_param(request)
    rows = selectors.unit_statistics(committee, year=year)
    return render(
        request,
        "proposals/stats.html",
        {"rows": rows, "year": year or "", "classes": answer_classes(committee)},
    )


@login_required
def export_stats(request: HttpRequest) -> HttpResponseBase:
    committee = committee_for(request, "proposals.export")
    year = year_param(request)
    audit_log(action=EXPORT, committee=committee, what="stats")
    rows = selectors.unit_statistics(committee, year=year)
    headers = [
        _("Handling unit"),
        _("Assigned"),
        _("Replied"),
        _("Replied on time"),
        _("On-time rate (%)"),
        *(f"{c['label']} (%)" for c in answer_classes(committee)),
        _("Solved"),
        _("Solved rate (%)"),
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
                *(c["share"] for c in r["classes"]),
                r["solved"],
                r["solved_rate"],
                r["satisfied"],
                r["basic"],
                r["dissatisfied"],
                r["satisfaction_rate"],
            )
            for r in rows
        ),
    )

"""办: the office's assignment and decisions, the unit inbox and the units'
buttons on their own assignments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.permissions import has_perm
from lvzhi.core.web import acting_user, committee_for, form_page, list_page, posted
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.filters import RequestFilter, UnitInboxFilter
from lvzhi.proposals.models import (
    Assignment,
    ExtensionRequest,
    Proposal,
    ReassignmentRequest,
    Reply,
)
from lvzhi.proposals.views._common import (
    assignment_button,
    assignment_for,
    detail_url,
    of_committee,
    plain,
    proposal_button,
)

DECIDED = gettext_lazy("The request has been decided.")
SENT_TO_OFFICE = gettext_lazy("The request has been sent to the proposal office.")


@proposal_button(of_committee(forms.AssignForm), gettext_lazy("The proposal has been assigned."))
def assign(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_assign(
        actor=acting_user(request),
        proposal=proposal,
        lead=d["lead"],
        co_units=list(d["co_units"]),
        split_units=list(d["split_units"]),
    )


@proposal_button(
    of_committee(forms.ReviewReplyForm), gettext_lazy("The class of the reply has been changed.")
)
def review_reply(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    reply = get_object_or_404(Reply, pk=d["reply"], assignment__proposal=proposal)
    return services.reply_review(
        actor=acting_user(request), reply=reply, reply_class=d["reply_class"], reason=d["reason"]
    )


@proposal_button(plain(forms.DecisionForm), DECIDED)
def decide_extension(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    asked = get_object_or_404(ExtensionRequest, pk=d["request"], assignment__proposal=proposal)
    return services.extension_decide(
        actor=acting_user(request), request=asked, approve=d["approve"]
    )


@proposal_button(plain(forms.DecisionForm), DECIDED)
def decide_reassignment(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    asked = get_object_or_404(ReassignmentRequest, pk=d["request"], assignment__proposal=proposal)
    return services.reassignment_decide(
        actor=acting_user(request), request=asked, approve=d["approve"]
    )


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.handle")
    user = acting_user(request)
    return list_page(
        request,
        "proposals/unit_inbox.html",
        UnitInboxFilter(
            request.GET, queryset=selectors.unit_assignments(committee, user), committee=committee
        ),
        letters=selectors.letters_for_units(committee, user)[:20],
        today=timezone.localdate(),
    )


@login_required
def requests_queue(request: HttpRequest) -> HttpResponse:
    """The office's queue of the units' extension and reassignment requests."""
    committee = committee_for(request, "proposals.review")
    kind = RequestFilter.kind_of(request.GET)
    return list_page(
        request,
        "proposals/requests.html",
        RequestFilter(
            request.GET, queryset=selectors.unit_requests(committee, kind), committee=committee
        ),
        kind=kind,
        is_extension=kind == selectors.REQUEST_EXTENSION,
    )


# --- The unit's buttons on its own assignment ------------------------------------------------


@assignment_button(None, gettext_lazy("Your unit has accepted the proposal."))
def accept(request: HttpRequest, assignment: Assignment, _d: dict[str, Any]) -> Any:
    return services.assignment_accept(actor=acting_user(request), assignment=assignment)


@assignment_button(plain(forms.PreContactForm), gettext_lazy("The contact has been recorded."))
def precontact(request: HttpRequest, assignment: Assignment, d: dict[str, Any]) -> Any:
    return services.assignment_precontact(
        actor=acting_user(request),
        assignment=assignment,
        when=d["date"],
        way=d["way"],
        summary=d["summary"],
    )


@assignment_button(
    plain(forms.TextForm), gettext_lazy("Your opinion has been sent to the lead unit.")
)
def co_opinion(request: HttpRequest, assignment: Assignment, d: dict[str, Any]) -> Any:
    return services.assignment_co_opinion(actor=acting_user(request), assignment=assignment, **d)


@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """答复: posted from the unit's panel on the proposal's page. A refusal (a
    missing class, a letter of a refused kind) shows the form again on its
    own page with the text and class kept (only the file must be chosen
    again: a browser never re-sends one)."""
    assignment = assignment_for(request, pk)
    if not has_perm(request.user, "proposals.reply_assignment", assignment):
        raise Http404
    proposal = assignment.proposal
    form = forms.ReplyForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        committee=committee_for(request),
    )
    return form_page(
        request,
        form,
        title=_("Reply to the proposal"),
        cancel_url=detail_url(proposal),
        save=lambda d: services.assignment_reply(
            actor=acting_user(request), assignment=assignment, **d
        ),
        success=detail_url(proposal),
        message=_("The reply has been sent."),
        multipart=True,
        form_id="reply-form",
        intro=_("%(unit)s replies to: %(title)s")
        % {"unit": assignment.unit.name, "title": proposal.title},
        breadcrumbs=[(proposal.title, detail_url(proposal))],
        submit_label=_("Send reply"),
    )


@assignment_button(plain(forms.ExtensionForm), SENT_TO_OFFICE)
def request_extension(request: HttpRequest, assignment: Assignment, d: dict[str, Any]) -> Any:
    return services.extension_request(actor=acting_user(request), assignment=assignment, **d)


@assignment_button(plain(forms.ReasonForm), SENT_TO_OFFICE)
def request_reassignment(request: HttpRequest, assignment: Assignment, d: dict[str, Any]) -> Any:
    return services.reassignment_request(actor=acting_user(request), assignment=assignment, **d)


@assignment_button(plain(forms.QualityForm), gettext_lazy("Your rating has been recorded."))
def rate_quality(request: HttpRequest, assignment: Assignment, d: dict[str, Any]) -> Any:
    return services.quality_rate(actor=acting_user(request), assignment=assignment, **d)

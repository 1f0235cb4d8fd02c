"""办: the office's assignment and decisions, the unit inbox and the units'
buttons on their own assignments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from lvzhi.core.web import committee_for, paginate, run_action
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.models import Assignment, ExtensionRequest, ReassignmentRequest, Reply
from lvzhi.proposals.views._common import assignment_for, detail_url, form_action, proposal_for

DECIDED = gettext_noop("The request has been decided.")
SENT_TO_OFFICE = gettext_noop("The request has been sent to the proposal office.")


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.AssignForm(request.POST, committee=committee_for(request)),
        lambda d: services.proposal_assign(
            actor=request.user,
            proposal=proposal,
            lead=d["lead"],
            co_units=list(d["co_units"]),
            split_units=list(d["split_units"]),
        ),
        _("The proposal has been assigned."),
        detail_url(proposal),
    )


@login_required
@require_POST
def review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.ReviewReplyForm(request.POST),
        lambda d: services.reply_review(
            actor=request.user,
            reply=get_object_or_404(Reply, pk=d["reply"], assignment__proposal=proposal),
            reply_class=d["reply_class"],
            reason=d["reason"],
        ),
        _("The class of the reply has been changed."),
        detail_url(proposal),
    )


@login_required
@require_POST
def decide_extension(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.DecisionForm(request.POST),
        lambda d: services.extension_decide(
            actor=request.user,
            request=get_object_or_404(
                ExtensionRequest, pk=d["request"], assignment__proposal=proposal
            ),
            approve=d["approve"],
        ),
        _(DECIDED),
        detail_url(proposal),
    )


@login_required
@require_POST
def decide_reassignment(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.DecisionForm(request.POST),
        lambda d: services.reassignment_decide(
            actor=request.user,
            request=get_object_or_404(
                ReassignmentRequest, pk=d["request"], assignment__proposal=proposal
            ),
            approve=d["approve"],
        ),
        _(DECIDED),
        detail_url(proposal),
    )


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.handle")
    shown = [c for c in Assignment.State.choices if c[0] != Assignment.State.WITHDRAWN]
    state = request.GET.get("state", "")
    if state not in {value for value, _label in shown}:
        state = ""
    page_obj = paginate(request, selectors.unit_assignments(committee, request.user, state=state))
    letters = selectors.letters_for_units(committee, request.user)[:20]
    return render(
        request,
        "proposals/unit_inbox.html",
        {
            "page_obj": page_obj,
            "letters": letters,
            "state": state,
            "states": shown,
            "today": timezone.localdate(),
        },
    )


# --- The unit's buttons on its own assignment ------------------------------------------------


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request, pk)
    return run_action(
        request,
        lambda: services.assignment_accept(actor=request.user, assignment=assignment),
        _("Your unit has accepted the proposal."),
        detail_url(assignment.proposal),
    )


@login_required
@require_POST
def precontact(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request, pk)
    return form_action(
        request,
        forms.PreContactForm(request.POST),
        lambda d: services.assignment_precontact(
            actor=request.user,
            assignment=assignment,
            when=d["date"],
            way=d["way"],
            summary=d["summary"],
        ),
        _("The contact has been recorded."),
        detail_url(assignment.proposal),
    )


@login_required
@require_POST
def co_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request, pk)
    return form_action(
        request,
        forms.TextForm(request.POST),
        lambda d: services.assignment_co_opinion(
            actor=request.user, assignment=assignment, text=d["text"]
        ),
        _("Your opinion has been sent to the lead unit."),
        detail_url(assignment.proposal),
    )


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request, pk)
    return form_action(
        request,
        forms.ReplyForm(request.POST, request.FILES),
        lambda d: services.assignment_reply(
            actor=request.user,
            assignment=assignment,
            text=d["text"],
            reply_class=d["reply_class"],
            letter=d.get("letter"),
        ),
        _("The reply has been sent."),
        detail_url(assignment.proposal),
    )


@login_required
@require_POST
def request_extension(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request, pk)
    return form_action(
        request,
        forms.ExtensionForm(request.POST),
        lambda d: services.extension_request(
            actor=request.user,
            assignment=assignment,
            requested_due=d["requested_due"],
            reason=d["reason"],
        ),
        _(SENT_TO_OFFICE),
        detail_url(assignment.proposal),
    )


@login_required
@require_POST
def request_reassignment(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request, pk)
    return form_action(
        request,
        forms.ReasonForm(request.POST),
        lambda d: services.reassignment_request(
            actor=request.user, assignment=assignment, reason=d["reason"]
        ),
        _(SENT_TO_OFFICE),
        detail_url(assignment.proposal),
    )


@login_required
@require_POST
def rate_quality(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request, pk)
    return form_action(
        request,
        forms.QualityForm(request.POST),
        lambda d: services.quality_rate(
            actor=request.user, assignment=assignment, rating=d["rating"], comments=d["comments"]
        ),
        _("Your rating has been recorded."),
        detail_url(assignment.proposal),
    )

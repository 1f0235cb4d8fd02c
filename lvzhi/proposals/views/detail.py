"""The proposal's page — text, handling, evaluations, timeline and the panels
of whoever may act now — its attachments and its print pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lvzhi.core.corrections import corrections_of
from lvzhi.core.files import attachment_response
from lvzhi.core.models import Attachment
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import committee_for, object_for
from lvzhi.core.workflow import ActionSet
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.models import (
    Assignment,
    CoSigner,
    Evaluation,
    ExtensionRequest,
    Proposal,
    ProposalEvent,
    ReassignmentRequest,
    Reply,
    SupervisionNote,
)
from lvzhi.proposals.rules import LOADED_COSIGNERS
from lvzhi.proposals.views._common import proposal_for
from lvzhi.proposals.workflow import PROPOSAL_FLOW

S = Proposal.Status
EVALUATE = ("evaluate", "evaluate_dissatisfied", "cosigner_evaluate")


def _unit_panel(a: Assignment, user: Any, proposal: Proposal, actions: ActionSet) -> Assignment:
    """What the unit may do on its own assignment, for its panel."""
    today = timezone.localdate()
    handles = has_perm(user, "proposals.handle_assignment", a)
    a.may_accept = handles and a.is_open and not a.accepted_on and "accept" in actions  # type: ignore[attr-defined]
    a.may_handle = handles and a.is_open  # type: ignore[attr-defined]
    a.may_reply = a.may_handle and "reply" in actions  # type: ignore[attr-defined]
    a.may_opine = a.is_open and has_perm(user, "proposals.assist_assignment", a)  # type: ignore[attr-defined]
    a.may_relinquish = (  # type: ignore[attr-defined]
        a.is_open and today <= a.reassignment_due and "request_reassignment" in actions
    )
    a.may_rate = (  # type: ignore[attr-defined]
        handles and a.state == Assignment.State.REPLIED and "rate_quality" in actions
    )
    return a


def _forms(
    proposal: Proposal, committee: Any, actions: ActionSet, mine: list[Assignment]
) -> dict[str, Any]:
    """The forms of the panels the user sees."""
    found: dict[str, Any] = {}
    if "decline" in actions:
        found["decline_form"] = forms.DeclineForm(committee=committee)
        found["return_form"] = forms.ReasonForm()
        found["merge_form"] = forms.MergeForm(committee=committee, proposal=proposal)
    if "convert" in actions:
        found["convert_form"] = forms.ConvertForm(committee=committee)
    if "assign" in actions:
        found["assign_form"] = forms.AssignForm(committee=committee)
    if "review_reply" in actions:
        found["review_form"] = forms.ReviewReplyForm(committee=committee)
    if "select_excellent" in actions:
        found["excellent_form"] = forms.ExcellentForm(initial={"year": timezone.localdate().year})
    if "mark_key" in actions:
        found["key_form"] = forms.KeyForm(
            committee=committee,
            initial={
                "supervisor": proposal.supervisor_id,
                "is_key": "0" if proposal.is_key else "1",
            },
        )
    if "supervise" in actions:
        found["supervise_form"] = forms.TextForm()
    if mine:
        found.update(
            precontact_form=forms.PreContactForm(),
            opinion_form=forms.TextForm(),
            reply_form=forms.ReplyForm(committee=committee),
            extension_form=forms.ExtensionForm(),
            reassign_form=forms.ReasonForm(),
            quality_form=forms.QualityForm(),
        )
    return found


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request)
    proposal = object_for(
        request, selectors.proposal_page_qs(committee), perm="proposals.view_proposal", pk=pk
    )
    user = request.user
    actions = PROPOSAL_FLOW.actions_for(proposal, user)
    cosigners: list[CoSigner] = getattr(proposal, LOADED_COSIGNERS)
    my_cosign = next((c for c in cosigners if c.member.person.user_id == user.pk), None)
    assignments = selectors.page_assignments_of(proposal)
    mine = [
        _unit_panel(a, user, proposal, actions)
        for a in assignments
        if not a.is_withdrawn and has_perm(user, "proposals.relinquish_assignment", a)
    ]
    for a in assignments:  # the thread's count comes with the row (selectors._page_assignments)
        a.may_thread = has_perm(user, "proposals.view_assignment_thread", a)  # type: ignore[attr-defined]
    evaluations = (
        list(Evaluation.objects.filter(proposal=proposal).select_related("member__person"))
        if getattr(proposal, "has_evaluations", False)
        else []
    )
    my_member_ids = {
        m.pk
        for m in [proposal.proposer, *(c.member for c in cosigners)]
        if m.person.user_id == user.pk
    }
    evaluated_now = any(
        e.member_id in my_member_ids and e.round == proposal.round for e in evaluations
    )
    can_evaluate = not evaluated_now and any(a in actions for a in EVALUATE)
    replies = [r for a in assignments for r in a.replies.all()]
    attachments, letters = selectors.page_files_of(
        proposal, replies, purpose=services.ATTACHMENT_PURPOSE
    )
    for reply in replies:
        reply.letter = letters.get(reply.pk)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "proposal": proposal,
        "actions": actions,
        "events": ProposalEvent.objects.filter(proposal=proposal).select_related("actor"),
        "cosigners": cosigners,
        "cosign_pending": my_cosign is not None
        and my_cosign.state == CoSigner.State.INVITED
        and "cosign_answer" in actions,
        "assignments": assignments,
        "my_assignments": mine,
        "evaluations": evaluations,
        "attachments": attachments,
        # Asked for only when the row says they are not empty (as evaluations).
        "merged_proposals": proposal.merged_proposals.select_related("proposer__person")
        if getattr(proposal, "has_merged", False)
        else [],
        "notes": SupervisionNote.objects.filter(proposal=proposal).select_related("author")
        if getattr(proposal, "has_notes", False)
        else [],
        "replies": replies,
        "pending_extensions": [
            r
            for a in assignments
            for r in a.extension_requests.all()
            if r.state == ExtensionRequest.State.PENDING
        ],
        "pending_reassignments": [
            r
            for a in assignments
            for r in a.reassignment_requests.all()
            if r.state == ReassignmentRequest.State.PENDING
        ],
        "is_returned": proposal.status == S.RETURNED,
        "is_declined": proposal.status == S.DECLINED,
        "may_review": has_perm(user, "proposals.review_proposal", proposal),
        "may_correct": has_perm(user, "proposals.correct_proposal", proposal),
        # The originals of corrected fields, for the office (core.corrections).
        "corrections": corrections_of(proposal)
        if getattr(proposal, "has_corrections", False)
        and has_perm(user, "proposals.review_proposal", proposal)
        else [],
        "today": timezone.localdate(),
        **_forms(proposal, committee, actions, mine),
    }
    if can_evaluate:
        context["evaluation_form"] = forms.EvaluationForm()
    return render(request, "proposals/detail.html", context)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Serve an attachment of a proposal or a reply letter, after the permission check."""
    committee = committee_for(request)
    attachment = get_object_or_404(
        Attachment.objects.select_related("owner_type"), pk=pk, committee=committee
    )
    owner_model = attachment.owner_type.model
    if owner_model == "proposal":
        proposal_id = attachment.owner_id
    elif owner_model == "reply":
        reply = get_object_or_404(
            Reply.objects.select_related("assignment"), pk=attachment.owner_id
        )
        proposal_id = reply.assignment.proposal_id
    else:
        raise Http404
    if attachment.owner_type.app_label != "proposals":
        raise Http404
    proposal_for(request, proposal_id)
    return attachment_response(attachment)


@login_required
def print_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    cosigners = proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).select_related(
        "member__person"
    )
    return render(
        request, "proposals/print_proposal.html", {"proposal": proposal, "cosigners": cosigners}
    )


@login_required
def print_reply(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request)
    reply = get_object_or_404(
        Reply.objects.select_related("assignment__unit", "assignment__proposal").prefetch_related(
            Prefetch("assignment__proposal__cosigners")
        ),
        pk=pk,
        assignment__committee=committee,
    )
    proposal = proposal_for(request, reply.assignment.proposal_id)
    return render(request, "proposals/print_reply.html", {"reply": reply, "proposal": proposal})

"""提: the member's pages — my proposals, the draft form, co-sign invitations —
and the proposer's and co-signers' buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.errors import DomainError
from lvzhi.core.files import attachments_of
from lvzhi.core.web import committee_for, form_errors_from, paginate, require, run_action
from lvzhi.org.selectors import member_of_user
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.models import CoSigner, Proposal
from lvzhi.proposals.views._common import detail_url, form_action, proposal_for
from lvzhi.proposals.workflow import PROPOSAL_FLOW


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.file")
    page_obj = paginate(request, selectors.my_proposals(committee, request.user))
    pending = selectors.cosign_invitations(committee, request.user).filter(
        state=CoSigner.State.INVITED
    )
    return render(
        request,
        "proposals/mine.html",
        {"page_obj": page_obj, "pending_invitations": pending.count()},
    )


def _initial(proposal: Proposal | None) -> dict[str, Any]:
    if proposal is None:
        return {}
    return {
        "title": proposal.title,
        "category": proposal.category_id,
        "kind": proposal.kind,
        "on_behalf_of": proposal.on_behalf_of,
        "session": proposal.session_id,
        "reason": proposal.reason,
        "suggestions": proposal.suggestions,
        "cosigners": [c.member_id for c in proposal.cosigners.all()],
    }


def _draft_form(request: HttpRequest, proposal: Proposal | None) -> HttpResponse:
    committee = committee_for(request, "proposals.file")
    proposer = proposal.proposer if proposal else member_of_user(request.user, committee)
    form = forms.ProposalForm(
        request.POST or None,
        request.FILES or None,
        committee=committee,
        proposer=proposer,
        keep_category=proposal.category_id if proposal else None,
        initial=_initial(proposal),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.proposal_draft_save(
                actor=request.user,
                committee=committee,
                proposal=proposal,
                title=data["title"],
                category=data["category"],
                kind=data["kind"],
                on_behalf_of=data["on_behalf_of"],
                session=data["session"],
                reason=data["reason"],
                suggestions=data["suggestions"],
                cosigners=list(data["cosigners"]),
                attachments=[data["attachment"]] if data.get("attachment") else [],
                token=data.get("token") if proposal is None else None,
            )
        except DomainError as error:
            form_errors_from(form, error)
        else:
            if "autosave" in request.POST:
                return HttpResponse(status=204)
            if "submit" not in request.POST:
                messages.success(request, _("The draft has been saved."))
                return redirect(detail_url(saved))
            try:
                services.proposal_submit(actor=request.user, proposal=saved)
            except DomainError as error:
                if proposal is None:
                    # The new draft exists now: go on editing it there.
                    messages.info(request, _("The draft has been saved."))
                    found = getattr(error, "errors", None) or [error.message]
                    messages.error(request, "；".join(str(e) for e in found))
                    return redirect("proposals:edit", pk=saved.pk)
                form_errors_from(form, error)
            else:
                messages.success(request, _("The proposal has been submitted."))
                return redirect(detail_url(saved))
    if "autosave" in request.POST:
        return HttpResponse(status=400)
    attachments = attachments_of(proposal, services.ATTACHMENT_PURPOSE) if proposal else []
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "proposal": proposal,
            "attachments": attachments,
            "is_returned": proposal is not None and proposal.status == Proposal.Status.RETURNED,
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    return _draft_form(request, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    require(request, "proposals.edit_proposal", proposal)
    if not PROPOSAL_FLOW.allowed(proposal, "submit"):
        raise PermissionDenied
    return _draft_form(request, proposal)


@login_required
def cosign_inbox(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.file")
    page_obj = paginate(request, selectors.cosign_invitations(committee, request.user))
    for invitation in page_obj:
        invitation.pending = invitation.state == CoSigner.State.INVITED and (
            PROPOSAL_FLOW.allowed(invitation.proposal, "cosign_answer")
        )
    return render(request, "proposals/cosign_inbox.html", {"page_obj": page_obj})


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return run_action(
        request,
        lambda: services.proposal_submit(actor=request.user, proposal=proposal),
        _("The proposal has been submitted."),
        detail_url(proposal),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return form_action(
        request,
        forms.NoteForm(request.POST),
        lambda d: services.proposal_withdraw(
            actor=request.user, proposal=proposal, reason=d["note"]
        ),
        _("The proposal has been withdrawn."),
        detail_url(proposal),
    )


@login_required
@require_POST
def cosign(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_for(request, pk)
    return run_action(
        request,
        lambda: services.cosigner_answer(
            actor=request.user, proposal=proposal, confirm=request.POST.get("answer") == "confirm"
        ),
        _("Your answer has been recorded."),
        detail_url(proposal),
    )

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
from django.utils.translation import gettext_lazy

from lvzhi.core.errors import DomainError
from lvzhi.core.files import attachments_of
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_errors_from,
    list_page,
    paginate,
    require,
)
from lvzhi.org.selectors import member_of_user
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.filters import MyProposalFilter
from lvzhi.proposals.models import CoSigner, Proposal
from lvzhi.proposals.views._common import detail_url, plain, proposal_button, proposal_for
from lvzhi.proposals.workflow import PROPOSAL_FLOW


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.file")
    user = acting_user(request)
    pending = selectors.cosign_invitations(committee, user).filter(state=CoSigner.State.INVITED)
    return list_page(
        request,
        "proposals/mine.html",
        MyProposalFilter(request.GET, queryset=selectors.my_proposals(committee, user)),
        pending_invitations=pending.count(),
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
                actor=acting_user(request),
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
                services.proposal_submit(actor=acting_user(request), proposal=saved)
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
    page_obj = paginate(request, selectors.cosign_invitations(committee, acting_user(request)))
    for invitation in page_obj:
        invitation.pending = invitation.state == CoSigner.State.INVITED and (
            PROPOSAL_FLOW.allowed(invitation.proposal, "cosign_answer")
        )
    return render(request, "proposals/cosign_inbox.html", {"page_obj": page_obj})


@proposal_button(None, gettext_lazy("The proposal has been submitted."))
def submit(request: HttpRequest, proposal: Proposal, _d: dict[str, Any]) -> Any:
    return services.proposal_submit(actor=acting_user(request), proposal=proposal)


@proposal_button(plain(forms.NoteForm), gettext_lazy("The proposal has been withdrawn."))
def withdraw(request: HttpRequest, proposal: Proposal, d: dict[str, Any]) -> Any:
    return services.proposal_withdraw(
        actor=acting_user(request), proposal=proposal, reason=d["note"]
    )


@proposal_button(None, gettext_lazy("Your answer has been recorded."))
def cosign(request: HttpRequest, proposal: Proposal, _d: dict[str, Any]) -> Any:
    confirm = request.POST.get("answer") == "confirm"
    return services.cosigner_answer(actor=acting_user(request), proposal=proposal, confirm=confirm)

"""What the proposal pages share: loading a proposal or an assignment the
user may act on, and a button's form POST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from lvzhi.core.web import committee_for, object_for, run_action
from lvzhi.proposals import selectors
from lvzhi.proposals.models import Assignment, Proposal


def proposal_for(request: HttpRequest, pk: int) -> Proposal:
    """A proposal of the current committee the user may see; else 404 (its
    existence is not revealed)."""
    committee = committee_for(request)
    return object_for(
        request, selectors.proposal_detail_qs(committee), perm="proposals.view_proposal", pk=pk
    )


def assignment_for(request: HttpRequest, pk: int) -> Assignment:
    """An assignment of one of the user's units; else 404."""
    committee = committee_for(request)
    return object_for(
        request,
        Assignment.objects.filter(committee=committee).select_related("proposal", "unit"),
        perm="proposals.relinquish_assignment",
        pk=pk,
    )


def detail_url(proposal: Proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def form_errors(form: BaseForm) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def form_action(
    request: HttpRequest,
    form: BaseForm,
    call: Callable[[dict[str, Any]], Any],
    message: str,
    next_url: str,
) -> HttpResponse:
    """A panel's small form on the detail page: invalid input is flashed,
    a valid one goes to the service (its refusal flashed too)."""
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(next_url)
    return run_action(request, lambda: call(form.cleaned_data), message, next_url)

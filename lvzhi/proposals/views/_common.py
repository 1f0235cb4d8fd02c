"""What the proposal pages share: loading a proposal or an assignment the
user may act on, and the views of the detail page's buttons and panel forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.views.decorators.http import require_POST

from lvzhi.core.web import committee_for, inline_form_action, object_for, run_action
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


Subject = TypeVar("Subject", Proposal, Assignment)
# Builds the panel's form bound to the POST, for the object acted on.
FormOf = Callable[[HttpRequest, Any], BaseForm]
# The use case: calls the service with the object and the form's cleaned data.
UseCase = Callable[[HttpRequest, Any, dict[str, Any]], Any]
View = Callable[[HttpRequest, int], HttpResponse]


def plain(form_class: type[BaseForm]) -> FormOf:
    """A panel form that needs nothing but the POST (and its files)."""
    return lambda request, _obj: form_class(request.POST, request.FILES)


def of_committee(form_class: Callable[..., BaseForm]) -> FormOf:
    """A panel form whose choices are the current committee's rows."""
    return lambda request, _obj: form_class(request.POST, committee=committee_for(request))


def _button(
    load: Callable[[HttpRequest, int], Subject],
    proposal_of: Callable[[Subject], Proposal],
    form: FormOf | None,
    message: str | Promise,
) -> Callable[[UseCase], View]:
    def decorate(use_case: UseCase) -> View:
        @login_required
        @require_POST
        @wraps(use_case)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            obj = load(request, pk)
            next_url = detail_url(proposal_of(obj))
            if form is None:
                return run_action(
                    request, lambda: use_case(request, obj, {}), str(message), next_url
                )
            return inline_form_action(
                request,
                form(request, obj),
                lambda d: use_case(request, obj, d),
                str(message),
                next_url,
            )

        return view

    return decorate


def proposal_button(form: FormOf | None, message: str | Promise) -> Callable[[UseCase], View]:
    """The view of a button (``form=None``) or a panel form on the proposal
    ``pk``: POST only; the proposal loaded if the user may see it (else 404);
    the form checked (its errors flashed); then the decorated use case calls
    the service; its success or refusal flashed; back to the proposal."""
    return _button(proposal_for, lambda proposal: proposal, form, message)


def assignment_button(form: FormOf | None, message: str | Promise) -> Callable[[UseCase], View]:
    """The same for a unit's button on its own assignment ``pk``."""
    return _button(assignment_for, lambda assignment: assignment.proposal, form, message)

"""What every view needs, written once (DESIGN §4, "thin views"): load the
committee or the object through a selector's queryset and check a named
permission, paginate a list, run a service and report its DomainError.

Views stay: load (here) → check (here, the rules of the app) → call the
service → redirect. Nothing here decides who may do what; ``rules.py`` does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from lvzhi.core.errors import DomainError, ValidationFailed
from lvzhi.core.permissions import denial_log, has_perm

PAGE_SIZE = 25
M = TypeVar("M", bound=Model)


def committee_for(request: HttpRequest, perm: str | None = None) -> Any:
    """The committee the user works in now, if ``perm`` holds there; else 403."""
    committee = getattr(request, "committee", None)
    if committee is None:
        raise PermissionDenied
    # The 403 handler (core.views.permission_denied) audits the refusal once.
    if perm is not None and not has_perm(request.user, perm, committee):
        raise PermissionDenied
    return committee


def object_for(
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    perm: str | None = None,
    **lookup: Any,
) -> M:
    """One object of a selector's queryset (already scoped to the user's
    committee); 404 when absent or when the user may not ``perm`` it, so the
    existence of another's object is never revealed."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if perm is not None and not has_perm(request.user, perm, obj):
        denial_log(request.user, perm, obj)
        raise Http404
    return obj


def require(request: HttpRequest, perm: str, obj: Any) -> None:
    """403 unless the user holds ``perm`` on an object already loaded."""
    if not has_perm(request.user, perm, obj):
        raise PermissionDenied  # audited by the 403 handler


def paginate(request: HttpRequest, queryset: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """The page asked for in ``?page=``; a wrong or too large number gives the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def posted(request: HttpRequest) -> Any:
    """The POST data for a form, or None on GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def form_errors_from(form: BaseForm, error: DomainError) -> None:
    """A service's refusal shown on the form; what was typed stays in the form."""
    for message in (
        error.errors if isinstance(error, ValidationFailed) and error.errors else [error.message]
    ):
        form.add_error(None, message)


def save_form(
    request: HttpRequest, form: BaseForm, save: Callable[[dict[str, Any]], Any], message: str
) -> Any:
    """On a valid POST, call ``save(cleaned_data)``: its result, or None when
    the form is unbound, invalid or refused by the service (the errors are on
    the form, the input kept)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except DomainError as error:
        form_errors_from(form, error)
        return None
    messages.success(request, message)
    return result if result is not None else True


def run_action(
    request: HttpRequest, action: Callable[[], Any], message: str, next_url: str
) -> HttpResponse:
    """A button's POST: call the service, flash its success or its refusal, redirect."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect(next_url)


def form_status(form: BaseForm) -> int:
    """400 for a form shown again with errors, so tests and clients can tell."""
    return 400 if form.is_bound and form.errors else 200

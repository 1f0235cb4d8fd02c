"""What every view needs, written once (DESIGN §4, "thin views"): load the
committee or the object through a selector's queryset and check a named
permission, paginate a list, run a service and report its DomainError.

Views stay: load (here) → check (here, the rules of the app) → call the
service → redirect. Nothing here decides who may do what; ``rules.py`` does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import DomainError, ValidationFailed
from lvzhi.core.errors import PermissionDenied as NotAllowed
from lvzhi.core.permissions import denial_log, has_perm

PAGE_SIZE = 25
FIRST_YEAR, LAST_YEAR = 2000, 2100
M = TypeVar("M", bound=Model)


def acting_user(request: HttpRequest) -> Any:
    """The signed-in user, as services take it (``actor=``); views behind
    ``login_required`` only."""
    return request.user


def int_param(value: str | None) -> int | None:
    """A whole number from a query parameter, or None when absent or not a number."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


@overload
def year_param(request: HttpRequest, default: int) -> int: ...
@overload
def year_param(request: HttpRequest, default: None = None) -> int | None: ...
def year_param(request: HttpRequest, default: int | None = None) -> int | None:
    """``?year=`` when it is a plausible year, else ``default`` (pass
    ``this_year()`` for "the current year unless asked")."""
    year = int_param(request.GET.get("year"))
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else default


def this_year() -> int:
    """The year of today in the committee's time zone."""
    return timezone.localdate().year


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


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for links to the same rows
    elsewhere (an export, the next page)."""
    query = request.GET.copy()
    query.pop("page", None)
    return str(query.urlencode())


def list_page(
    request: HttpRequest,
    template: str,
    rows: Any,
    *,
    per_page: int = PAGE_SIZE,
    **context: Any,
) -> HttpResponse:
    """A paginated list page. ``rows`` is a queryset, or a FilterSet
    (``core.filters.ListFilterSet``) whose filtered rows are paginated and
    whose form the template shows as ``filter``. The template gets
    ``page_obj``, ``filter`` (or None) and ``query`` (the filters without the page)."""
    filterset = rows if hasattr(rows, "qs") else None
    queryset = filterset.qs if filterset is not None else rows
    context = {
        "page_obj": paginate(request, queryset, per_page),
        "filter": filterset,
        "query": query_without_page(request),
        **context,
    }
    return render(request, template, context)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    cancel_url: str,
    save: Callable[[dict[str, Any]], Any] | None = None,
    success: str | Callable[[Any], str] | None = None,
    message: str = "",
    template: str = "core/form_page.html",
    **context: Any,
) -> HttpResponse:
    """A form's page. With ``save``: on a valid POST the service is called
    (``save_form``) and the browser sent to ``success`` (a URL, or one made
    from what the service returned). Otherwise, or when the input or the
    service refused, the form again with its errors, what was typed kept,
    and 400 after a refused POST (nothing was written).

    ``core/form_page.html`` takes optional ``submit_label``, ``danger``
    (a red button), ``multipart``, ``intro`` (a paragraph above the form)
    and ``before_form`` (a template to include above it)."""
    if save is not None:
        saved = save_form(request, form, save, message)
        if saved is not None:
            target = success(saved) if callable(success) else success
            return redirect(target or cancel_url)
    context = {"form": form, "title": title, "cancel_url": cancel_url, **context}
    return render(request, template, context, status=form_status(form))


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


def inline_form_action(
    request: HttpRequest,
    form: BaseForm,
    call: Callable[[dict[str, Any]], Any],
    message: str,
    next_url: str,
    *,
    invalid: str | None = None,
) -> HttpResponse:
    """A small form posted from another page (a panel of a detail page): a
    valid one goes to the service, its success flashed and the browser sent
    back to ``next_url``. Invalid input or a refusal by the service shows the
    form again on a page of its own (``core/form_page.html``, 400) with the
    errors and everything typed kept (DESIGN §12: no form loses what was
    typed), titled ``invalid`` when given; it posts to the same address, and
    its cancel link leads back to ``next_url``. A refusal of the actor
    (not allowed) is flashed on ``next_url`` instead: there is nothing to
    correct in the form."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except NotAllowed as error:
            messages.error(request, error.message)
            return redirect(next_url)
        except DomainError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, message)
            return redirect(next_url)
    return form_page(
        request, form, title=invalid or _("Check what you entered"), cancel_url=next_url
    )


def form_status(form: BaseForm) -> int:
    """400 for a form shown again with errors, so tests and clients can tell."""
    return 400 if form.is_bound and form.errors else 200

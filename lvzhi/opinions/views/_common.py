"""What the opinion pages share: the loaders of reports, items and issues
(through the selectors, so another committee's object is 404) and the page
of a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lvzhi.core.web import committee_for, form_status, object_for, save_form
from lvzhi.opinions import selectors
from lvzhi.opinions.models import EditedItem, Issue, Report
from lvzhi.org.models import Committee, Member
from lvzhi.org.selectors import member_of_user


def report_for(request: HttpRequest, committee: Committee, pk: int) -> Report:
    """A report the user may see; 404 otherwise (a member never learns that
    another member's draft exists)."""
    return object_for(
        request, selectors.report_detail(committee), perm="opinions.view_report", pk=pk
    )


def item_for(request: HttpRequest, committee: Committee, pk: int, perm: str) -> EditedItem:
    return object_for(request, selectors.item_detail(committee), perm=perm, pk=pk)


def issue_for(request: HttpRequest, committee: Committee, pk: int) -> Issue:
    return object_for(request, selectors.issue_detail(committee), perm="opinions.view_issue", pk=pk)


def own_member(request: HttpRequest, committee: Committee) -> Member:
    member = member_of_user(request.user, committee)
    if member is None:
        raise PermissionDenied
    return member


def desk(request: HttpRequest) -> Committee:
    """The committee, for staff at the editing desk (403 for anyone else)."""
    committee: Committee = committee_for(request, "opinions.edit")
    return committee


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    message: str,
    success: str | Callable[[Any], str],
    title: str,
    cancel_url: str,
    template: str = "opinions/form.html",
    **extra: Any,
) -> HttpResponse:
    """A form's page: on a valid POST the service is called (``core.web.save_form``)
    and the browser sent to ``success`` (a URL, or one made from what the
    service returned); otherwise the form, again with its errors and 400
    after a refused POST (nothing was written)."""
    saved = save_form(request, form, save, message)
    if saved:
        return redirect(success(saved) if callable(success) else success)
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    return render(request, template, context, status=form_status(form))

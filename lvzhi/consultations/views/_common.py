"""What the consultation pages share: loading a row the user may see, the
Excel export of a list and the errors of a small inline form. Checking,
forms and lists go through core.web."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from lvzhi.consultations import audit
from lvzhi.core.audit import audit_log
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import acting_user, committee_for, list_page, object_for, run_action
from lvzhi.org.models import Committee

M = TypeVar("M", bound=Model)
# One column of an export: its heading (a lazy translation) and how a row gives its value.
Column = tuple[Any, Callable[[Any], Any]]


def flash_form_errors(request: HttpRequest, form: BaseForm) -> None:
    """A small inline form (no page of its own): its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def visible(
    request: HttpRequest,
    rows_for: Callable[[Any, Committee], QuerySet[M]],
    pk: int,
    *,
    perm: str,
    committee_perm: str | None = None,
) -> M:
    """Row ``pk`` of what ``rows_for(user, committee)`` shows the user, if the
    user may ``perm`` it; else 404 (core.web.object_for)."""
    committee = committee_for(request, committee_perm)
    return object_for(request, rows_for(acting_user(request), committee), perm=perm, pk=pk)


def may_export(request: HttpRequest, committee: Committee) -> bool:
    return has_perm(request.user, "consultations.export", committee)


def list_or_export(
    request: HttpRequest,
    committee: Committee,
    template: str,
    rows: Any,
    *,
    name: str,
    columns: Sequence[Column],
    **context: Any,
) -> HttpResponseBase:
    """A filtered list (``rows`` is a FilterSet) on its page, or, when
    ``?export=`` asks and the user may export, its rows as an Excel file
    (audited)."""
    allowed = may_export(request, committee)
    if not (request.GET.get("export") and allowed):
        return list_page(request, template, rows, may_export=allowed, **context)
    audit_log(action=audit.EXPORT, committee=committee, list=name)
    headers = [str(heading) for heading, _value in columns]
    values = ([value(row) for _heading, value in columns] for row in rows.qs)
    return xlsx_response(f"{name}-{today_stamp()}.xlsx", name, headers, values)


def run_step(
    request: HttpRequest,
    steps: Mapping[str, Callable[..., Any]],
    message: str,
    next_url: str,
    **target: Any,
) -> HttpResponse:
    """A button of a state table: the service of the posted ``action`` (403
    for another) on ``target`` with the posted note; the service checks its
    permission."""
    step = steps.get(request.POST.get("action", ""))
    if step is None:
        raise PermissionDenied
    note = request.POST.get("note", "")
    return run_action(
        request, lambda: step(actor=acting_user(request), note=note, **target), message, next_url
    )

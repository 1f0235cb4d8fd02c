"""What the consultation pages share: the Excel export of a list and the
errors of a small inline form. Loading, checking, forms and lists go through core.web."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseBase

from lvzhi.consultations import audit
from lvzhi.core.audit import audit_log
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.permissions import has_perm
from lvzhi.org.models import Committee

# One column of an export: its heading (a lazy translation) and how a row gives its value.
Column = tuple[Any, Callable[[Any], Any]]


def flash_form_errors(request: HttpRequest, form: BaseForm) -> None:
    """A small inline form (no page of its own): its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def may_export(request: HttpRequest, committee: Committee) -> bool:
    return has_perm(request.user, "consultations.export", committee)


def export_if_asked(
    request: HttpRequest,
    committee: Committee,
    name: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
) -> HttpResponseBase | None:
    """The list as an Excel file (audited) when ``?export=`` asks for it and
    the user may export; None otherwise, and the page is shown."""
    if not (request.GET.get("export") and may_export(request, committee)):
        return None
    audit_log(action=audit.EXPORT, committee=committee, list=name)
    headers = [str(heading) for heading, _value in columns]
    values = ([value(row) for _heading, value in columns] for row in rows)
    return xlsx_response(f"{name}-{today_stamp()}.xlsx", name, headers, values)

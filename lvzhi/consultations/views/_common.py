"""What the consultation pages share: the form page, the Excel export and
small request helpers. Loading and checking go through core.web."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from lvzhi.accounts.models import User
from lvzhi.consultations import audit
from lvzhi.core.audit import audit_log
from lvzhi.core.excel import today_stamp, xlsx_response
from lvzhi.core.web import form_status, save_form
from lvzhi.org.models import Committee


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    message: str,
    title: str,
    cancel_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form on consultations/form.html: on a valid POST the service is
    called and the user redirected; otherwise the form again, with the reason."""
    saved = save_form(request, form, save, message)
    if saved is not None:
        return redirect(success(saved))
    context = {"form": form, "title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, "consultations/form.html", context, status=form_status(form))


def flash_form_errors(request: HttpRequest, form: BaseForm) -> None:
    """A small inline form (no page of its own): its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def export(committee: Committee, name: str, headers: list[str], rows: Any) -> HttpResponseBase:
    audit_log(action=audit.EXPORT, committee=committee, list=name)
    return xlsx_response(f"{name}-{today_stamp()}.xlsx", name, headers, rows)

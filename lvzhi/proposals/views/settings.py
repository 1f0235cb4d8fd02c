"""The proposal settings page: the committee's categories and decline grounds,
and its deadlines (committee settings)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.committee_settings import (
    committee_settings_update,
    form_initial,
    form_values,
    settings_form_class,
)
from lvzhi.core.errors import DomainError
from lvzhi.core.web import committee_for, form_errors_from, form_status, run_action
from lvzhi.org.models import Committee
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.models import DeclineGround, ProposalCategory
from lvzhi.proposals.views._common import form_errors

CONFIG_LISTS: dict[str, type[ProposalCategory] | type[DeclineGround]] = {
    "categories": ProposalCategory,
    "grounds": DeclineGround,
}
PREFIX = "proposals."


def _config_model(kind: str) -> type[ProposalCategory] | type[DeclineGround]:
    if kind not in CONFIG_LISTS:
        raise Http404
    return CONFIG_LISTS[kind]


def _deadlines_form(committee: Committee, data: QueryDict | None = None) -> BaseForm:
    return settings_form_class(PREFIX)(data, initial=form_initial(committee, PREFIX))


def _settings_page(
    request: HttpRequest, committee: Committee, bound: dict[str, BaseForm] | None = None
) -> HttpResponse:
    bound = bound or {}
    lists = []
    for kind, model in CONFIG_LISTS.items():
        lists.append(
            {
                "kind": kind,
                "title": _("Proposal categories")
                if model is ProposalCategory
                else _("Grounds for declining"),
                "rows": list(selectors.config_rows(committee, model)),
                "field": services.config_field(model)[0],
                "limit": services.config_field(model)[1],
                "form": bound.get(kind) or forms.ConfigRowForm(committee=committee, model=model),
            }
        )
    deadlines = bound.get("deadlines") or _deadlines_form(committee)
    return render(
        request,
        "proposals/settings.html",
        {"lists": lists, "deadlines_form": deadlines},
        status=form_status(deadlines),
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.configure")
    return _settings_page(request, committee)


def _settings_url(kind: str) -> str:
    return f"{reverse('proposals:settings')}#{kind}"


@login_required
@require_POST
def settings_defaults(request: HttpRequest) -> HttpResponse:
    """Fill an empty list with the default rows."""
    committee = committee_for(request, "proposals.configure")
    return run_action(
        request,
        lambda: services.config_defaults_add(actor=request.user, committee=committee),
        _("Added."),
        reverse("proposals:settings"),
    )


@login_required
@require_POST
def settings_deadlines(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.configure")
    form = _deadlines_form(committee, request.POST)
    if form.is_valid():
        try:
            committee_settings_update(
                actor=request.user, committee=committee, values=form_values(form.cleaned_data)
            )
        except DomainError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The deadlines have been saved."))
            return redirect(_settings_url("deadlines"))
    return _settings_page(request, committee, {"deadlines": form})


@login_required
@require_POST
def settings_add(request: HttpRequest, kind: str) -> HttpResponse:
    committee = committee_for(request, "proposals.configure")
    model = _config_model(kind)
    form = forms.ConfigRowForm(request.POST, committee=committee, model=model)
    if form.is_valid():
        try:
            services.config_row_add(
                actor=request.user, committee=committee, model=model, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect(_settings_url(kind))
    return _settings_page(request, committee, {kind: form})


def _row(
    request: HttpRequest, kind: str, pk: int
) -> tuple[type[ProposalCategory] | type[DeclineGround], services.ConfigRow]:
    committee = committee_for(request, "proposals.configure")
    model = _config_model(kind)
    row = cast(
        services.ConfigRow,
        get_object_or_404(model.objects.filter(committee=committee), pk=pk),  # type: ignore[attr-defined]
    )
    return model, row


@login_required
@require_POST
def settings_rename(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, row = _row(request, kind, pk)
    form = forms.ConfigRowForm(request.POST, committee=request.committee, model=model, row=row)  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_settings_url(kind))
    return run_action(
        request,
        lambda: services.config_row_rename(
            actor=request.user, row=row, name=form.cleaned_data["name"]
        ),
        _("Renamed."),
        _settings_url(kind),
    )


def _set_active(request: HttpRequest, kind: str, pk: int, active: bool) -> HttpResponse:
    _model, row = _row(request, kind, pk)
    return run_action(
        request,
        lambda: services.config_row_set_active(actor=request.user, row=row, active=active),
        _("Reactivated.") if active else _("Deactivated."),
        _settings_url(kind),
    )


@login_required
@require_POST
def settings_activate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _set_active(request, kind, pk, True)


@login_required
@require_POST
def settings_deactivate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _set_active(request, kind, pk, False)


def _move(request: HttpRequest, kind: str, pk: int, up: bool) -> HttpResponse:
    _model, row = _row(request, kind, pk)
    return run_action(
        request,
        lambda: services.config_row_move(actor=request.user, row=row, up=up),
        _("The order has been changed."),
        _settings_url(kind),
    )


@login_required
@require_POST
def settings_up(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _move(request, kind, pk, True)


@login_required
@require_POST
def settings_down(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _move(request, kind, pk, False)


@login_required
@require_POST
def settings_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _model, row = _row(request, kind, pk)
    return run_action(
        request,
        lambda: services.config_row_delete(actor=request.user, row=row),
        _("Deleted."),
        _settings_url(kind),
    )

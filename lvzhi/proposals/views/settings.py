"""The proposal settings page: the committee's categories and decline grounds,
its deadlines and its answer classes (committee settings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

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
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_status,
    inline_form_action,
    run_action,
    save_form,
)
from lvzhi.org.models import Committee
from lvzhi.proposals import forms, selectors, services
from lvzhi.proposals.models import DeclineGround, ProposalCategory
from lvzhi.proposals.settings_defs import ANSWER_CLASSES, PRESETS, answer_classes

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
    # The answer classes (JSON) have their own form; form_initial leaves them out.
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
    classes = bound.get("answer_classes") or _classes_form(committee)
    scheme = answer_classes(committee)
    matching = next((key for key, (_l, rows) in PRESETS.items() if rows == scheme), None)
    preset = bound.get("answer_preset") or forms.AnswerPresetForm(initial={"preset": matching})
    status = max(form_status(f) for f in (deadlines, classes, preset))
    return render(
        request,
        "proposals/settings.html",
        {
            "lists": lists,
            "deadlines_form": deadlines,
            "classes_form": classes,
            "preset_form": preset,
        },
        status=status,
    )


def _classes_form(committee: Committee, data: QueryDict | None = None) -> forms.AnswerClassesForm:
    return forms.AnswerClassesForm(data, scheme=answer_classes(committee))


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
        lambda: services.config_defaults_add(actor=acting_user(request), committee=committee),
        _("Added."),
        reverse("proposals:settings"),
    )


@login_required
@require_POST
def settings_deadlines(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.configure")
    form = _deadlines_form(committee, request.POST)

    def save(data: dict[str, Any]) -> Any:
        values = form_values(data)
        return committee_settings_update(
            actor=acting_user(request), committee=committee, values=values
        )

    if save_form(request, form, save, _("The deadlines have been saved.")) is not None:
        return redirect(_settings_url("deadlines"))
    return _settings_page(request, committee, {"deadlines": form})


def _save_scheme(
    request: HttpRequest,
    committee: Committee,
    name: str,
    form: forms.AnswerClassesForm | forms.AnswerPresetForm,
) -> HttpResponse:
    """Save the answer classes the form gives (a refused scheme changes nothing)."""

    def save(_data: dict[str, Any]) -> Any:
        return committee_settings_update(
            actor=acting_user(request),
            committee=committee,
            values={ANSWER_CLASSES.key: form.scheme()},
        )

    if save_form(request, form, save, _("The answer classes have been saved.")) is not None:
        return redirect(_settings_url("answer-classes"))
    return _settings_page(request, committee, {name: form})


@login_required
@require_POST
def settings_answer_classes(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.configure")
    form = _classes_form(committee, request.POST)
    return _save_scheme(request, committee, "answer_classes", form)


@login_required
@require_POST
def settings_answer_preset(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "proposals.configure")
    form = forms.AnswerPresetForm(request.POST)
    return _save_scheme(request, committee, "answer_preset", form)


@login_required
@require_POST
def settings_add(request: HttpRequest, kind: str) -> HttpResponse:
    committee = committee_for(request, "proposals.configure")
    model = _config_model(kind)
    form = forms.ConfigRowForm(request.POST, committee=committee, model=model)

    def save(data: dict[str, Any]) -> Any:
        return services.config_row_add(
            actor=acting_user(request), committee=committee, model=model, name=data["name"]
        )

    if save_form(request, form, save, _("Added.")) is not None:
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


def _on_row(
    request: HttpRequest, kind: str, pk: int, change: Callable[[Any], Any], message: str
) -> HttpResponse:
    """A button on one row of a list: the committee's row (else 404), the
    service's change, its success or refusal flashed, back to the list."""
    _model, row = _row(request, kind, pk)
    return run_action(request, lambda: change(row), message, _settings_url(kind))


@login_required
@require_POST
def settings_rename(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, row = _row(request, kind, pk)
    committee = committee_for(request)
    form = forms.ConfigRowForm(request.POST, committee=committee, model=model, row=row)
    return inline_form_action(
        request,
        form,
        lambda d: services.config_row_rename(actor=acting_user(request), row=row, **d),
        _("Renamed."),
        _settings_url(kind),
    )


# The URLs pass ``active`` (activate, deactivate) and ``up`` (up, down).


@login_required
@require_POST
def settings_set_active(request: HttpRequest, kind: str, pk: int, active: bool) -> HttpResponse:
    actor = acting_user(request)
    return _on_row(
        request,
        kind,
        pk,
        lambda row: services.config_row_set_active(actor=actor, row=row, active=active),
        _("Reactivated.") if active else _("Deactivated."),
    )


@login_required
@require_POST
def settings_move(request: HttpRequest, kind: str, pk: int, up: bool) -> HttpResponse:
    actor = acting_user(request)
    return _on_row(
        request,
        kind,
        pk,
        lambda row: services.config_row_move(actor=actor, row=row, up=up),
        _("The order has been changed."),
    )


@login_required
@require_POST
def settings_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    actor = acting_user(request)
    return _on_row(
        request,
        kind,
        pk,
        lambda row: services.config_row_delete(actor=actor, row=row),
        _("Deleted."),
    )

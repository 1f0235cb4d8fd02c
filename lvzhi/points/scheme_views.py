"""Pages of the policy language: a draft from a shipped scheme or a scheme
file, the scheme editor of a draft, the export of a scheme file, and the
entries staff record by hand (duties of staff-recorded kinds, adjustments,
veto items). Duties staff of the committee only; thin like the other views."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    object_for,
    posted,
    run_action,
    this_year,
    year_param,
)
from lvzhi.core.workflow import actions_for
from lvzhi.points import forms, scheme_forms, scoring, selectors, services
from lvzhi.points.models import Policy, PolicyEntry
from lvzhi.points.scheme_forms import ELEMENTS


def _policy(request: HttpRequest, pk: int) -> Policy:
    committee = committee_for(request, "points.manage")
    return object_for(request, selectors.policies_of(committee), pk=pk)


@login_required
def policy_new(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.manage")
    form = forms.SchemeNewForm(
        posted(request), request.FILES or None, initial={"year": this_year()}
    )

    def save(data: dict) -> Policy:
        if data.get("document") is None:
            return services.policy_create_preset(
                committee=committee,
                year=data["year"],
                actor=acting_user(request),
                preset=data["preset"],
            )
        return services.policy_import(
            committee=committee,
            year=data["year"],
            actor=acting_user(request),
            document=data["document"],
        )

    return form_page(
        request,
        form,
        title=_("New policy from a scheme"),
        cancel_url=reverse("points:policy_list"),
        save=save,
        success=lambda policy: reverse("points:policy_edit", args=[policy.pk]),
        message=_("A draft policy is created from the scheme."),
        multipart=True,
    )


def draft_page(
    request: HttpRequest,
    policy: Policy,
    make_form: Callable[[Any], Any],
    save: Callable[[Any, dict[str, Any]], Any],
    template: str,
    **context: Any,
) -> HttpResponse:
    """A policy's edit page: a draft's form saves and goes to the preview; any
    other policy shows the same form read-only."""
    editable = "change" in actions_for(policy, request.user)
    form = make_form(posted(request) if editable else None)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return form_page(
        request,
        form,
        title=str(policy),
        cancel_url=reverse("points:policy_list"),
        save=(lambda data: save(form, data)) if editable else None,
        success=reverse("points:policy_preview", args=[policy.pk]),
        message=_("The draft policy is saved. Check the preview before activating it."),
        template=template,
        policy=policy,
        editable=editable,
        **context,
    )


def scheme_edit(request: HttpRequest, policy: Policy) -> HttpResponse:
    """The editor of a policy kept as a scheme (``views.policy_edit`` sends here)."""
    text = json.dumps(policy.scheme, ensure_ascii=False, indent=2)
    return draft_page(
        request,
        policy,
        lambda data: forms.SchemeForm(data, initial={"document": text}),
        lambda _form, data: services.policy_scheme_update(
            policy=policy, actor=acting_user(request), document=data["document"]
        ),
        "points/scheme_edit.html",
        sections=scheme_forms.sections(policy.scheme),
        seen=scheme_forms.fingerprint(policy.scheme),
    )


def _draft_scheme(request: HttpRequest, pk: int, element: str) -> Policy:
    """A scheme draft of the committee the user may change (404 for another
    committee's, 403 when it is not a draft), and a known element type."""
    policy = _policy(request, pk)
    if element not in ELEMENTS or not policy.scheme:
        raise Http404
    if "change" not in actions_for(policy, request.user):
        raise PermissionDenied
    return policy


def _back(policy: Policy, element: str) -> str:
    return reverse("points:policy_edit", args=[policy.pk]) + f"#scheme-{element}"


@login_required
def scheme_element(
    request: HttpRequest, pk: int, element: str, index: int | None = None
) -> HttpResponse:
    """Add (no ``index``) or change one element of a scheme draft with its
    own small form (``scheme_forms.ELEMENTS`` says which form and where it
    lives); the whole document is saved and checked by the service."""
    policy = _draft_scheme(request, pk, element)
    current = None
    if index is None and ELEMENTS[element].single:
        raise Http404
    if index is not None:
        current = scheme_forms.element_at(policy.scheme, element, index)
        if current is None:
            raise Http404
    kind = ELEMENTS[element]
    form = kind.form(posted(request), document=policy.scheme, element=current)
    title = _("Add a %(element)s") if index is None else _("Change the %(element)s")
    back = _back(policy, element)
    return form_page(
        request,
        form,
        title=title % {"element": kind.title},
        cancel_url=back,
        save=lambda _data: services.policy_scheme_update(
            policy=policy,
            actor=acting_user(request),
            document=scheme_forms.changed(policy.scheme, element, index, form),
        ),
        success=back,
        message=_("The scheme is saved. Check the preview before activating it."),
        breadcrumbs=[(str(policy), back)],
        form_id="scheme-element",
    )


@login_required
@require_POST
def scheme_element_remove(request: HttpRequest, pk: int, element: str, index: int) -> HttpResponse:
    policy = _draft_scheme(request, pk, element)
    if ELEMENTS[element].single or scheme_forms.element_at(policy.scheme, element, index) is None:
        raise Http404

    def remove() -> Policy:
        scheme_forms.check_seen(policy.scheme, request.POST.get("seen"))
        return services.policy_scheme_update(
            policy=policy,
            actor=acting_user(request),
            document=scheme_forms.removed(policy.scheme, element, index),
        )

    return run_action(
        request,
        remove,
        _("The scheme is saved. Check the preview before activating it."),
        _back(policy, element),
    )


@login_required
def policy_export(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk)
    document = services.policy_export(policy=policy, actor=acting_user(request))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"points-scheme-{policy.year}-v{policy.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Entries staff record by hand ------------------------------------------------------------


def _entry_codes(committee_id: int, year: int) -> list[tuple[str, str]]:
    policy = scoring.active_policy(committee_id, year)
    if policy is None:
        return []
    scheme = scoring.scheme_of(policy)
    return [(k.code, k.label) for k in scheme.kinds if k.manual] + [
        (v.code, v.label) for v in scheme.vetoes
    ]


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.manage")
    year = year_param(request, this_year())
    return list_page(
        request,
        "points/entry_list.html",
        selectors.entries_of(committee, year),
        year=year,
        labels=dict(_entry_codes(committee.pk, year)),
    )


@login_required
def entry_add(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "points.manage")
    year = year_param(request, this_year())
    form = forms.EntryForm(
        posted(request),
        members=scoring.scored_members(committee.pk).select_related("person"),
        codes=_entry_codes(committee.pk, year),
    )
    return form_page(
        request,
        form,
        title=_("Record an entry of %(year)s") % {"year": year},
        cancel_url=reverse("points:entry_list") + f"?year={year}",
        save=lambda data: services.entry_add(
            member=data["member"],
            actor=acting_user(request),
            year=year,
            entry_type=data["entry_type"],
            code=data["code"],
            points=data["points"] or Decimal(0),
            reason=data["reason"],
        ),
        success=reverse("points:entry_list") + f"?year={year}",
        message=_("The entry is recorded and the member's score recalculated."),
    )


@login_required
@require_POST
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "points.manage")
    entry = object_for(request, PolicyEntry.objects.filter(committee=committee), pk=pk)
    return run_action(
        request,
        lambda: services.entry_remove(entry=entry, actor=acting_user(request)),
        _("The entry is removed and the member's score recalculated."),
        reverse("points:entry_list") + f"?year={entry.year}",
    )

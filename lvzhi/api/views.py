"""The user's API access tokens, and the handling units' system credentials
(the proposal office's page): list, create (the token shown once), revoke."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lvzhi.api import forms, selectors, services, webhooks
from lvzhi.core.permissions import has_perm
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    list_page,
    object_for,
    posted,
    run_action,
    save_form,
)


def _create_shown_once(
    request: HttpRequest,
    form: Any,
    save: Any,
    done: str,
    *,
    template: str,
    list_url: str,
    **page: Any,
) -> HttpResponse:
    """Save the form; the answer shows the new token or secret this once
    (the views are never_cache): only its hash, or its ciphertext, is kept."""
    created = save_form(request, form, save, done)
    if created is not None:
        return render(request, template, {"created": created, "done_url": reverse(list_url)})
    return form_page(request, form, cancel_url=reverse(list_url), **page)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "api/token_list.html", selectors.tokens_of(request.user))


@never_cache
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "api.create_token")
    form = forms.TokenForm(posted(request))
    return _create_shown_once(
        request,
        form,
        lambda data: services.api_token_create(
            actor=acting_user(request), committee=committee, **data
        ),
        _("The access token is created."),
        template="api/token_created.html",
        list_url="api:token_list",
        title=_("New access token"),
        intro=_("The token acts as you in %(committee)s.") % {"committee": committee},
        submit_label=_("Create the token"),
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = object_for(request, selectors.tokens_of(request.user), perm="api.revoke_token", pk=pk)
    return run_action(
        request,
        lambda: services.api_token_revoke(actor=acting_user(request), token=token),
        _("The access token is revoked."),
        reverse("api:token_list"),
    )


@login_required
def unit_credential_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "api.manage_unit_credentials")
    return list_page(
        request, "api/unit_credential_list.html", selectors.unit_credentials(committee)
    )


@never_cache
@login_required
def unit_credential_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "api.manage_unit_credentials")
    form = forms.UnitCredentialForm(posted(request), committee=committee)
    return _create_shown_once(
        request,
        form,
        lambda data: services.unit_credential_create(actor=acting_user(request), **data),
        _("The system credential is created."),
        template="api/token_created.html",
        list_url="api:unit_credential_list",
        title=_("New system credential"),
        intro=_(
            "The unit's office system may then read its assigned proposals and reply"
            " through the API, as the unit and for its assignments only."
        ),
        submit_label=_("Create the credential"),
    )


@login_required
@require_POST
def unit_credential_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "api.manage_unit_credentials")
    token = object_for(
        request, selectors.unit_credentials(committee), perm="api.manage_unit_credentials", pk=pk
    )
    return run_action(
        request,
        lambda: services.unit_credential_revoke(actor=acting_user(request), token=token),
        _("The system credential is revoked."),
        reverse("api:unit_credential_list"),
    )


def _webhook_units(request: HttpRequest) -> tuple[Any, Any]:
    committee = committee_for(request, "api.manage_unit_webhooks")
    everyone = has_perm(request.user, "api.manage_unit_credentials", committee)
    return committee, selectors.webhook_units(committee, request.user, everyone=everyone)


@login_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    committee, units = _webhook_units(request)
    return list_page(
        request, "api/webhook_list.html", selectors.webhook_endpoints(committee, units)
    )


@never_cache
@login_required
def webhook_create(request: HttpRequest) -> HttpResponse:
    _committee, units = _webhook_units(request)
    form = forms.WebhookForm(posted(request), units=units)
    # The secret signs the deliveries, so it is kept encrypted, and shown once.
    return _create_shown_once(
        request,
        form,
        lambda data: webhooks.webhook_endpoint_create(actor=acting_user(request), **data),
        _("The webhook address is registered."),
        template="api/webhook_created.html",
        list_url="api:webhook_list",
        title=_("New webhook address"),
        intro=_(
            "The unit's system is told when a proposal is assigned to it, when a reply"
            " is due, when the proposer evaluates and when a proposal comes back for"
            " re-handling."
        ),
        submit_label=_("Register the address"),
    )


@login_required
@require_POST
def webhook_remove(request: HttpRequest, pk: int) -> HttpResponse:
    committee, units = _webhook_units(request)
    endpoint = object_for(request, selectors.webhook_endpoints(committee, units), pk=pk)
    return run_action(
        request,
        lambda: webhooks.webhook_endpoint_remove(actor=acting_user(request), endpoint=endpoint),
        _("The webhook address is removed."),
        reverse("api:webhook_list"),
    )

"""The user's API access tokens, and the handling units' system credentials
(the proposal office's page): list, create (the token shown once), revoke."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lvzhi.api import forms, selectors, services
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


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "api/token_list.html", selectors.tokens_of(request.user))


@never_cache
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "api.create_token")
    form = forms.TokenForm(posted(request))
    created = save_form(
        request,
        form,
        lambda data: services.api_token_create(
            actor=acting_user(request), committee=committee, **data
        ),
        _("The access token is created."),
    )
    if created is not None:
        # Shown in this answer only (never_cache): only its hash is kept.
        return render(
            request,
            "api/token_created.html",
            {"created": created, "done_url": reverse("api:token_list")},
        )
    return form_page(
        request,
        form,
        title=_("New access token"),
        cancel_url=reverse("api:token_list"),
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
    created = save_form(
        request,
        form,
        lambda data: services.unit_credential_create(actor=acting_user(request), **data),
        _("The system credential is created."),
    )
    if created is not None:
        return render(
            request,
            "api/token_created.html",
            {"created": created, "done_url": reverse("api:unit_credential_list")},
        )
    return form_page(
        request,
        form,
        title=_("New system credential"),
        cancel_url=reverse("api:unit_credential_list"),
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

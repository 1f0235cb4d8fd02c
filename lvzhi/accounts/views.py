"""Login, logout, passwords, the second factor, the security administrator's
account and role pages and the auditor's page.

Thin views: selectors read (scoped to ``request.committee``), rules decide,
services write; a DomainError becomes a message and nothing changes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from lvzhi.accounts import selectors, services, totp
from lvzhi.accounts.audit import detail_rows, object_name
from lvzhi.accounts.exports import audit_trail
from lvzhi.accounts.filters import UserFilter
from lvzhi.accounts.forms import (
    CodeForm,
    LoginCodeForm,
    LoginForm,
    PasswordChangeForm,
    RoleGrantForm,
    UserCreateForm,
)
from lvzhi.accounts.middleware import EXPIRED_KEY
from lvzhi.accounts.models import User
from lvzhi.core.audit import audit_label
from lvzhi.core.errors import DomainError
from lvzhi.core.exports import export_response
from lvzhi.core.models import AuditEvent
from lvzhi.core.qr import qr_data_uri
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_errors_from,
    form_page,
    list_page,
    object_for,
    paginate,
    posted,
    run_action,
)

PENDING_LOGIN_KEY = "lvzhi_login_pending"
PENDING_LOGIN_SECONDS = 300
PENDING_TOTP_SECRET_KEY = "lvzhi_totp_pending_secret"  # noqa: S105 - a session key name


def _safe_next(request: HttpRequest, value: str | None) -> str:
    """``next`` only when it stays on this site; otherwise the home page."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# --- Login and logout ------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if request.user.is_authenticated:
        return redirect(_safe_next(request, next_url))
    if request.session.pop(EXPIRED_KEY, False):
        messages.info(request, _("Your session has expired. Please log in again."))
    form = LoginForm(posted(request))
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["username"]
        try:
            user = services.credentials_check(
                request=request, identifier=identifier, password=form.cleaned_data["password"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if user.totp_enabled:
                request.session[PENDING_LOGIN_KEY] = {
                    "user_id": user.pk,
                    "identifier": identifier,
                    "next": next_url,
                    "at": time.time(),
                }
                return redirect("accounts:login_verify")
            services.session_start(request=request, user=user)
            return redirect(_safe_next(request, next_url))
    safe_next = next_url if _safe_next(request, next_url) == next_url else ""
    return render(request, "accounts/login.html", {"form": form, "next": safe_next})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """Second login step for accounts with two-factor authentication."""
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN_KEY, None)
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None or not user.totp_enabled:
        request.session.pop(PENDING_LOGIN_KEY, None)
        return redirect("accounts:login")
    form = LoginCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_check(
                user=user,
                identifier=pending["identifier"],
                code=form.cleaned_data["code"],
            )
        except services.AccountLocked as error:
            request.session.pop(PENDING_LOGIN_KEY, None)
            messages.error(request, error.message)
            return redirect("accounts:login")
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(PENDING_LOGIN_KEY, None)
            services.session_start(request=request, user=user, second_factor=True)
            return redirect(_safe_next(request, pending.get("next")))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.session_end(request=request)
    return redirect("accounts:login")


# --- Own password and second factor ------------------------------------------------


@sensitive_post_parameters()
@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = PasswordChangeForm(user, data=posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(actor=user, new_password=form.cleaned_data["new_password1"])
        except DomainError as error:
            form.add_error("new_password2", error.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password},
    )


@never_cache
@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show a new secret (text and QR code) and
    switch the second factor on once the user types a valid code."""
    user = acting_user(request)
    if user.totp_enabled:
        left = user.recovery_codes.filter(used_at=None).count()
        return render(request, "accounts/totp_setup.html", {"enabled": True, "left": left})
    secret = request.session.get(PENDING_TOTP_SECRET_KEY)
    if not secret:
        secret = totp.new_secret()
        request.session[PENDING_TOTP_SECRET_KEY] = secret
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            recovery = services.totp_enable(
                actor=user, secret=secret, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(PENDING_TOTP_SECRET_KEY, None)
            messages.success(request, _("Two-factor authentication is now enabled."))
            return _recovery_codes_page(request, recovery)
    uri = totp.provisioning_uri(secret, user.get_username())
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": qr_data_uri(uri, box_size=8),
        },
    )


def _recovery_codes_page(request: HttpRequest, recovery: list[str]) -> HttpResponse:
    """The codes, shown this once (never stored in clear, never shown again)."""
    return render(request, "accounts/recovery_codes.html", {"codes": recovery})


@require_POST
@never_cache
@login_required
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    try:
        recovery = services.recovery_codes_renew(actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:totp_setup")
    return _recovery_codes_page(request, recovery)


# --- Accounts of the committee (security administrator) ------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "accounts.manage_roles")
    users = selectors.users_of_committee(committee)
    return list_page(
        request,
        "accounts/user_list.html",
        UserFilter(request.GET, queryset=users, committee=committee),
    )


@never_cache
@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    committee = committee_for(request, "accounts.manage_roles")
    form = UserCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(
                actor=acting_user(request), committee=committee, **form.cleaned_data
            )
        except DomainError as error:
            form_errors_from(form, error)
        else:
            # Shown once, in this response only: never stored, never redirected.
            return render(
                request,
                "accounts/temporary_password.html",
                {"account": user, "password": password, "created": True},
            )
    list_url = reverse("accounts:user_list")
    return form_page(
        request,
        form,
        title=_("New account"),
        cancel_url=list_url,
        breadcrumbs=[(_("Accounts and roles"), list_url)],
        intro=_(
            "A temporary password is generated and shown once; the user must change it at "
            "the first login. Grant roles on the account's page afterwards."
        ),
        submit_label=_("Create account"),
        form_id="user-create-form",
    )


def _user_detail_context(request: HttpRequest, committee: Any, account: User) -> dict[str, Any]:
    return {
        "account": account,
        "roles": account.committee_roles,  # type: ignore[attr-defined]
        "failures": selectors.login_failures_of(account),
        "now": timezone.now(),
        "can_reset": request.user.has_perm("accounts.reset_password", committee),
        "is_self": account.pk == request.user.pk,
    }


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "accounts.manage_roles")
    account = selectors.user_of_committee_or_404(committee, pk)
    context = _user_detail_context(request, committee, account)
    context["grant_form"] = RoleGrantForm(committee=committee)
    return render(request, "accounts/user_detail.html", context)


def _account_action(request: HttpRequest, pk: int, perm: str) -> tuple[Any, User]:
    committee = committee_for(request, perm)
    return committee, object_for(request, selectors.users_of_committee(committee), pk=pk)


@dataclass(frozen=True)
class Button:
    """A button on an account's page: its service (which checks its own
    permission) and what the page says once it is done."""

    service: Callable[..., Any]
    done: Promise


DEACTIVATE = Button(services.user_deactivate, _lazy("The account has been deactivated."))
REACTIVATE = Button(services.user_reactivate, _lazy("The account has been reactivated."))
UNLOCK = Button(services.user_unlock, _lazy("The account has been unlocked."))
TOTP_RESET = Button(services.totp_reset, _lazy("Two-factor authentication has been reset."))


@require_POST
@login_required
def account_button(request: HttpRequest, pk: int, button: Button) -> HttpResponse:
    """``button`` comes from urls.py: one of the buttons above."""
    _committee, account = _account_action(request, pk, "accounts.manage_roles")
    return run_action(
        request,
        lambda: button.service(actor=acting_user(request), user=account),
        str(button.done),
        reverse("accounts:user_detail", args=[account.pk]),
    )


@never_cache
@require_POST
@login_required
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    _committee, account = _account_action(request, pk, "accounts.reset_password")
    try:
        password = services.user_password_reset(actor=acting_user(request), user=account)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/temporary_password.html",
        {"account": account, "password": password, "created": False},
    )


@require_POST
@login_required
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    committee, account = _account_action(request, pk, "accounts.manage_roles")
    form = RoleGrantForm(request.POST, committee=committee)
    if form.is_valid():
        try:
            services.role_grant(
                actor=acting_user(request),
                committee=committee,
                user=account,
                role=form.cleaned_data["role"],
                area=form.cleaned_data.get("area") or "",
                unit=form.cleaned_data.get("unit"),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The role has been granted."))
            return redirect("accounts:user_detail", pk=account.pk)
    context = _user_detail_context(request, committee, account)
    context["grant_form"] = form
    return render(request, "accounts/user_detail.html", context)


@require_POST
@login_required
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    committee = committee_for(request, "accounts.manage_roles")
    assignment = selectors.role_assignment_or_404(committee, pk)
    return run_action(
        request,
        lambda: services.role_revoke(actor=acting_user(request), assignment=assignment),
        _("The role has been revoked."),
        reverse("accounts:user_detail", args=[assignment.user_id]),
    )


# --- Audit trail (auditor) -----------------------------------------------------------


@require_GET
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The committee's audit trail. Reading it is not itself audited (it would
    drown the trail); exporting it is."""
    committee = committee_for(request, "core.view_audit")
    trail = audit_trail(committee, request.GET)
    page = paginate(request, trail.qs)
    for event in page.object_list:
        event.object_name = object_name(event)  # type: ignore[attr-defined]
        event.details = detail_rows(event.detail, event.object_type)  # type: ignore[attr-defined]
        event.succeeded = event.result == AuditEvent.Result.SUCCESS  # type: ignore[attr-defined]
    rows = [(event, audit_label(event.action)) for event in page.object_list]
    return render(
        request,
        "accounts/audit_list.html",
        {"page_obj": page, "rows": rows, "form": trail.form, "filter": trail},
    )


@require_GET
@login_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The trail as filtered, as a file now or, when large, by a job (core.exports)."""
    return export_response(request, "audit_events")

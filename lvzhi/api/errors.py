"""Every refusal of the API as JSON: ``{"code": …, "message": …, "errors": […]}``.

``code`` is stable (clients branch on it); ``message`` is Chinese and safe to
show. A service's ``DomainError`` keeps its own message; the kernel's
subclasses map to their status (403 refused, 409 conflict, 422 invalid)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from lvzhi.core.audit import PERMISSION_DENIED, audit_log
from lvzhi.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.public.services import RateLimited


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """A refusal of the API layer itself (scope, idempotency key, token)."""

    def __init__(self, status: int, code: str, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.retry_after = retry_after


def _json(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body = {"code": code, "message": str(message), "errors": errors or []}
    return api.create_response(request, body, status=status)


def _field_path(loc: Any) -> str:
    # ("body", "payload", "reason") → "body.reason": the wrapper argument's name
    # is ninja's, not the client's.
    parts = [str(p) for p in loc]
    if len(parts) > 2 and parts[0] == "body":
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)


def _audit_refusal(request: HttpRequest) -> None:
    """A refusal outside a service (which audits its own): one audit row, as
    the pages' 403 handler writes."""
    audit_log(
        action=PERMISSION_DENIED,
        result=AuditEvent.Result.DENIED,
        path=request.path[:500],
        method=request.method or "",
    )


def install(api: NinjaAPI) -> None:
    def domain_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, PermissionDenied):
            # require_perm has audited it already.
            return _json(api, request, 403, "permission_denied", exc.message)
        if isinstance(exc, Conflict):
            return _json(api, request, 409, "conflict", exc.message)
        if isinstance(exc, RateLimited):  # the public channel's hourly limits
            response = _json(api, request, 429, "rate_limited", exc.message)
            response["Retry-After"] = "3600"
            return response
        if isinstance(exc, ValidationFailed):
            errors = [{"field": "", "message": str(e)} for e in exc.errors]
            return _json(api, request, 422, "validation_failed", exc.message, errors)
        return _json(api, request, 400, "refused", exc.message)

    def permission_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        _audit_refusal(request)
        return _json(api, request, 403, "permission_denied", _("You may not do this."))

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return _json(api, request, 404, "not_found", _("Not found."))

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {"field": _field_path(e.get("loc", ())), "message": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        return _json(api, request, 422, "invalid_input", _("The input is not valid."), errors)

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = _json(
            api, request, 401, "unauthenticated", _("Sign in or send a valid access token.")
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status_code == 403:  # the CSRF check of a session
            _audit_refusal(request)
            return _json(api, request, 403, "csrf_failed", _("The CSRF check failed."))
        return _json(api, request, exc.status_code, "http_error", str(exc.message))

    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status == 401:
            response = unauthenticated(request, exc)
            return response
        response = _json(api, request, exc.status, exc.code, exc.message)
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(DjangoPermissionDenied, permission_denied)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(NinjaValidationError, invalid)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ApiError, api_error)

"""Who calls the API: a personal access token (``Authorization: Bearer …``)
or the signed-in browser session (same-site pages, with CSRF).

Either way the request then looks like a page's: ``request.user`` is the
user, ``request.committee`` the committee they act in, and the audit rows
written while it runs say channel "api". A token with the read scope may
only read; every other method needs the write scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from lvzhi.accounts.models import Role, RoleAssignment
from lvzhi.accounts.roles import roles_fix
from lvzhi.api import selectors, services
from lvzhi.api.errors import ApiError
from lvzhi.api.ratelimit import rate_limit_check
from lvzhi.core import context
from lvzhi.org.selectors import committees_for

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CHANNEL = "api"


def _act_as(request: HttpRequest, user: Any, committee: Any) -> None:
    request.user = user
    request.committee = committee  # type: ignore[attr-defined]
    context.set_actor(user, channel=CHANNEL)


def _refused() -> ApiError:
    return ApiError(401, "unauthenticated", _("Sign in or send a valid access token."))


def _as_unit(row: Any) -> None:
    """A unit's system credential: its account holds the unit role in the
    unit's committee while the request runs, nothing else; a deactivated
    unit or account → 401."""
    if not row.user.is_active or not row.unit.is_active:
        raise _refused()
    roles_fix(
        row.user,
        [RoleAssignment(user=row.user, committee=row.committee, role=Role.UNIT, unit=row.unit)],
    )


class TokenAuth(HttpBearer):
    """A personal access token or a unit's system credential: unknown,
    expired or revoked → 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = selectors.token_by_hash(services.token_hash(token.strip()))
        if row is None or row.revoked_at is not None or row.expires_at <= timezone.now():
            raise _refused()
        user = row.user
        if row.is_system:
            _as_unit(row)
        # A token outlives neither its user's account nor their place in the committee.
        elif not user.is_active or not committees_for(user).filter(pk=row.committee_id).exists():
            raise _refused()
        if request.method not in SAFE_METHODS and not row.may_write:
            raise ApiError(
                403,
                "scope_required",
                _("This access token may only read; writing needs a token with the write scope."),
            )
        # Keyed by the hash, not the id: ids come back after a rollback (SQLite),
        # and the per-process counters outlive it (lvzhi/api/ratelimit.py).
        rate_limit_check(request, f"token:{row.token_hash[:20]}")
        services.api_token_touch(row)
        request.api_token = row  # type: ignore[attr-defined]
        _act_as(request, user, row.committee)
        return user


class SessionAuth(APIKeyCookie):
    """The browser session of the pages; unsafe methods need the CSRF token
    (``X-CSRFToken``). Anonymous → no answer here, so the API says 401."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # csrf=True tells the docs page to send the CSRF token; the check
        # itself is below, for a signed-in user only, so anonymous gets 401.
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        # The join time with the id, for the same reason as a token's hash.
        rate_limit_check(request, f"user:{user.pk}:{user.date_joined.timestamp():.6f}")
        request.api_token = None  # type: ignore[attr-defined]
        _act_as(request, user, getattr(request, "committee", None))
        return user

"""Session rules of DESIGN §9, checked on every request of a logged-in user:

* idle and absolute limits: 30 minutes idle (15 for the three administrator
  roles) and 12 hours in all, whatever the activity. The last-seen time is
  stored at most once a minute (``SEEN_AT_RESOLUTION``): a page view that
  changes nothing else then leaves the session unwritten, instead of making
  every GET a write (on SQLite, a write transaction). The idle limit is
  checked against that stored time, so it holds to within that minute;
* a user who must change the password (new account, administrator reset) sees
  only the password page until it is changed;
* with ``settings.REQUIRE_TOTP`` on, staff and administrators without a second
  factor see only the enrolment page until they have one.

This middleware runs before MessageMiddleware, so the "session expired" notice
travels to the login page as a session flag (``EXPIRED_KEY``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from lvzhi.accounts.audit import SESSION_TIMEOUT
from lvzhi.accounts.roles import is_any_admin, needs_second_factor
from lvzhi.core.audit import audit_log

LOGIN_AT_KEY = "lvzhi_login_at"
SEEN_AT_KEY = "lvzhi_seen_at"
EXPIRED_KEY = "lvzhi_session_expired"
# How stale the stored last-seen time may get before a request refreshes it.
SEEN_AT_RESOLUTION = 60

# Pages a user kept on the password or enrolment page may still reach.
_ALWAYS_ALLOWED = ("accounts:password_change", "accounts:totp_setup", "accounts:logout")


def _required_page(request: HttpRequest) -> str | None:
    """The page the user must complete before any other, if any."""
    user = request.user
    if getattr(user, "must_change_password", False):
        return "accounts:password_change"
    if (
        getattr(settings, "REQUIRE_TOTP", False)
        and not getattr(user, "totp_enabled", True)
        and needs_second_factor(user)
    ):
        return "accounts:totp_setup"
    return None


def _is_allowed_path(path: str) -> bool:
    if path.startswith(settings.STATIC_URL):
        return True
    return any(path == reverse(name) for name in _ALWAYS_ALLOWED)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            login_at = request.session.get(LOGIN_AT_KEY, now)
            seen_at = request.session.get(SEEN_AT_KEY, now)
            idle_limit = (
                settings.SESSION_IDLE_TIMEOUT_ADMIN
                if is_any_admin(user)
                else settings.SESSION_IDLE_TIMEOUT
            )
            reason = None
            if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                reason = "absolute"
            elif now - seen_at > idle_limit.total_seconds():
                reason = "idle"
            if reason:
                audit_log(action=SESSION_TIMEOUT, actor=user, reason=reason)
                logout(request)
                request.session[EXPIRED_KEY] = True
                return redirect(settings.LOGIN_URL)
            if LOGIN_AT_KEY not in request.session:
                request.session[LOGIN_AT_KEY] = login_at
            if SEEN_AT_KEY not in request.session or now - seen_at >= SEEN_AT_RESOLUTION:
                request.session[SEEN_AT_KEY] = now
            required = _required_page(request)
            if required and not _is_allowed_path(request.path):
                return redirect(required)
        return self.get_response(request)

"""Idle and absolute session limits (DESIGN §9): 30 minutes idle (15 for the
three administrator roles) and 12 hours in all, whatever the activity."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import is_any_admin
from lvzhi.core.audit import audit_log

LOGIN_AT_KEY = "lvzhi_login_at"
SEEN_AT_KEY = "lvzhi_seen_at"


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
                audit_log(action="session_timeout", actor=user, request=request, reason=reason)
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect(settings.LOGIN_URL)
            request.session[LOGIN_AT_KEY] = login_at
            request.session[SEEN_AT_KEY] = now
        return self.get_response(request)

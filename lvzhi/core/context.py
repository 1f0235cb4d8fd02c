"""Who is acting, from where: the context every audit row reads (DESIGN §5, Audit).

The web middleware sets it once per request (actor, IP, user agent, a request
id); jobs and management commands set their own with ``acting_as``. Services
never take ``request=`` just to learn the IP: ``audit_log`` reads it here.

A ``ContextVar`` is per thread and per asyncio task, so concurrent requests
in one process never see each other's context (no module-level state)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest, HttpResponse

USER_AGENT_MAX = 300
REQUEST_ID_HEADER = "X-Request-ID"


@dataclass(frozen=True)
class ActingContext:
    """The circumstances of the current unit of work."""

    actor: Any = None
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""
    # "web", "job:<name>" or "command:<name>"
    channel: str = ""
    # The web request, read only for the committee the user works in (set by
    # a later middleware, so it cannot be copied here at the start).
    request: Any = None

    @property
    def committee(self) -> Any:
        return getattr(self.request, "committee", None)


_NOBODY = ActingContext()
_current: ContextVar[ActingContext | None] = ContextVar("lvzhi_acting_context", default=None)


def current() -> ActingContext:
    return _current.get() or _NOBODY


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only, never a header the client can forge. Behind nginx,
    # gunicorn rewrites REMOTE_ADDR from X-Real-IP for trusted proxies only
    # (deploy/gunicorn.conf.py), so audit rows and login locks see the client.
    return request.META.get("REMOTE_ADDR") or None


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def acting_as(
    *, channel: str, actor: Any = None, ip: str | None = None, user_agent: str = ""
) -> Iterator[ActingContext]:
    """For jobs and commands: ``with acting_as(channel="job:reminders"): ...``."""
    token = _current.set(
        ActingContext(
            actor=actor,
            ip=ip,
            user_agent=user_agent[:USER_AGENT_MAX],
            request_id=new_request_id(),
            channel=channel,
        )
    )
    try:
        yield current()
    finally:
        _current.reset(token)


def set_actor(actor: Any, *, channel: str | None = None) -> None:
    """After a login or logout within a request, later rows name the new actor;
    an API request authenticated by a token also names its channel ("api").
    The middleware resets the context when the request ends."""
    acting = replace(current(), actor=actor)
    _current.set(acting if channel is None else replace(acting, channel=channel))


# Channels of people (a page, an API client): an actor of None there is an
# anonymous caller. Only the others (jobs, commands) may act as the system.
PEOPLE_CHANNELS = frozenset({"web", "api"})


class RequestContextMiddleware:
    """Sets the acting context for one request; placed right after authentication.

    The request id is also returned as ``X-Request-ID`` so a user's report of
    a problem can be matched to its audit rows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        context = ActingContext(
            # The lazy user object: resolved only if an audit row is written.
            actor=user,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
            request_id=new_request_id(),
            channel="web",
            request=request,
        )
        token = _current.set(context)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[REQUEST_ID_HEADER] = context.request_id
        return response

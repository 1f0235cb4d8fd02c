"""``Idempotency-Key`` on POSTs: a phone that retries never does a thing twice.

The first POST with a key runs, and its answer (status and body) is stored
with the key, in the same transaction as what the endpoint wrote. A retry
with the same key and the same request gets the stored answer and writes
nothing; the same key with another request is refused (409). Keys belong to
the token (or, for a session, the user) that sent them.

Only successful answers are kept: a refused request changed nothing and may
be sent again once corrected."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from lvzhi.api.errors import ApiError
from lvzhi.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY = 200
_PENDING = "_lvzhi_idempotency"


def _key_of(request: HttpRequest) -> str | None:
    if request.method != "POST":
        return None
    return request.headers.get(HEADER)


def _owner(request: HttpRequest) -> str:
    token = getattr(request, "api_token", None)
    return f"token:{token.pk}" if token is not None else f"user:{request.user.pk}"


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path(), ""):
        digest.update(part.encode() + b"\0")
    if request.content_type == "multipart/form-data":
        # The parser has read the stream (request.body is gone): the fields
        # and each file's name and content instead.
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode() + b"\0")
        for name, uploads in sorted(request.FILES.lists()):
            for upload in uploads:
                digest.update(repr((name, upload.name, upload.size)).encode() + b"\0")
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def replay(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """After authentication and validation: answer a retry from the store."""

    @functools.wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = _key_of(request)
        # An anonymous caller (the public channel) has no store of its own:
        # its form token makes the message once.
        if key is None or not request.user.is_authenticated:
            return view_func(request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY or not key.isprintable():
            raise ApiError(
                422,
                "invalid_idempotency_key",
                _("The Idempotency-Key must be 1 to 200 printable characters."),
            )
        owner, fingerprint = _owner(request), _fingerprint(request)
        stored = IdempotentRequest.objects.filter(owner=owner, key=key).first()
        if stored is not None:
            if stored.fingerprint != fingerprint:
                raise ApiError(
                    409,
                    "idempotency_key_reused",
                    _("This Idempotency-Key was used for another request."),
                )
            response = HttpResponse(
                stored.body, status=stored.status, content_type="application/json"
            )
            response[REPLAYED_HEADER] = "true"
            return response
        setattr(request, _PENDING, (owner, key, fingerprint))
        return view_func(request, *args, **kwargs)

    return wrapper


def store(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around the whole operation: one transaction for what the endpoint
    writes and the stored answer; a concurrent twin with the same key loses
    on the unique key and is told to retry."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _key_of(request) is None:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            pending = getattr(request, _PENDING, None)
            if pending is None or not 200 <= response.status_code < 300:
                return response
            owner, key, fingerprint = pending
            try:
                with transaction.atomic():
                    IdempotentRequest.objects.create(
                        user_id=int(request.user.pk or 0),  # authenticated here
                        owner=owner,
                        key=key,
                        fingerprint=fingerprint,
                        status=response.status_code,
                        body=response.content.decode(),
                    )
            except IntegrityError:
                transaction.set_rollback(True)
                return _concurrent(request)
        return response

    return wrapper


def _concurrent(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {
            "code": "idempotency_key_in_use",
            "message": _("A request with this Idempotency-Key is in progress; retry it."),
            "errors": [],
        },
        status=409,
    )

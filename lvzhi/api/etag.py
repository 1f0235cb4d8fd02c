"""``ETag`` / ``If-None-Match`` on reads: a phone that polls a proposal or
its inbox gets 304 and no body when nothing changed. The tag is the hash of
the answer itself, so it changes whenever anything shown changes (a new
timeline step, a new row) and needs no per-model bookkeeping; the server
still reads, the network saves."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers


def _tag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _matches(header: str, tag: str) -> bool:
    sent = {t.strip().removeprefix("W/") for t in header.split(",")}
    return tag in sent or "*" in sent


def conditional(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if getattr(response, "streaming", False):
            return response
        tag = _tag(response.content)
        # The answer depends on who asks: a cache must key it by the caller.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if _matches(request.headers.get("If-None-Match", ""), tag):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = tag
            not_modified["Vary"] = response["Vary"]
            return not_modified
        response["ETag"] = tag
        return response

    return wrapper

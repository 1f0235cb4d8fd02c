"""Invisible characters never enter the system (DESIGN §9, issue 11).

Control characters and the Unicode direction overrides can make a name or a
proposal title read differently from what is stored ("Trojan Source": a
right-to-left override turns ``txt.exe`` into ``exe.txt`` on screen), break
exports and confuse the audit trail. They are removed from every text a
user sends: form fields and query strings (``InputCleaningMiddleware``), JSON
bodies of the API (``clean_value`` in the API's parser), cells of an
imported workbook and the names of uploaded files. Tabs and line breaks stay;
zero-width joiners stay too (they build emoji and some scripts).

A view that must read the raw body itself (the roster import installs its
own upload handler before the body is parsed) is marked ``@raw_body`` and
cleans what it reads with ``clean_text``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, QueryDict

# C0 controls but tab, LF and CR; DEL and the C1 controls; the bidirectional
# marks, embeddings, overrides and isolates; the byte-order mark.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)

F = TypeVar("F", bound=Callable[..., Any])


def clean_text(value: str) -> str:
    """``value`` without control characters and direction overrides."""
    return _INVISIBLE.sub("", value)


def clean_value(value: Any) -> Any:
    """Clean every string inside a parsed JSON value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value


def clean_querydict(data: QueryDict) -> QueryDict:
    """A copy of ``data`` with every value cleaned (files are left alone)."""
    if not any(_INVISIBLE.search(v) for values in data.lists() for v in values[1]):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
    cleaned._mutable = False
    return cleaned


def raw_body(view: F) -> F:
    """Mark a view that reads its request body itself (see the module's note)."""
    view.lvzhi_raw_body = True  # type: ignore[attr-defined]
    return view


class InputCleaningMiddleware:
    """Cleans the query string and the posted form fields before any view
    (or form) sees them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        request.GET = clean_querydict(request.GET)  # type: ignore[assignment]
        if request.method == "POST" and not getattr(view, "lvzhi_raw_body", False):
            content_type = request.content_type or ""
            if content_type.startswith(
                ("multipart/form-data", "application/x-www-form-urlencoded")
            ):
                request.POST = clean_querydict(request.POST)  # type: ignore[assignment]

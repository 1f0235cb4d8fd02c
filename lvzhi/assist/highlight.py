"""Highlighted titles and excerpts: the query's tokens are found in the raw
text, then every piece — between the marks and inside them — is escaped on
its own, so nothing a user wrote becomes markup and a match never falls
inside an entity (a query ``amp`` never splits ``&amp;``)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EXCERPT_CHARS = 120


def _pattern(tokens: list[str]) -> re.Pattern[str] | None:
    # Longest first, so 城市交通 wins over 城市.
    words = sorted({t for t in tokens if t}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None


def highlight(text: str, tokens: list[str]) -> SafeString:
    pattern = _pattern(tokens)
    if pattern is None:
        return escape(text)
    parts: list[str] = []
    end = 0
    for match in pattern.finditer(text):
        parts += [escape(text[end : match.start()]), "<mark>", escape(match.group(0)), "</mark>"]
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text escaped above


def excerpt(text: str, tokens: list[str], size: int = EXCERPT_CHARS) -> SafeString:
    """The part of ``text`` around the first token found, highlighted."""
    lowered = text.lower()
    hits = [i for i in (lowered.find(t.lower()) for t in tokens) if i >= 0]
    start = max(0, min(hits) - size // 3) if hits else 0
    part = text[start : start + size]
    prefix = "…" if start else ""
    suffix = "…" if start + size < len(text) else ""
    return highlight(f"{prefix}{part}{suffix}", tokens)

"""Highlighted titles and excerpts: the text is escaped first, then the
query's tokens are wrapped in <mark>, so nothing a user wrote becomes markup."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EXCERPT_CHARS = 120


def _pattern(tokens: list[str]) -> re.Pattern[str] | None:
    # Longest first, so 城市交通 wins over 城市; the tokens are escaped like the text.
    words = sorted({escape(t) for t in tokens if t}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None


def highlight(text: str, tokens: list[str]) -> SafeString:
    escaped = str(escape(text))
    pattern = _pattern(tokens)
    if pattern is None:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308


def excerpt(text: str, tokens: list[str], size: int = EXCERPT_CHARS) -> SafeString:
    """The part of ``text`` around the first token found, highlighted."""
    lowered = text.lower()
    hits = [i for i in (lowered.find(t.lower()) for t in tokens) if i >= 0]
    start = max(0, min(hits) - size // 3) if hits else 0
    part = text[start : start + size]
    prefix = "…" if start else ""
    suffix = "…" if start + size < len(text) else ""
    return highlight(f"{prefix}{part}{suffix}", tokens)

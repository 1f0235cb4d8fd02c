"""逐条回应: does a reply answer each numbered suggestion of its proposal?
Each suggestion is matched to the reply paragraph sharing most of its
content words; one sharing too few is shown as unanswered, to the unit
before it sends and to staff reviewing the reply."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lvzhi.assist.checks import suggestion_items
from lvzhi.assist.tokens import content_tokens

ANSWERED_SHARE = 0.4  # of the suggestion's words found in one paragraph
PARAGRAPHS = re.compile(r"[\n。；;]+")


@dataclass(frozen=True)
class Point:
    number: int
    text: str
    answered: bool
    paragraph: str


def coverage(suggestions: str, reply: str) -> list[Point]:
    paragraphs = [p.strip() for p in PARAGRAPHS.split(reply) if p.strip()]
    cut = [(p, set(content_tokens(p))) for p in paragraphs]
    points = []
    for number, item in enumerate(suggestion_items(suggestions), start=1):
        words = set(content_tokens(item))
        best, share = "", 0.0
        for paragraph, found in cut:
            s = len(words & found) / len(words) if words else 0.0
            if s > share:
                best, share = paragraph, s
        points.append(Point(number, item, share >= ANSWERED_SHARE, best))
    return points

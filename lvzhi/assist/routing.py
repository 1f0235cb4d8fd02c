"""Suggested lead units, learned from a committee's past assignments: a
multinomial naive Bayes over the content words of the proposals each unit
led, stored as word counts in JSON (``RoutingModel``), so a suggestion can
say which words weighed. Pure functions here; training from the tables and
the explanation with the most similar past proposal are in ``services``."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

WORDS_PER_UNIT = 400  # the most frequent words kept per unit: bounds the JSON
SUGGESTED = 3
KEYWORDS = 3


@dataclass(frozen=True)
class Suggestion:
    unit_id: int
    share: float  # the unit's share of the probability among all units, 0..1
    keywords: list[str]


def train(examples: Iterable[tuple[Sequence[str], int]]) -> dict[str, Any]:
    """Word counts per unit from (words of a proposal, its lead unit)."""
    counts: dict[int, Counter[str]] = {}
    docs: Counter[int] = Counter()
    for words, unit_id in examples:
        counts.setdefault(unit_id, Counter()).update(words)
        docs[unit_id] += 1
    vocab = {w for c in counts.values() for w in c}
    return {
        "vocab": len(vocab),
        "units": {
            str(unit): {
                "docs": docs[unit],
                "total": sum(c.values()),
                "words": dict(c.most_common(WORDS_PER_UNIT)),
            }
            for unit, c in counts.items()
        },
    }


def suggest(model: dict[str, Any], words: Sequence[str], top: int = SUGGESTED) -> list[Suggestion]:
    units = model.get("units") or {}
    if not units or not words:
        return []
    vocab = max(int(model.get("vocab", 1)), 1)
    all_docs = sum(u["docs"] for u in units.values())
    scored = []
    for unit, data in units.items():
        denominator = data["total"] + vocab
        logp = math.log(data["docs"] / all_docs)
        weights = {}
        for w in words:
            p = (data["words"].get(w, 0) + 1) / denominator
            logp += math.log(p)
            weights[w] = p
        scored.append((int(unit), logp, weights))
    best = max(s[1] for s in scored)
    norm = sum(math.exp(s[1] - best) for s in scored)
    ranked = sorted(scored, key=lambda s: -s[1])[:top]
    return [
        Suggestion(
            unit_id=u, share=math.exp(logp - best) / norm, keywords=_keywords(u, weights, units)
        )
        for u, logp, weights in ranked
    ]


def _keywords(unit: int, weights: dict[str, float], units: dict[str, Any]) -> list[str]:
    """The words that speak most for this unit against the others (and
    appear in its history)."""
    mine = units[str(unit)]["words"]
    others_total = sum(u["total"] for k, u in units.items() if k != str(unit)) or 1
    others = Counter()  # type: Counter[str]
    for k, u in units.items():
        if k != str(unit):
            others.update({w: u["words"].get(w, 0) for w in weights})
    lift = {w: p / ((others[w] + 1) / (others_total + 1)) for w, p in weights.items() if w in mine}
    return [w for w, _ in sorted(lift.items(), key=lambda wl: -wl[1])[:KEYWORDS]]

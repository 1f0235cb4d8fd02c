"""Similarity of proposals: BM25 (rank-bm25, Okapi) over the content words
of jieba (``tokens.content_tokens``), plus a set overlap that decides a
suspected duplicate. Pure functions over token lists, so ``assist_evaluate``
measures exactly what the pages use."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

from rank_bm25 import BM25Okapi

K = TypeVar("K", bound=Hashable)

TOP = 5
# Share of distinct words two texts have in common (Jaccard) from which the
# second is flagged 疑似重复: same-topic proposals written independently stay
# well below it (docs/assist.md).
DUPLICATE_OVERLAP = 0.6


def rank(
    query: Sequence[str], pool: Sequence[tuple[K, Sequence[str]]], top: int = TOP
) -> list[tuple[K, float]]:
    """The ``top`` members of the pool most similar to the query, best first,
    each with its BM25 score; members sharing no word are left out."""
    keys = [key for key, terms in pool if terms]
    texts = [list(terms) for _, terms in pool if terms]
    if not query or not texts:
        return []
    scores = BM25Okapi(texts).get_scores(list(query))
    words = set(query)
    sharing = [i for i, text in enumerate(texts) if words.intersection(text)]
    sharing.sort(key=lambda i: (-scores[i], i))
    return [(keys[i], float(scores[i])) for i in sharing[:top]]


def overlap(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def is_duplicate(a: Sequence[str], b: Sequence[str]) -> bool:
    return overlap(a, b) >= DUPLICATE_OVERLAP

"""The figures of ``manage.py assist_evaluate``: unit-suggestion accuracy on
a held-out part of the history and precision@5 of the similar-proposal list
on a labelled set, computed with the same functions the pages call."""

from __future__ import annotations

from dataclasses import dataclass

from lvzhi.assist import corpus, routing, similarity
from lvzhi.assist.sources import proposal_terms
from lvzhi.assist.training import examples
from lvzhi.org.models import Committee


@dataclass(frozen=True)
class Figures:
    history: int
    held_out: int
    top1: float
    top3: float
    precision_at_5: float | None  # None without labels (a real committee's history)


def _accuracy(
    history: list[tuple[list[str], int]], held: list[tuple[list[str], int]]
) -> tuple[float, float]:
    model = routing.train(history)
    top1 = top3 = 0
    for words, unit in held:
        units = [s.unit_id for s in routing.suggest(model, words)]
        top1 += bool(units) and units[0] == unit
        top3 += unit in units
    n = len(held) or 1
    return top1 / n, top3 / n


def evaluate_generated(*, first_year: int = 2021, seed: int = 15) -> Figures:
    """On the generated corpus: the first four years are the history, the
    fifth the held-out set; a similar proposal is relevant when it was
    generated from the same topic (the label)."""
    history, held = corpus.split(corpus.generate(first_year=first_year, seed=seed))
    units = {u: i for i, u in enumerate(sorted({r.unit for r in history + held}))}

    def words(r: corpus.GeneratedProposal) -> list[str]:
        return proposal_terms(r.title, r.reason, r.suggestions)

    past = [(words(r), r) for r in history]
    queries = [(words(r), r) for r in held]
    top1, top3 = _accuracy(
        [(w, units[r.unit]) for w, r in past], [(w, units[r.unit]) for w, r in queries]
    )
    pool = [(i, w) for i, (w, _) in enumerate(past)]
    precision = 0.0
    for w, r in queries:
        ranked = similarity.rank(w, pool)
        precision += sum(past[i][1].topic == r.topic for i, _ in ranked) / similarity.TOP
    return Figures(len(past), len(queries), top1, top3, precision / (len(queries) or 1))


def evaluate_committee(committee: Committee) -> Figures:
    """On a committee's own assigned proposals: the last year is held out."""
    rows = list(examples(committee))
    last = max((year for *_, year in rows if year is not None), default=None)
    history = [(w, unit) for w, unit, _, year in rows if year != last]
    held = [(w, unit) for w, unit, _, year in rows if year == last]
    top1, top3 = _accuracy(history, held)
    return Figures(len(history), len(held), top1, top3, None)

"""Reads that advise on a proposal: the most similar proposals of past years
with how each was handled, suspected duplicates filed this year, and the
suggested lead units. Candidates come from the search index (the engine's
any-word match narrows the pool), are re-scoped through the proposals the
user may see (``scope.visible_proposals``), and are ranked by BM25
(``similarity.rank``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from lvzhi.assist import routing, scope, similarity
from lvzhi.assist.engines import engine
from lvzhi.assist.models import Kind, RoutingModel, SearchEntry
from lvzhi.assist.sources import proposal_terms
from lvzhi.assist.training import LEAD
from lvzhi.core.web import this_year
from lvzhi.org.models import Committee, HandlingUnit
from lvzhi.proposals.models import Assignment, Evaluation, Proposal, Reply

POOL = 200  # candidates the engine hands to BM25
QUERY_WORDS = 24  # the draft's most frequent words sent to the engine
EXCERPT = 80


@dataclass(frozen=True)
class Similar:
    proposal: Proposal
    score: float
    overlap: float
    lead_units: list[str]
    answer_class: str
    reply_excerpt: str
    satisfaction: str


@dataclass(frozen=True)
class UnitSuggestion:
    unit: HandlingUnit
    share: float
    keywords: list[str]
    example: Proposal | None


def draft_terms(title: str, reason: str = "", suggestions: str = "") -> list[str]:
    return proposal_terms(title, reason, suggestions)


def terms_of(proposal: Proposal) -> list[str]:
    return proposal_terms(proposal.title, proposal.reason, proposal.suggestions)


def _neighbours(user: Any, committee: Committee) -> list[Committee]:
    """This committee, the one above and those below, as far as the user's
    rights in each reach (``scope.proposal_reach``): a committee where the
    user has neither a role nor a seat adds nothing and is left out."""
    return scope.proposal_reach(
        user,
        Committee.objects.filter(
            Q(pk=committee.pk) | Q(pk=committee.parent_id) | Q(parent=committee)
        ),
    )


def _visible_entries(user: Any, committees: Sequence[Committee]) -> QuerySet[SearchEntry]:
    allowed = Q(pk__in=[])
    for c in committees:
        allowed |= Q(committee=c, object_id__in=scope.visible_proposals(user, c))
    return SearchEntry.objects.filter(allowed, kind=Kind.PROPOSAL)


def _pool(
    entries: QuerySet[SearchEntry], words: Sequence[str], committees: Sequence[int]
) -> list[tuple[int, list[str]]]:
    """The candidates among ``entries`` (of ``committees``) sharing the most of
    the draft's words, with their content words."""
    common = [w for w, _ in Counter(words).most_common(QUERY_WORDS)]
    if not common:
        return []
    matched = engine().match(entries, common, committees=committees, any_token=True)[:POOL]
    return [(e.object_id, e.terms.split()) for e in matched.only("object_id", "terms")]


def _handled() -> Exists:
    """The entry's proposal has a lead or split unit. Correlated, so it is
    read for the scoped entries only (through the proposal's index), not
    for every assignment of every committee."""
    return Exists(
        Assignment.objects.filter(proposal_id=OuterRef("object_id"), role__in=LEAD).exclude(
            state=Assignment.State.WITHDRAWN
        )
    )


def _with_handling(ids: list[int]) -> dict[int, Proposal]:
    rows = Proposal.objects.filter(pk__in=ids).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(role__in=LEAD)
            .exclude(state=Assignment.State.WITHDRAWN)
            .select_related("unit")
            .prefetch_related(
                Prefetch("replies", queryset=Reply.objects.order_by("-round", "-id"))
            ),
        ),
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.filter(not_evaluated=False).order_by("-round", "-id"),
        ),
    )
    return {p.pk: p for p in rows}


def _similar(
    p: Proposal, score: float, words: Sequence[str], entry_terms: Sequence[str]
) -> Similar:
    leads = list(p.assignments.all())
    replies = [r for a in leads for r in a.replies.all()]
    reply = replies[0] if replies else None
    evaluation = next((e for e in p.evaluations.all() if e.result), None)
    return Similar(
        proposal=p,
        score=score,
        overlap=similarity.overlap(words, entry_terms),
        lead_units=[a.unit.name for a in leads],
        answer_class=(reply.class_label or reply.reply_class) if reply else "",
        reply_excerpt=reply.text[:EXCERPT] if reply else "",
        satisfaction=evaluation.get_result_display() if evaluation else "",
    )


def similar_past(
    user: Any, committee: Committee, words: Sequence[str], *, exclude: int | None = None
) -> list[Similar]:
    """The five most similar handled proposals of past years the user may see,
    in this committee and (where the user's rights reach) the ones above and below."""
    committees = _neighbours(user, committee)
    entries = _visible_entries(user, committees).filter(_handled(), year__lt=this_year())
    if exclude:
        entries = entries.exclude(object_id=exclude)
    pool = _pool(entries, words, [c.pk for c in committees])
    ranked = similarity.rank(words, pool)
    found = _with_handling([pk for pk, _ in ranked])
    terms = dict(pool)
    return [_similar(found[pk], score, words, terms[pk]) for pk, score in ranked if pk in found]


def duplicates_this_year(user: Any, proposal: Proposal) -> list[Similar]:
    """Proposals of the same committee and year, filed before this one
    (past the draft), whose words overlap it enough to be 疑似重复."""
    words = terms_of(proposal)
    entries = (
        _visible_entries(user, [proposal.committee])
        .filter(
            year=SearchEntry.objects.filter(kind=Kind.PROPOSAL, object_id=proposal.pk).values(
                "year"
            )[:1]
        )
        .exclude(object_id=proposal.pk)
        .filter(
            object_id__in=Proposal.objects.filter(
                committee=proposal.committee, submitted_at__isnull=False
            ).values("pk")
        )
    )
    pool = _pool(entries, words, [proposal.committee_id])
    close = [(pk, terms) for pk, terms in pool if similarity.is_duplicate(words, terms)]
    ranked = similarity.rank(words, close)
    found = _with_handling([pk for pk, _ in ranked])
    terms = dict(close)
    return [_similar(found[pk], score, words, terms[pk]) for pk, score in ranked if pk in found]


def routing_model(committee: Committee) -> dict[str, Any]:
    row = RoutingModel.objects.filter(committee=committee).only("data").first()
    return row.data if row else {}


def units_suggested(committee: Committee, words: Sequence[str]) -> list[UnitSuggestion]:
    """The three most likely lead units with the words that weighed and the
    most similar past proposal each led (the reason shown to staff)."""
    suggestions = routing.suggest(routing_model(committee), words)
    units = HandlingUnit.objects.filter(committee=committee, is_active=True).in_bulk(
        [s.unit_id for s in suggestions]
    )
    led = Assignment.objects.filter(committee=committee, role__in=LEAD, unit_id__in=units)
    pool_entries = SearchEntry.objects.filter(
        kind=Kind.PROPOSAL, committee=committee, object_id__in=led.values("proposal_id")
    )
    pool = _pool(pool_entries, words, [committee.pk])
    ranked = [pk for pk, _ in similarity.rank(words, pool, top=len(pool))]
    leads = dict(led.filter(proposal_id__in=ranked).values_list("proposal_id", "unit_id"))
    example_ids: dict[int | None, int] = {}
    for pk in ranked:
        example_ids.setdefault(leads.get(pk), pk)
    examples = Proposal.objects.in_bulk(list(example_ids.values()))
    return [
        UnitSuggestion(
            unit=units[s.unit_id],
            share=s.share,
            keywords=s.keywords,
            example=examples.get(example_ids.get(s.unit_id, 0)),
        )
        for s in suggestions
        if s.unit_id in units
    ]

"""The generated history loads into a committee in bulk, is searchable, and
the committee's own held-out year is routed as well as the labelled set."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from lvzhi.assist import advice
from lvzhi.assist.evaluation import evaluate_committee
from lvzhi.assist.models import Kind, SearchEntry
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db


def test_the_corpus_loads_indexes_and_routes_a_committees_history(world: World) -> None:
    out = io.StringIO()
    call_command("assist_corpus", world.committee.code, stdout=out)
    loaded = Proposal.objects.filter(committee=world.committee).count()
    assert loaded >= 300 and f"{loaded} proposals" in out.getvalue()
    years = set(
        SearchEntry.objects.filter(committee=world.committee, kind=Kind.PROPOSAL).values_list(
            "year", flat=True
        )
    )
    assert len(years) == 5
    figures = evaluate_committee(world.committee)
    assert figures.held_out > 0 and figures.top3 >= 0.85
    words = advice.draft_terms("关于加强乡村教师队伍建设的建议", "乡村学校教师老龄化严重。")
    similar = advice.similar_past(world.staff, world.committee, words)
    assert len(similar) == 5 and all(s.lead_units == ["县教育局"] for s in similar)
    assert all(s.answer_class and s.satisfaction for s in similar)


def test_assist_evaluate_prints_the_figures() -> None:
    out = io.StringIO()
    call_command("assist_evaluate", stdout=out)
    text = out.getvalue()
    assert "top-3: 100.0%" in text and "precision@5:" in text

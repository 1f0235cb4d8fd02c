"""The demo proposals: every state over two years, spread over the units,
the same on every run, and a second run changes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from lvzhi.core.calendar import DeadlineState, deadline_state
from lvzhi.duties.models import DutyRecord
from lvzhi.proposals.models import (
    Assignment,
    CoSigner,
    Evaluation,
    NumberCounter,
    PreContact,
    Proposal,
    ProposalEvent,
    Reply,
)

MODELS: list[type[models.Model]] = [
    Proposal,
    CoSigner,
    ProposalEvent,
    Assignment,
    PreContact,
    Reply,
    Evaluation,
    NumberCounter,
    DutyRecord,
]


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in MODELS}


@pytest.fixture
def seeded(demo: str) -> str:
    """The shared demo (seeded once per session) and what its seed printed."""
    return demo


def test_seeding_twice_changes_nothing(seeded: str) -> None:
    assert "proposals: 新建提案" in seeded
    before = snapshot()
    output = run_seed()
    assert snapshot() == before
    assert "proposals: 示例数据已存在，未作改动" in output


def test_the_demo_has_every_state_over_two_years_and_many_units(seeded: str) -> None:
    city = Proposal.objects.filter(committee__code="demo-city")
    assert set(city.values_list("status", flat=True)) == set(Proposal.Status.values)
    years = {p.submitted_at.year for p in city.exclude(submitted_at=None)}
    this_year = timezone.localdate().year
    assert years == {this_year - 1, this_year}
    assert (
        Assignment.objects.filter(committee__code="demo-city").values("unit").distinct().count()
        >= 10
    )
    numbers = sorted(city.exclude(number=None).values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert NumberCounter.objects.get(committee__code="demo-city").last_number == numbers[-1]
    assert Proposal.objects.filter(committee__code="demo-district").exists()


def test_the_demo_users_find_work_waiting(seeded: str) -> None:
    mine = Proposal.objects.filter(
        committee__code="demo-city", proposer__person__user__username="weiyuan"
    )
    assert {Proposal.Status.DRAFT, Proposal.Status.REPLIED} <= set(
        mine.values_list("status", flat=True)
    )
    open_education = Assignment.objects.filter(
        committee__code="demo-city", unit__name="示例市教育局", state=Assignment.State.ACTIVE
    )
    assert open_education.exists()
    colours = {
        deadline_state(a.due)
        for a in Assignment.objects.filter(
            committee__code="demo-city", state=Assignment.State.ACTIVE
        )
    }
    assert {DeadlineState.RED, DeadlineState.NORMAL} <= colours

"""The demo: a plan, consultations in every stage and a supervision round;
seeding twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import models

from lvzhi.consultations import models as m
from lvzhi.consultations.models import Consultation, ConsultationFormat, ConsultationPlan, Finding
from lvzhi.duties.models import DutyRecord

MODELS: list[type[models.Model]] = [
    m.Topic,
    m.ConsultationPlan,
    m.PlanItem,
    m.PlanEvent,
    m.Consultation,
    m.ConsultationEvent,
    m.PreparationItem,
    m.Participant,
    m.Speech,
    m.OutcomeItem,
    m.Post,
    m.EvaluationCriterion,
    m.Evaluation,
    m.EvaluationScore,
    m.SupervisionPlan,
    m.SupervisionItem,
    m.Inspection,
    m.Finding,
    m.FindingEvent,
    DutyRecord,
]


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in MODELS}


@pytest.mark.django_db(transaction=False)
def test_the_demo_holds_a_plan_every_stage_every_format_and_a_supervision_round() -> None:
    output = run_seed()
    assert "consultations: 新建" in output
    plan = ConsultationPlan.objects.get()
    assert plan.status == ConsultationPlan.Status.PUBLISHED
    assert set(Consultation.objects.values_list("state", flat=True)) == set(
        Consultation.State.values
    )
    assert set(Consultation.objects.values_list("format", flat=True)) == set(
        ConsultationFormat.values
    )
    assert set(m.Topic.objects.values_list("source", flat=True)) == set(m.TopicSource.values)
    assert m.Evaluation.objects.count() == 2
    assert set(Finding.objects.values_list("state", flat=True)) == set(Finding.State.values)
    assert DutyRecord.objects.filter(
        kind__in=["consultation", "inspection", "plenary_speech"]
    ).exists()
    online = Consultation.objects.get(format=ConsultationFormat.ONLINE)
    assert online.posts.count() >= 1


@pytest.mark.django_db(transaction=False)
def test_seeding_twice_gives_the_same_counts() -> None:
    run_seed()
    before = counts()
    output = run_seed()
    assert counts() == before
    assert "consultations: 示例数据已存在，未作改动" in output

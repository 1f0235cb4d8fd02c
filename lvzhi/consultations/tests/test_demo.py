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
def test_the_demo_holds_a_plan_every_stage_every_format_and_a_supervision_round(
    demo: str,
) -> None:
    output = demo
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
def test_seeding_twice_gives_the_same_counts(demo: str) -> None:
    before = counts()
    output = run_seed()
    assert counts() == before
    assert "consultations: 示例数据已存在，未作改动" in output


@pytest.mark.django_db(transaction=False)
def test_every_page_of_the_demo_opens_for_the_people_who_use_it(demo: str) -> None:
    from django.test import Client
    from django.urls import reverse

    from lvzhi.accounts.models import User
    from lvzhi.org.middleware import SESSION_KEY

    consultation_ids = list(Consultation.objects.values_list("pk", flat=True))
    plan = ConsultationPlan.objects.get()
    splan = m.SupervisionPlan.objects.get()
    inspection = m.Inspection.objects.get()
    findings = list(Finding.objects.values_list("pk", flat=True))
    staff_pages = [
        reverse("consultations:consultation_list"),
        reverse("consultations:consultation_create"),
        reverse("consultations:topic_list"),
        reverse("consultations:topic_create"),
        reverse("consultations:plan_list"),
        reverse("consultations:plan_detail", args=[plan.pk]),
        reverse("consultations:criterion_list"),
        reverse("consultations:supervision_list"),
        reverse("consultations:supervision_detail", args=[splan.pk]),
        reverse("consultations:inspection_detail", args=[inspection.pk]),
        reverse("consultations:finding_list"),
        reverse("consultations:gov_outcomes"),
        *[reverse("consultations:consultation_detail", args=[pk]) for pk in consultation_ids],
        *[reverse("consultations:finding_detail", args=[pk]) for pk in findings],
        *[reverse("consultations:evaluation_edit", args=[pk]) for pk in consultation_ids[:2]],
        reverse("consultations:participant_add", args=[consultation_ids[0]]),
        reverse("consultations:outcome_add", args=[consultation_ids[0]]),
        reverse("consultations:supervision_item_add", args=[splan.pk]),
    ]
    pages = {
        "staff_consultations": staff_pages,
        "leader": [
            reverse("consultations:consultation_list"),
            reverse("consultations:plan_detail", args=[plan.pk]),
        ],
        "unit": [
            reverse("consultations:unit_inbox"),
            *[reverse("consultations:finding_detail", args=[pk]) for pk in findings],
        ],
        "gov_leader": [
            reverse("consultations:gov_outcomes"),
            reverse("consultations:topic_create"),
        ],
        "weiyuan": [
            reverse("consultations:consultation_list"),
            reverse("consultations:plan_detail", args=[plan.pk]),
            reverse(
                "consultations:consultation_detail",
                args=[Consultation.objects.get(format="online").pk],
            ),
        ],
    }
    for username, paths in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.session
        session[SESSION_KEY] = plan.committee_id
        session.save()
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (username, path, response.status_code)

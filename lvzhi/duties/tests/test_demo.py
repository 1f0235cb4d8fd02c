"""The duties and points demo: real rows through the services, and a second
run changes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models

from lvzhi.duties.models import (
    Activity,
    ActivityEvent,
    Contribution,
    DutyProject,
    DutyRecord,
    Invitation,
    InvitationEvent,
    PlenarySpeech,
    StudyNote,
)
from lvzhi.points.models import Assessment, Bulletin, MemberScore, Policy

MODELS: list[type[models.Model]] = [
    Activity,
    ActivityEvent,
    Invitation,
    InvitationEvent,
    StudyNote,
    PlenarySpeech,
    Contribution,
    DutyProject,
    DutyRecord,
    Policy,
    MemberScore,
    Assessment,
    Bulletin,
]


def snapshot() -> dict[str, Any]:
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in MODELS}


@pytest.mark.django_db(transaction=False)
def test_the_demo_has_a_year_and_a_half_of_duties_and_seeding_twice_changes_nothing(
    demo: str,
) -> None:
    assert Activity.objects.filter(committee__code="demo-city").count() == 20
    assert Activity.objects.filter(state=Activity.State.CLOSED).exists()
    assert Activity.objects.filter(state=Activity.State.PUBLISHED).exists()
    assert Invitation.objects.filter(state=Invitation.State.EXCUSED).exists()
    assert Invitation.objects.filter(state=Invitation.State.ABSENT).exists()
    assert StudyNote.objects.exists() and DutyProject.objects.exists()
    assert Policy.objects.filter(status=Policy.Status.ACTIVE).count() == 4
    assert MemberScore.objects.filter(year=2026, score__gt=0).count() > 200
    assert Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).count() == 2
    assert Assessment.objects.filter(state=Assessment.State.PUBLISHED).count() == 2
    before = snapshot()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == before
    assert "履职活动示例数据（示例市政协）已存在，未作改动" in out.getvalue()

"""The demo data of the public channel and of studios: complete and idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import models

from lvzhi.duties.models import DutyRecord
from lvzhi.org.models import Station, Studio
from lvzhi.public.models import Conversion, Message, MessageEvent, Venue
from lvzhi.studios.models import (
    Activity,
    DutyWeek,
    MemberArea,
    RotationPlan,
    RoundTableLead,
    ServiceProject,
    StarRating,
    StationLeader,
)

MODELS: list[type[models.Model]] = [
    Venue,
    Message,
    MessageEvent,
    Conversion,
    ServiceProject,
    Activity,
    StarRating,
    StationLeader,
    MemberArea,
    RotationPlan,
    DutyWeek,
    RoundTableLead,
    DutyRecord,
]


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in MODELS}


@pytest.mark.django_db
def test_the_demo_has_every_state_and_a_second_run_changes_nothing(demo: str) -> None:
    assert "示例留言查询码" in demo
    first = counts()
    # QR pages for every studio and station, and a room per committee.
    assert Venue.objects.filter(kind="studio").count() == Studio.objects.count()
    assert Venue.objects.filter(kind="station").count() == Station.objects.count()
    assert Venue.objects.filter(kind="room").count() == 2
    assert set(Message.objects.values_list("status", flat=True)) == set(Message.Status.values)
    assert Message.objects.exclude(rating="").exists()
    assert Conversion.objects.filter(target_kind="service_project").exists()
    assert RotationPlan.objects.count() == 2 and DutyWeek.objects.exists()
    assert StarRating.objects.exists()
    assert Message.objects.filter(mobile_consent=True).exclude(mobile_encrypted="").exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first

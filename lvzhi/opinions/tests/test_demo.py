"""The demo year of reports: loaded through the services, the same on every
run, and a second run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import models

from lvzhi.duties.models import DutyRecord
from lvzhi.opinions.models import (
    Adoption,
    EditedItem,
    Forwarding,
    Instruction,
    Issue,
    Report,
    ReportEvent,
    ReportStatus,
)

MODELS: list[type[models.Model]] = [
    Report,
    ReportEvent,
    EditedItem,
    Issue,
    Forwarding,
    Adoption,
    Instruction,
    DutyRecord,
]


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in MODELS}


@pytest.mark.django_db
def test_the_demo_holds_a_year_of_reports_and_a_second_run_changes_nothing(demo: str) -> None:
    first = counts()
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {ReportStatus.USED, ReportStatus.NOT_USED, ReportStatus.SUBMITTED} <= statuses
    assert Issue.objects.filter(status="published").count() >= 6
    assert set(Adoption.objects.values_list("level", flat=True)) >= {
        "city",
        "provincial",
        "national",
    }
    assert Instruction.objects.exists() and Forwarding.objects.exists()
    # The demo member's first report was adopted nationally: the member sees it.
    mine = Report.objects.filter(author__person__user__username="weiyuan").order_by("id").first()
    assert mine is not None and mine.item.adoptions.filter(level="national").exists()
    months = {
        d.month for d in Report.objects.exclude(submitted_at=None).dates("submitted_at", "month")
    }
    assert len(months) >= 8

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == first
    assert "社情民意示例数据已存在" in out.getvalue()

"""Reads of the duty ledger."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from lvzhi.duties.models import DutyRecord
from lvzhi.org.models import Committee


def live_records(committee: Committee) -> models.QuerySet[DutyRecord]:
    return DutyRecord.objects.filter(committee=committee, withdrawn_at__isnull=True)


def records_of_source(source: models.Model) -> models.QuerySet[DutyRecord]:
    return DutyRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )

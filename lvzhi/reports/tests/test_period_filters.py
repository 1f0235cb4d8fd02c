"""The period filters the reports link with, added to the apps' lists:
``since`` and ``until`` narrow a list to the rows of those days, both ends
included; ``registered`` keeps the registered proposals."""

from __future__ import annotations

from typing import Any

import pytest

from lvzhi.consultations.filters import ConsultationFilter
from lvzhi.consultations.models import Consultation
from lvzhi.duties.filters import ActivityFilter
from lvzhi.duties.models import Activity
from lvzhi.opinions.filters import ReportFilter
from lvzhi.opinions.models import Report
from lvzhi.proposals.filters import ProposalFilter
from lvzhi.proposals.models import Proposal
from lvzhi.public.filters import MessageFilter
from lvzhi.public.models import Message

pytestmark = pytest.mark.django_db
LISTS = [
    (ProposalFilter, Proposal, "submitted_at__date"),
    (ReportFilter, Report, "submitted_at__date"),
    (MessageFilter, Message, "created_at__date"),
    (ConsultationFilter, Consultation, "meeting_date"),
    (ActivityFilter, Activity, "start_at__date"),
]


def narrowed(filterset: Any, model: Any, data: dict[str, str]) -> str:
    return str(filterset(data, queryset=model.objects.all()).qs.query)


@pytest.mark.parametrize(("filterset", "model", "field"), LISTS)
def test_since_and_until_keep_the_days_between_them_both_included(
    filterset: Any, model: Any, field: str
) -> None:
    expected = model.objects.filter(
        **{f"{field}__gte": "2026-01-01", f"{field}__lte": "2026-03-31"}
    )
    data = {"since": "2026-01-01", "until": "2026-03-31"}
    assert narrowed(filterset, model, data) == str(expected.query)


@pytest.mark.parametrize(("filterset", "model", "field"), LISTS)
def test_a_day_that_is_not_a_date_is_ignored_rather_than_emptying_the_list(
    filterset: Any, model: Any, field: str
) -> None:
    assert narrowed(filterset, model, {"since": "someday"}) == str(model.objects.all().query)


def test_registered_keeps_the_proposals_with_a_registration() -> None:
    expected = Proposal.objects.exclude(registered_at__isnull=True)
    assert narrowed(ProposalFilter, Proposal, {"registered": "1"}) == str(expected.query)

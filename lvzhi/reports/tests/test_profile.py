"""A member's 履职画像 equals a recount of the known duty records and scores."""

from __future__ import annotations

import pytest

from lvzhi.duties.models import DutyKind
from lvzhi.reports.profile import profile
from lvzhi.reports.tests.conftest import YEAR, Known

pytestmark = pytest.mark.django_db


def test_the_profile_counts_the_members_duties_against_the_committees_median(known: Known) -> None:
    section = profile(known.member, YEAR)
    figures = {f.key: f.value for f in section.figures}
    assert figures == {"duties": 3, "score": 30.0, "median": 20.0}
    categories = {row[0]: row[1:] for row in section.tables[0].plain_rows()}
    # Proposals: the member 3, the others 1 and 0 -> median 1.
    assert categories["提案"] == [3, 1.0]
    assert categories["会议"] == [0, 0.0]
    kinds = dict(section.tables[1].plain_rows())
    assert kinds == {
        DutyKind.PROPOSAL_REGISTERED.label: 2,
        DutyKind.PROPOSAL_FILED.label: 1,
    }


def test_another_year_is_empty(known: Known) -> None:
    section = profile(known.member, YEAR - 3)
    assert {f.key: f.value for f in section.figures} == {"duties": 0, "score": None, "median": None}

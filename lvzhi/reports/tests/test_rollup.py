"""Roll-up: an upper committee sees the aggregates of those below it, never
their people; a lower committee never sees the one above."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Role
from lvzhi.org.models import Committee
from lvzhi.org.tests.factories import CommitteeFactory, MemberFactory
from lvzhi.reports.tests.conftest import YEAR, Known, S, make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(known: Known) -> Any:
    below = CommitteeFactory(
        name="测试区政协",
        code="test-district",
        parent=known.committee,
        level=Committee.Level.COUNTY,
    )
    member = MemberFactory(committee=below)
    for day in (1, 2, 3):
        make_proposal(member, dt.date(YEAR, 3, day), S.SUBMITTED)
    return below, member


def rows_of(page: Any) -> dict[str, list[Any]]:
    table = page.context["sections"][0].tables[0]
    return {row[0]: row[1:] for row in table.plain_rows()}


def test_a_city_leader_sees_each_district_beside_the_city(
    known: Known, district: Any, make_user: Any, client_for: Any
) -> None:
    _below, member = district
    leader = make_user(Role.LEADER, known.committee, username="city-leader")
    page = client_for(leader).get(reverse("reports:rollup"), {"year": YEAR})
    assert page.status_code == 200
    rows = rows_of(page)
    assert rows["测试市政协"][:2] == [4, 2]  # received, registered
    assert rows["测试区政协"][:2] == [3, 0]
    assert member.person.name not in page.text


def test_a_district_never_sees_the_city(
    known: Known, district: Any, make_user: Any, client_for: Any
) -> None:
    below, _member = district
    leader = make_user(Role.LEADER, below, username="district-leader")
    page = client_for(leader).get(reverse("reports:rollup"), {"year": YEAR})
    assert list(rows_of(page)) == ["测试区政协"]


def test_staff_see_only_the_columns_of_their_area(
    known: Known, district: Any, staff_of: Any, client_for: Any
) -> None:
    page = client_for(staff_of("public")).get(reverse("reports:rollup"), {"year": YEAR})
    headers = [str(h) for h in page.context["sections"][0].tables[0].headers]
    assert len(headers) == 2  # the committee and the messages

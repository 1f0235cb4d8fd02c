"""``GET /api/v1/points/mine/sources``: the duty records behind the member's
points, the same figures as the "my points" page (``scoring.explain``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.duties.models import DutyKind as K
from lvzhi.points.tests.helpers import YEAR, active_default_policy, record

pytestmark = pytest.mark.django_db
URL = f"/api/v1/points/mine/sources?year={YEAR}"


@pytest.fixture
def me(committee, new_member):
    member = new_member(username="me")
    active_default_policy(committee)
    for kind in (K.PLENARY_ATTENDED, K.RESEARCH, K.PROPOSAL_FILED):
        record(member, kind)
    return member


def test_the_sources_are_the_pages_lines_with_their_points(client, me):
    client.force_login(me.person.user)
    page = client.get(reverse("points:my_points") + f"?year={YEAR}").context["explanation"]
    body = client.get(URL).json()
    assert body["has_policy"] is True
    assert Decimal(body["score"]) == page.score
    lines = {
        (src["record_id"], Decimal(src["points"]))
        for cat in body["categories"]
        for src in cat["sources"]
    }
    assert lines == {(line.record.pk, line.points) for cat in page.categories for line in cat.lines}
    assert len(lines) == 3


def test_a_year_without_a_policy_says_so_and_a_bad_year_is_422(client, me):
    client.force_login(me.person.user)
    assert client.get("/api/v1/points/mine/sources?year=2031").json()["has_policy"] is False
    assert client.get("/api/v1/points/mine/sources?year=1066").status_code == 422
    assert client.get("/api/v1/points/mine/sources?year=abc").status_code == 422


def test_the_sources_are_for_members_only(client, me, duties_staff):
    assert client.get(URL).status_code == 401
    client.force_login(duties_staff)
    assert client.get(URL).status_code == 403


def test_the_sources_take_the_same_queries_whatever_the_records(client, me):
    client.force_login(me.person.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    count()  # the first request of the session caches its settings
    small = count()
    for kind in [K.RESEARCH, K.PROPOSAL_FILED] * 6:
        record(me, kind)
    assert count() == small

"""``GET /api/v1/reports/dashboard``: the dashboard's figures, with the
page's permissions per section."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.org.models import Committee
from lvzhi.reports.figures import SECTIONS
from lvzhi.reports.tests.conftest import YEAR, Known

pytestmark = pytest.mark.django_db
URL = f"/api/v1/reports/dashboard?year={YEAR}"


@pytest.fixture
def leader(make_user: Any, committee: Committee) -> Any:
    return make_user(Role.LEADER, committee, username="leader")


def test_a_leader_gets_the_pages_figures_of_every_section(
    known: Known, client_for: Any, leader: Any
) -> None:
    client = client_for(leader)
    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).context["sections"]
    body = client.get(URL).json()
    assert [s["key"] for s in body["sections"]] == list(SECTIONS)
    ours = [(f["key"], f["value"], f["link"]) for s in body["sections"] for f in s["figures"]]
    theirs = [(f.key, f.value, f.url) for s in page for f in s.figures]
    assert ours == theirs
    proposals = next(s for s in body["sections"] if s["key"] == "proposals")
    assert any(f["value"] == 4 and f["link"] for f in proposals["figures"])


def test_staff_get_only_their_areas_section(known: Known, client_for: Any, staff_of: Any) -> None:
    body = client_for(staff_of(Area.PROPOSALS)).get(URL).json()
    assert [s["key"] for s in body["sections"]] == ["proposals"]


def test_members_are_refused_anonymous_401_and_a_bad_year_422(
    known: Known, client_for: Any, member_user: Any
) -> None:
    assert client_for(member_user).get(URL).status_code == 403
    assert Client().get(URL).status_code == 401
    # The query is read before the view: a bad year is 422 for anyone.
    assert client_for(member_user).get("/api/v1/reports/dashboard?year=abc").status_code == 422

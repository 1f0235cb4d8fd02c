"""Who sees which report page, bad periods, tenancy, query counts, exports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.accounts.models import Area, Role
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Committee
from lvzhi.proposals.models import QualityRating
from lvzhi.reports.figures import SECTIONS
from lvzhi.reports.tests.conftest import YEAR, Known, S, make_proposal

pytestmark = pytest.mark.django_db
PAGES = ["reports:dashboard", "reports:me", "reports:unit"]


@pytest.fixture
def leader(make_user: Any, committee: Committee) -> Any:
    return make_user(Role.LEADER, committee, username="leader")


def status(client: Client, name: str, *args: str, query: str = "") -> int:
    return client.get(reverse(name, args=args) + query).status_code


def test_a_leader_reads_every_section(known: Known, client_for: Any, leader: Any) -> None:
    client = client_for(leader)
    page = client.get(reverse("reports:dashboard"), {"year": YEAR})
    assert page.status_code == 200
    assert [s.key for s in page.context["sections"]] == list(SECTIONS)
    assert '<a href="/proposals/?since=2026-01-01&amp;until=2026-12-31">4</a>' in page.text
    for key in SECTIONS:
        assert status(client, "reports:section", key) == 200


def test_staff_read_only_the_section_of_their_area(
    known: Known, client_for: Any, staff_of: Any
) -> None:
    client = client_for(staff_of(Area.PROPOSALS))
    page = client.get(reverse("reports:dashboard"))
    assert [s.key for s in page.context["sections"]] == ["proposals"]
    assert status(client, "reports:section", "proposals") == 200
    assert status(client, "reports:section", "opinions") == 403
    assert status(client, "reports:me") == 403


def test_a_member_sees_only_their_profile(known: Known, client_for: Any, member_user: Any) -> None:
    client = client_for(member_user)
    assert status(client, "reports:me") == 200
    assert status(client, "reports:dashboard") == 403
    assert status(client, "reports:unit") == 403
    assert status(client, "reports:section", "proposals") == 403


def test_a_unit_sees_only_its_record(known: Known, client_for: Any, unit_user: Any) -> None:
    client = client_for(unit_user)
    page = client.get(reverse("reports:unit"), {"year": YEAR})
    assert page.status_code == 200
    figures = {f.key: f.value for f in page.context["sections"][0].figures}
    assert figures == {
        "assigned": 2,
        "replied": 2,
        "on_time_rate": 50.0,
        "satisfaction_rate": 100.0,
    }
    assert status(client, "reports:dashboard") == 403
    assert status(client, "reports:me") == 403


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_is_sent_to_log_in(client: Client, name: str) -> None:
    page = client.get(reverse(name))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_section_is_not_found(client_for: Any, leader: Any) -> None:
    assert status(client_for(leader), "reports:section", "nothing") == 404


@pytest.mark.parametrize(
    "query", ["?year=abc", "?since=2026-05-01&until=2026-01-01", "?year=2026&quarter=9"]
)
def test_a_bad_period_shows_a_message_not_an_error(
    client_for: Any, leader: Any, query: str
) -> None:
    page = client_for(leader).get(reverse("reports:dashboard") + query)
    assert page.status_code == 400
    assert 'id="period-error"' in page.text


def test_a_year_with_no_data_says_so(known: Known, client_for: Any, leader: Any) -> None:
    page = client_for(leader).get(reverse("reports:dashboard"), {"year": 2010})
    assert page.status_code == 200
    assert 'id="no-data"' in page.text


def test_a_district_leader_never_sees_the_city(
    known: Known, client_for: Any, make_user: Any, other_committee: Committee
) -> None:
    district_leader = make_user(Role.LEADER, other_committee, username="district")
    page = client_for(district_leader).get(
        reverse("reports:section", args=["proposals"]), {"year": YEAR}
    )
    figures = {f.key: f.value for f in page.context["sections"][0].figures}
    assert figures["received"] == 1


def _proposals(known: Known, n: int) -> None:
    for i in range(n):
        make_proposal(known.member, dt.date(YEAR, 6, 1 + i % 28), S.SUBMITTED)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("reports:dashboard", []),
        *(("reports:section", [key]) for key in SECTIONS),
        ("reports:me", []),
        ("reports:rollup", []),
        ("reports:year", []),
    ],
)
def test_the_dashboards_take_at_most_15_queries_for_n_rows_as_for_3n(
    known: Known, client_for: Any, leader: Any, member_user: Any, name: str, args: list[str]
) -> None:
    from lvzhi.accounts.tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=member_user, committee=known.committee, role=Role.LEADER)
    client = client_for(member_user)
    url = reverse(name, args=args)
    counts = []
    # A first visit stores what a session stores once (core.testing.page_queries).
    assert client.get(url, {"year": YEAR}).status_code == 200
    # N = 10 rows, then 3N = 30: below and above a page (25).
    for n in (10, 20):
        _proposals(known, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"year": YEAR}).status_code == 200
        # The test's savepoints around the request are not the page's queries.
        counts.append(sum(1 for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))))
    assert counts[0] == counts[1]
    assert counts[0] <= 15, "\n".join(q["sql"][:150] for q in queries.captured_queries)


def test_a_table_exports_to_excel_and_is_audited(
    known: Known, client_for: Any, leader: Any
) -> None:
    response = client_for(leader).get(
        reverse("reports:export"), {"table": "proposals.by_unit", "year": YEAR}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[1] == ("市教育局", 2, 2, 50)
    assert AuditEvent.objects.filter(action="reports.table_export").count() == 1


def test_a_table_of_a_section_one_may_not_see_is_refused(
    known: Known, client_for: Any, staff_of: Any
) -> None:
    client = client_for(staff_of(Area.PROPOSALS))
    assert status(client, "reports:export", query="?table=public.conversions") == 403
    assert status(client, "reports:export", query="?table=proposals.nothing") == 404


def test_a_units_record_is_within_budget_and_counts_only_its_committee(
    known: Known, client_for: Any, unit_user: Any, other_committee: Committee
) -> None:
    client = client_for(unit_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reports:unit"), {"year": YEAR})
    assert page.status_code == 200
    assert sum(1 for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))) <= 15
    rows = {t.key: list(t.plain_rows()) for t in page.context["sections"][0].tables}
    assert rows["unit.classes"] == [["A类", 1], ["B类", 1]]
    assert dict(rows["unit.quality"])[QualityRating.Rating.GOOD.label] == 1


def test_an_exported_cell_that_looks_like_a_formula_is_kept_as_text(
    known: Known, client_for: Any, leader: Any
) -> None:
    known.category.name = "=HYPERLINK(1)"
    known.category.save()
    response = client_for(leader).get(
        reverse("reports:export"), {"table": "proposals.by_category", "year": YEAR}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "'=HYPERLINK(1)" in [row[0] for row in sheet.values]


def test_an_export_with_a_bad_period_is_a_message(client_for: Any, leader: Any) -> None:
    page = client_for(leader).get(
        reverse("reports:export"), {"table": "proposals.by_unit", "year": "abc"}
    )
    assert page.status_code == 400

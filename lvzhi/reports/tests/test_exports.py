"""Every table a report page shows exports to .xlsx with the same rows:
each section's, the roll-up's, a unit's record and a member's 履职画像;
and only to those who may read the page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.accounts.models import Role
from lvzhi.reports.figures import SECTIONS
from lvzhi.reports.tests.conftest import YEAR, Known

pytestmark = pytest.mark.django_db


def every_table_exports(client: Client, page_url: str) -> int:
    page = client.get(page_url, {"year": YEAR})
    assert page.status_code == 200
    exported = 0
    for section in page.context["sections"]:
        for table in section.tables:
            link = f"{reverse('reports:export')}?table={table.key}&amp;year={YEAR}"
            assert link in page.text, table.key
            response = client.get(reverse("reports:export"), {"table": table.key, "year": YEAR})
            assert response.status_code == 200, table.key
            sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
            rows = list(sheet.values)
            assert list(rows[0]) == [str(h) for h in table.headers], table.key
            assert len(rows) - 1 == len(table.rows), table.key
            exported += 1
    return exported


def test_every_table_of_every_leader_page_exports(
    known: Known, make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user(Role.LEADER, known.committee, username="leader"))
    pages = [
        reverse("reports:dashboard"),
        reverse("reports:rollup"),
        *(reverse("reports:section", args=[key]) for key in SECTIONS),
    ]
    assert sum(every_table_exports(client, url) for url in pages) > len(pages)


def test_a_units_record_exports(known: Known, unit_user: Any, client_for: Any) -> None:
    assert every_table_exports(client_for(unit_user), reverse("reports:unit")) == 3


def test_a_members_profile_exports(known: Known, member_user: Any, client_for: Any) -> None:
    assert every_table_exports(client_for(member_user), reverse("reports:me")) == 2


def test_a_member_may_not_export_a_units_record_or_the_roll_up(
    known: Known, member_user: Any, client_for: Any
) -> None:
    client = client_for(member_user)
    for key in ("unit.classes", "rollup.committees", "proposals.by_unit"):
        response = client.get(reverse("reports:export"), {"table": key, "year": YEAR})
        assert response.status_code in (403, 404), key

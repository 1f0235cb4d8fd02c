"""The year in words: a work report's phrasing, each number linked, and the .docx."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from lvzhi.accounts.models import Role
from lvzhi.org.models import Committee
from lvzhi.reports.tests.conftest import YEAR, Known

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(make_user: Any, committee: Committee, client_for: Any) -> Any:
    return client_for(make_user(Role.LEADER, committee, username="leader"))


def test_the_year_reads_as_a_work_report_with_every_number_linked(
    known: Known, leader_client: Any
) -> None:
    page = leader_client.get(reverse("reports:year"), {"year": YEAR})
    assert page.status_code == 200
    first = page.context["paragraphs"][0]
    assert "".join(p.text for p in first) == (
        "2026年，共收到提案4件，经审查立案2件，不予立案1件。"
        "各承办单位共答复2件，按时答复率50.0%，委员满意和基本满意率100.0%。"
    )
    assert '<a href="/proposals/?since=2026-01-01&amp;until=2026-12-31">4</a>' in page.text
    assert '<a href="/proposals/?since=2026-01-01&amp;until=2026-12-31&amp;registered=1">2</a>' in (
        page.text
    )
    assert len(page.context["paragraphs"]) == 6


def test_a_quarter_gives_its_bulletin(known: Known, leader_client: Any) -> None:
    page = leader_client.get(reverse("reports:year"), {"year": YEAR, "quarter": 2})
    assert "季度工作通报" in page.context["title"]
    assert "收到提案2件" in "".join(p.text for p in page.context["paragraphs"][0])


def test_the_word_document_opens_and_reads_back_the_same_text(
    known: Known, leader_client: Any
) -> None:
    page = leader_client.get(reverse("reports:year"), {"year": YEAR})
    response = leader_client.get(reverse("reports:year_export"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == page.context["title"]
    assert texts[1] == "".join(p.text for p in page.context["paragraphs"][0])


def test_a_bad_year_is_a_message(leader_client: Any) -> None:
    for name in ("reports:year", "reports:year_export"):
        page = leader_client.get(reverse(name), {"year": "twenty"})
        assert page.status_code == 400
        assert 'id="period-error"' in page.text


def test_a_member_may_not_read_the_year(known: Known, client_for: Any, member_user: Any) -> None:
    assert client_for(member_user).get(reverse("reports:year")).status_code == 403


def test_the_report_on_proposal_handling_lists_subjects_classes_and_units(
    known: Known, leader_client: Any
) -> None:
    page = leader_client.get(reverse("reports:year"), {"year": YEAR, "text": "proposals"})
    assert page.status_code == 200
    assert "提案办理情况" in page.context["title"]
    texts = ["".join(p.text for p in paragraph) for paragraph in page.context["paragraphs"]]
    assert "教育2件" in texts[1]
    assert texts[2] == "从办理结果看，A类1件（占50.0%），B类1件（占50.0%）。"
    assert texts[3] == "共有1家承办单位参与办理。"
    category_link = next(p for p in page.context["paragraphs"][1] if p.text == "2" and p.url)
    assert f"category={known.category.pk}" in category_link.url
    docx = leader_client.get(reverse("reports:year_export"), {"year": YEAR, "text": "proposals"})
    assert Document(io.BytesIO(docx.content)).paragraphs[3].text == texts[2]


def test_staff_of_another_area_may_not_read_the_report_on_proposals(
    known: Known, staff_of: Any, client_for: Any
) -> None:
    client = client_for(staff_of("public"))
    page = client.get(reverse("reports:year"), {"year": YEAR, "text": "proposals"})
    assert page.status_code == 403

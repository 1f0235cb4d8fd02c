"""The opinion-report endpoints: a member writes, submits and follows a
report; others' reports and other committees' are 404; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lvzhi.api.tests.clients import assert_flat_queries, post_json, queries_of, token_client
from lvzhi.core.testing import assert_same_queries
from lvzhi.opinions.models import Category, Report, ReportEvent
from lvzhi.opinions.tests.conftest import TEXT

pytestmark = pytest.mark.django_db


def test_a_member_writes_submits_and_follows_a_report(committee, member_user) -> None:
    client = token_client(member_user, committee)
    made = post_json(
        client,
        "/api/v1/opinions/drafts",
        {"title": "关于老旧小区加装电梯的建议", "text": TEXT},
        HTTP_IDEMPOTENCY_KEY="r-1",
    )
    assert made.status_code == 200, made.content
    again = post_json(
        client,
        "/api/v1/opinions/drafts",
        {"title": "关于老旧小区加装电梯的建议", "text": TEXT},
        HTTP_IDEMPOTENCY_KEY="r-1",
    )
    assert again.json() == made.json() and Report.objects.count() == 1
    pk = made.json()["id"]
    sent = post_json(client, f"/api/v1/opinions/{pk}/submit")
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert sent.json()["code"]
    detail = client.get(f"/api/v1/opinions/{pk}").json()
    assert [e["action"] for e in detail["history"]][-1] == "submit"
    assert detail["status_label"] and detail["history"][-1]["label"] != "submit"
    mine = client.get("/api/v1/opinions/mine").json()
    assert [r["id"] for r in mine["items"]] == [pk]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": "", "text": TEXT},
        {"title": "长" * 101, "text": TEXT},
        {"title": 7, "text": TEXT},
        {"title": "标题", "text": ""},
        {"title": "标题", "text": TEXT, "colour": "red"},
        {"title": "标题", "text": TEXT, "category_id": "经济"},
    ],
)
def test_bad_input_is_422_and_writes_nothing(committee, member_user, body: dict[str, Any]) -> None:
    response = post_json(token_client(member_user, committee), "/api/v1/opinions/drafts", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    assert not Report.objects.exists()


def test_another_committees_category_and_a_too_long_text_are_refused(
    committee, other_committee, member_user
) -> None:
    foreign = Category.objects.create(committee=other_committee, name="外县类别")
    client = token_client(member_user, committee)
    refused = post_json(
        client,
        "/api/v1/opinions/drafts",
        {"title": "标题", "text": TEXT, "category_id": foreign.pk},
    )
    assert refused.status_code == 422 and refused.json()["code"] == "validation_failed"
    too_long = post_json(client, "/api/v1/opinions/drafts", {"title": "标题", "text": "长" * 1501})
    assert too_long.status_code == 422 and too_long.json()["message"]
    assert not Report.objects.exists()


def test_others_reports_are_404_and_staff_may_not_write(
    committee, member_user, colleague_user, opinions_staff, draft
) -> None:
    report = draft()
    assert (
        token_client(colleague_user, committee).get(f"/api/v1/opinions/{report.pk}").status_code
        == 404
    )
    # Staff see submitted reports, never a member's draft.
    assert (
        token_client(opinions_staff, committee).get(f"/api/v1/opinions/{report.pk}").status_code
        == 404
    )
    staff_write = post_json(
        token_client(opinions_staff, committee),
        "/api/v1/opinions/drafts",
        {"title": "标题", "text": TEXT},
    )
    assert staff_write.status_code == 403
    assert Client().get("/api/v1/opinions/mine").status_code == 401
    submit = post_json(
        token_client(colleague_user, committee), f"/api/v1/opinions/{report.pk}/submit"
    )
    assert submit.status_code == 404
    report.refresh_from_db()
    assert report.status == "draft"


def test_my_list_costs_the_same_queries_for_two_or_six_reports(
    committee, member_user, draft
) -> None:
    client = token_client(member_user, committee, scope="read")
    assert_flat_queries(
        client, "/api/v1/opinions/mine?page_size=4", lambda n: draft(title=f"第{n}篇")
    )


def test_the_detail_costs_the_same_queries_for_a_short_or_a_long_history(
    committee, member_user, draft
) -> None:
    report = draft(title="关于历史的报告")
    client = token_client(member_user, committee, scope="read")
    url = f"/api/v1/opinions/{report.pk}"
    client.get(url)  # the token's first use writes its last-use time once

    def events(count: int) -> None:
        for _ in range(count):
            ReportEvent.objects.create(report=report, action="submit", actor=member_user)

    assert_same_queries(events, lambda: queries_of(client, url), n=2)

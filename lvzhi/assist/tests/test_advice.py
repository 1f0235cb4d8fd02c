"""Similar past proposals, suspected duplicates, suggested units, the draft
check, and the fragments the proposal pages load."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.assist import advice, indexing, training
from lvzhi.assist.checks import check_draft
from lvzhi.assist.evaluation import evaluate_generated
from lvzhi.assist.tests.conftest import SCHOOL, in_past_year
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import World, assigned, registered, submitted

pytestmark = pytest.mark.django_db

ELDERLY = {
    "title": "关于发展居家养老服务的建议",
    "reason": "农村留守老人多，日间照料中心运营困难，助餐助浴等需求难以满足。",
    "suggestions": "一、推行老年助餐服务；二、引入社会力量运营日间照料中心；三、建立探访制度。",
}


def past(world: World, proposal: Proposal, year: int = 2024) -> Proposal:
    """Move a proposal of the world into an earlier session (a past year's history)."""
    return in_past_year(proposal, year)


def words(text: dict[str, str]) -> list[str]:
    return advice.draft_terms(text["title"], text["reason"], text["suggestions"])


def test_the_most_similar_past_proposal_comes_first_with_its_handling(world: World) -> None:
    school = past(world, assigned(world, **SCHOOL))
    past(world, assigned(world, **ELDERLY))
    indexing.rebuild()
    found = advice.similar_past(world.staff, world.committee, words(SCHOOL))
    assert found[0].proposal.pk == school.pk
    assert found[0].lead_units == [world.lead_unit.name]


def test_proposals_of_this_year_are_not_past_history(world: World) -> None:
    assigned(world, **SCHOOL)
    indexing.rebuild()
    assert advice.similar_past(world.staff, world.committee, words(SCHOOL)) == []


def test_similar_proposals_are_scoped_like_the_proposal_pages(world: World) -> None:
    school = past(world, assigned(world, **SCHOOL))
    indexing.rebuild()

    def pks(user: Any) -> list[int]:
        return [s.proposal.pk for s in advice.similar_past(user, world.committee, words(SCHOOL))]

    assert pks(world.proposer_user) == [school.pk]  # their own
    assert pks(world.lead_user) == [school.pk]  # assigned to their unit
    assert pks(world.other_unit_user) == []
    assert pks(world.cosigner2_user) == []  # another member's proposal
    assert advice.similar_past(world.other_staff, world.other_committee, words(SCHOOL)) == []


def test_a_near_copy_filed_this_year_is_a_suspected_duplicate(world: World) -> None:
    first = submitted(world, **SCHOOL)
    copy = submitted(world, actor=world.cosigner_user, **SCHOOL)
    other = submitted(world, **ELDERLY)
    indexing.rebuild()
    assert [d.proposal.pk for d in advice.duplicates_this_year(world.staff, copy)] == [first.pk]
    assert advice.duplicates_this_year(world.staff, other) == []


def test_units_are_suggested_from_past_assignments_with_the_reason(world: World) -> None:
    from lvzhi.proposals import services

    school = past(world, assigned(world, **SCHOOL))
    care = past(world, registered(world, **ELDERLY))
    services.proposal_assign(actor=world.staff, proposal=care, lead=world.other_unit, co_units=[])
    indexing.rebuild()
    assert training.train(world.committee) == 2
    suggested = advice.units_suggested(world.committee, words(SCHOOL))
    assert suggested[0].unit == world.lead_unit
    assert suggested[0].example is not None and suggested[0].example.pk == school.pk
    assert suggested[0].keywords
    assert advice.units_suggested(world.committee, words(ELDERLY))[0].unit == world.other_unit


def test_the_draft_check_names_each_problem_with_its_reason() -> None:
    codes = {f.code for f in check_draft("我家房子", "我父亲的案件审理不公", "希望高度重视")}
    assert {"title", "reason_short", "not_numbered", "vague", "personal", "lawsuit"} <= codes
    good = check_draft(
        "关于加强校园周边交通安全的建议",
        "上下学高峰时段校门口拥堵，接送车辆占道停放，学生过马路存在安全隐患，群众意见较大，"
        "交警警力不足，现有设施难以满足需要，家长和学校多次反映，亟待有关部门研究解决。",
        "一、在学校周边设置限时停车区和即停即走通道；\n二、高峰时段增派交警和志愿者疏导交通；\n"
        "三、施划人行横道、安装减速带和警示标志。",
    )
    assert good == []


def test_assist_evaluate_meets_the_thresholds_on_the_labelled_set() -> None:
    figures = evaluate_generated()
    assert figures.history >= 250 and figures.held_out >= 50
    assert figures.top3 >= 0.85
    assert figures.precision_at_5 is not None and figures.precision_at_5 >= 0.8


# --- The fragments -------------------------------------------------------------------------


def test_the_office_sees_the_duplicate_flag_side_by_side(world: World, client: Client) -> None:
    submitted(world, **SCHOOL)
    copy = submitted(world, actor=world.cosigner_user, **SCHOOL)
    indexing.rebuild()
    client.force_login(world.staff)
    html = client.get(reverse("assist:similar"), {"proposal": copy.pk}).content.decode()
    assert "duplicate-flag" in html
    assert html.count(SCHOOL["title"]) >= 2


def test_a_member_gets_advice_on_the_draft_being_typed(world: World, client: Client) -> None:
    past(world, assigned(world, **SCHOOL))
    indexing.rebuild()
    client.force_login(world.proposer_user)
    response = client.post(reverse("assist:similar"), {**SCHOOL, "title": "学校门口太堵"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "finding-title" in html and SCHOOL["title"] in html


def test_another_committees_proposal_is_not_found(world: World, client: Client) -> None:
    p = submitted(world, **SCHOOL)
    client.force_login(world.other_staff)
    assert client.get(reverse("assist:similar"), {"proposal": p.pk}).status_code in (403, 404)
    client.force_login(world.cosigner2_user)
    assert client.get(reverse("assist:similar"), {"proposal": p.pk}).status_code == 404
    assert client.get(reverse("assist:similar"), {"proposal": "x"}).status_code == 404


def test_only_the_office_gets_unit_suggestions(world: World, client: Client) -> None:
    p = registered(world, **SCHOOL)
    client.force_login(world.proposer_user)
    assert client.get(reverse("assist:units"), {"proposal": p.pk}).status_code == 403
    client.force_login(world.staff)
    assert client.get(reverse("assist:units"), {"proposal": p.pk}).status_code == 200


def test_the_similar_fragment_costs_the_same_queries_for_n_and_3n_history(
    world: World, client: Client
) -> None:
    target = submitted(world, **SCHOOL)
    client.force_login(world.staff)
    client.get(reverse("home"))  # the session's first visit stores its clocks once

    def count(n: int) -> int:
        for _ in range(n):
            past(world, assigned(world, **SCHOOL))
        indexing.rebuild()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("assist:similar"), {"proposal": target.pk}).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(6)


# --- 逐条回应 ---------------------------------------------------------------------------


def test_the_unit_sees_a_suggestion_its_reply_does_not_answer(world: World, client: Client) -> None:
    from lvzhi.assist.coverage import coverage

    p = assigned(world, **SCHOOL)
    a = p.assignments.get(role="lead")
    text = "关于设置限时停车区，我局已完成选址。\n关于增派交警，高峰时段每校安排两名交警疏导交通。"
    assert [pt.answered for pt in coverage(p.suggestions, text)] == [True, True, False]
    client.force_login(world.lead_user)
    html = client.post(reverse("assist:coverage"), {"assignment": a.pk, "text": text}).content
    assert "施划人行横道".encode() in html and b"unanswered-suggestion" in html
    client.force_login(world.other_unit_user)
    assert (
        client.post(reverse("assist:coverage"), {"assignment": a.pk, "text": text}).status_code
        == 403
    )
    client.force_login(world.other_staff)
    assert client.get(reverse("assist:coverage"), {"assignment": a.pk}).status_code in (403, 404)


def test_staff_reviewing_a_reply_see_its_coverage(world: World, client: Client) -> None:
    from lvzhi.proposals.tests.conftest import replied

    p = replied(world, **SCHOOL)
    a = p.assignments.get(role="lead")
    client.force_login(world.staff)
    html = client.get(reverse("assist:coverage"), {"assignment": a.pk}).content.decode()
    assert (
        html.count('class="unanswered-suggestion"') == 3
    )  # the reply "经研究，答复如下……" answers none
    client.force_login(world.proposer_user)
    assert client.get(reverse("assist:coverage"), {"assignment": a.pk}).status_code == 403

"""Assistance in Chromium, as the people who use it (all loaded by htmx): the
proposal office sees the 疑似重复 flag while reviewing a near copy of a
proposal filed this year, and the suggested lead units with their reason at
assignment; a member drafting on a phone sees similar past proposals with how
they were handled; a handling unit writing its reply sees the numbered
suggestion it does not answer yet, until it does."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.assist import indexing, training
from lvzhi.assist.tests.test_advice import ELDERLY, SCHOOL, past
from lvzhi.proposals import services
from lvzhi.proposals.tests.conftest import (
    assigned,
    build_world,
    lead_assignment,
    replied,
    submitted,
)
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def test_staff_see_the_duplicate_flag_and_the_unit_suggestions(
    desktop_page: Any, live_server: Any
) -> None:
    world = build_world("as-browser")
    past(world, assigned(world, **SCHOOL))
    submitted(world, **SCHOOL)
    copy = submitted(world, actor=world.cosigner_user, **SCHOOL)
    indexing.rebuild()
    training.train(world.committee)

    page = desktop_page
    login(page, live_server.url, world.staff.username, PASSWORD)
    page.goto(live_server.url + reverse("proposals:detail", args=[copy.pk]))
    flag = page.locator("#assist-review .duplicate-flag")
    expect(flag).to_be_visible()
    expect(flag).to_contain_text(SCHOOL["title"])
    expect(page.locator("#assist-review #similar-list .similar-item")).to_have_count(1)

    services.proposal_register(actor=world.staff, proposal=copy)
    page.reload()
    suggestion = page.locator("#assist-assign .unit-suggestion").first
    expect(suggestion).to_contain_text(world.lead_unit.name)
    expect(suggestion).to_contain_text(SCHOOL["title"])  # the past proposal it led


def test_a_member_drafting_on_a_phone_sees_similar_past_proposals_and_their_handling(
    phone_page: Any, live_server: Any
) -> None:
    world = build_world("as-phone")
    past(world, replied(world, **SCHOOL))  # the member's own, handled last year
    past(world, assigned(world, **ELDERLY))
    indexing.rebuild()

    page = phone_page
    login(page, live_server.url, world.proposer_user.username, PASSWORD)
    page.goto(live_server.url + reverse("proposals:create"))
    # The fragment loads once for the empty form, then again on each change.
    expect(page.locator("#assist-draft")).to_contain_text("暂无往年相似提案")
    page.fill("#id_title", "关于治理校门口上下学交通拥堵的建议")
    page.fill("#id_reason", "每天上下学高峰，校门口接送家长的车辆乱停乱放，学生过马路有安全隐患。")
    page.fill("#id_suggestions", "一、设置限时停车区；二、增派交警疏导交通。")
    page.locator("#id_suggestions").blur()  # a textarea's change fires when it loses focus

    first = page.locator("#assist-draft #similar-list .similar-item").first
    expect(first).to_contain_text(SCHOOL["title"])
    expect(first).to_contain_text(world.lead_unit.name)  # who handled it
    expect(first).to_contain_text("经研究")  # the start of its reply
    expect(page.locator("#assist-draft #similar-list")).not_to_contain_text(ELDERLY["title"])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    page.screenshot(path=str(SCREENSHOTS / "assist-similar-drafting-phone.png"), full_page=True)


def test_a_unit_sees_the_suggestion_its_reply_does_not_answer_until_it_does(
    desktop_page: Any, live_server: Any
) -> None:
    world = build_world("as-reply")
    proposal = assigned(world, **SCHOOL)
    assignment = lead_assignment(proposal)
    services.assignment_accept(actor=world.lead_user, assignment=assignment)
    services.assignment_precontact(
        actor=world.lead_user,
        assignment=assignment,
        when=timezone.localdate(),
        way="phone",
        summary="电话沟通了办理思路。",
    )

    page = desktop_page
    login(page, live_server.url, world.lead_user.username, PASSWORD)
    page.goto(live_server.url + reverse("proposals:detail", args=[proposal.pk]))
    text = page.locator("#reply-form textarea[name=text]")
    text.fill(
        "我局在学校周边设置限时停车区，已在三所学校试点。\n高峰时段增派交警疏导交通，每日早晚两班。"
    )
    text.blur()
    warning = page.locator("#assist-coverage #unanswered-suggestions")
    expect(warning.locator(".unanswered-suggestion")).to_have_count(1)
    expect(warning).to_contain_text("3. 施划人行横道")
    page.screenshot(path=str(SCREENSHOTS / "assist-reply-unanswered-desktop.png"), full_page=True)

    text.fill(text.input_value() + "\n校门口施划人行横道已于九月完成。")
    text.blur()
    expect(page.locator("#assist-coverage #all-answered")).to_be_visible()
    expect(warning).to_have_count(0)

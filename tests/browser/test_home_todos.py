"""The home page is each role's to-do list (DESIGN §12), in Chromium: a
member on a 390-px phone sees their to-do counts and follows one to its
queue; a handling unit on a desktop sees how many assignments wait to be
signed for and follows the count to the inbox filtered to them; the proposal
office follows its review count to the review queue; a leader follows the
count of the key proposals they supervise to the list of exactly those. (The
government leader's to-do is walked in test_opinions_instruction.py.)"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.proposals import services
from lvzhi.proposals.tests.conftest import (
    assigned,
    build_world,
    draft,
    lead_assignment,
    submitted,
)
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def todo_link(page: Any, section: str, label: str) -> Any:
    return page.locator(f"#todos-{section} a.home-todo", has_text=zh(label))


def test_a_member_on_a_phone_sees_their_todos_and_follows_one(live_server, phone_page):
    world = build_world("todo-b")
    invited = draft(
        world, kind="joint", cosigners=[world.cosigner], title="关于增设社区托育点的建议"
    )
    draft(world, actor=world.cosigner_user, title="关于改善农村饮水的建议")
    page = phone_page
    login(page, live_server.url, world.cosigner_user.username, PASSWORD)
    todos = page.locator("#todos-member")
    expect(todos).to_be_visible()
    cosign = todo_link(page, "member", "Co-sign requests")
    expect(cosign.locator(".todo-count")).to_have_text("1")
    expect(todo_link(page, "member", "Proposal drafts").locator(".todo-count")).to_have_text("1")
    # Nothing waiting is shown muted, still there and still a link.
    replies = todo_link(page, "member", "Replies to evaluate")
    expect(replies.locator(".todo-count")).to_have_text("0")
    expect(replies).to_have_class(re.compile(r"\btodo-muted\b"))
    # The list fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "home-todos-member-phone.png"), full_page=True)
    cosign.click()
    page.wait_for_url("**/proposals/cosign/")
    expect(page.get_by_text(invited.title)).to_be_visible()


def test_a_unit_on_a_desktop_follows_its_count_to_sign_for_to_the_filtered_inbox(
    live_server, desktop_page
):
    world = build_world("todo-u")
    first = assigned(world, title="关于校园周边交通安全的建议")
    second = assigned(world, title="关于农贸市场改造的建议")
    services.assignment_accept(actor=world.lead_user, assignment=lead_assignment(second))
    submitted(world, title="尚未交办的提案")
    page = desktop_page
    login(page, live_server.url, world.lead_user.username, PASSWORD)
    to_sign = todo_link(page, "unit", "Assignments to sign for")
    expect(to_sign.locator(".todo-count")).to_have_text("1")
    page.screenshot(path=str(SCREENSHOTS / "home-todos-unit-desktop.png"))
    to_sign.click()
    page.wait_for_url("**/proposals/unit/?waiting=to_sign")
    rows = page.locator("table.unit-inbox tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(first.title)
    expect(page.locator("#unit-waiting .nav-link.active")).to_have_text(zh("To sign for"))


def test_the_proposal_office_on_a_desktop_follows_its_review_count_to_the_queue(
    live_server, desktop_page
):
    world = build_world("todo-s")
    waiting = submitted(world, title="关于加快城区停车场建设的建议")
    draft(world, title="仍是草稿的提案")
    page = desktop_page
    login(page, live_server.url, world.staff.username, PASSWORD)
    review = todo_link(page, "staff", "Proposals waiting for review")
    expect(review.locator(".todo-count")).to_have_text("1")
    page.screenshot(path=str(SCREENSHOTS / "home-todos-staff-desktop.png"))
    review.click()
    page.wait_for_url("**/proposals/review/")
    expect(page.get_by_text(waiting.title)).to_be_visible()
    expect(page.get_by_text("仍是草稿的提案")).to_have_count(0)


def test_a_leader_on_a_desktop_follows_the_key_proposals_they_supervise(live_server, desktop_page):
    world = build_world("todo-l")
    key = assigned(world, title="关于推进老旧小区改造的建议")
    services.proposal_mark_key(actor=world.leader, proposal=key, supervisor=world.leader)
    assigned(world, title="并非重点的提案")
    page = desktop_page
    login(page, live_server.url, world.leader.username, PASSWORD)
    supervised = todo_link(page, "leader", "Key proposals I supervise")
    expect(supervised.locator(".todo-count")).to_have_text("1")
    page.screenshot(path=str(SCREENSHOTS / "home-todos-leader-desktop.png"))
    supervised.click()
    page.wait_for_url("**/proposals/?*")
    expect(page.get_by_text(key.title)).to_be_visible()
    expect(page.get_by_text("并非重点的提案")).to_have_count(0)

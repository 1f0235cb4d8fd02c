"""One proposal through the whole 提、立、办、督、评 chain in Chromium, as the
people who do it: the member on a phone drafts a joint proposal, the
co-signer confirms on a phone, the proposal office registers and assigns it
on a desktop, the co-unit sends its opinion, the lead unit accepts, contacts
the proposer and replies with a signed letter, a leader marks it key and
sends a supervision note, the member is dissatisfied, the unit handles it
again, the member is satisfied and the office closes it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.core.models import Attachment, AuditEvent
from lvzhi.proposals.models import Proposal, ProposalEvent
from lvzhi.proposals.tests.conftest import World, build_world
from tests.browser.conftest import CONTEXT_DEFAULTS, DESKTOP, PHONE, TIMEOUT_MS, login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))
PHONE_WIDTH = 390


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


class People:
    """One browser context per person, opened on first use."""

    def __init__(self, browser: Any, live_server: Any, world: World) -> None:
        self.browser, self.live_server, self.world = browser, live_server, world
        self.contexts: list[Any] = []
        self.pages: dict[str, Any] = {}

    def page(self, user: Any, *, phone: bool = False) -> Any:
        if user.username not in self.pages:
            context = self.browser.new_context(**CONTEXT_DEFAULTS, **(PHONE if phone else DESKTOP))
            context.set_default_timeout(TIMEOUT_MS)
            self.contexts.append(context)
            page = context.new_page()
            login(page, self.live_server.url, user.username, PASSWORD)
            self.pages[user.username] = page
        return self.pages[user.username]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser: Any, live_server: Any) -> Iterator[People]:
    world = build_world("browser")
    crowd = People(browser, live_server, world)
    yield crowd
    crowd.close()


def go(page: Any, people: People, name: str, *args: Any) -> None:
    page.goto(people.live_server.url + reverse(name, args=args))


def post_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def status_of(proposal: Proposal) -> str:
    proposal.refresh_from_db()
    return proposal.status


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"proposals-{name}.png"), full_page=True)


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_one_proposal_through_the_whole_chain(people: People, tmp_path: Path) -> None:
    w = people.world
    # 提 — the member drafts a joint proposal on a phone and invites a co-signer.
    member = people.page(w.proposer_user, phone=True)
    go(member, people, "proposals:mine")
    no_sideways_scroll(member)
    post_and_wait(member, "#new-proposal")
    member.fill("#id_title", "关于加强校园周边交通安全管理的建议")
    member.select_option("#id_category", label="社会建设")
    member.select_option("#id_kind", value="joint")
    member.fill("#id_reason", "上下学高峰时段校门口车辆拥堵，学生安全隐患突出。")
    member.fill("#id_suggestions", "一、设置临时停车区；二、高峰时段增派警力和志愿者。")
    member.select_option("#id_cosigners", value=str(w.cosigner.pk))
    no_sideways_scroll(member)
    shot(member, "phone-draft")
    post_and_wait(member, "#save-draft")
    proposal = Proposal.objects.get(title="关于加强校园周边交通安全管理的建议")
    assert proposal.status == Proposal.Status.DRAFT
    # Submitting before the co-signer answered is refused with a message.
    post_and_wait(member, "#submit-proposal")
    expect(member.locator(".alert-danger, .alert-error").first).to_be_visible()
    assert status_of(proposal) == Proposal.Status.DRAFT

    # The co-signer confirms on a phone.
    cosigner = people.page(w.cosigner_user, phone=True)
    go(cosigner, people, "proposals:cosign_inbox")
    expect(cosigner.get_by_text(proposal.title)).to_be_visible()
    post_and_wait(cosigner, "button[name=answer][value=confirm]")

    go(member, people, "proposals:detail", proposal.pk)
    post_and_wait(member, "#submit-proposal")
    assert status_of(proposal) == Proposal.Status.SUBMITTED
    expect(member.locator("#proposal-status")).to_contain_text(zh("submitted"))

    # 立 — the proposal office registers it from the review queue and assigns it.
    office = people.page(w.staff)
    go(office, people, "proposals:review")
    with office.expect_navigation():
        office.get_by_role("link", name=proposal.title).click()
    post_and_wait(office, "#register-proposal")
    expect(office.locator("#proposal-number")).to_contain_text("第0001号")
    office.select_option("#assign-form #id_lead", value=str(w.lead_unit.pk))
    office.select_option("#assign-form #id_co_units", value=str(w.co_unit.pk))
    post_and_wait(office, "#assign-form button[type=submit]")
    assert status_of(proposal) == Proposal.Status.ASSIGNED
    shot(office, "desktop-office-detail")

    # 办 — the co-unit sends its opinion; the lead unit accepts, contacts, replies.
    co_unit = people.page(w.co_user)
    go(co_unit, people, "proposals:unit_inbox")
    with co_unit.expect_navigation():
        co_unit.get_by_role("link", name=proposal.title).click()
    co_unit.fill("#opinion-form #id_text", "同意主办单位意见，财政局将安排专项经费。")
    post_and_wait(co_unit, "#opinion-form button[type=submit]")

    unit = people.page(w.lead_user)
    go(unit, people, "proposals:unit_inbox")
    expect(unit.locator(".deadline-mark").first).to_be_visible()
    shot(unit, "desktop-unit-inbox")
    with unit.expect_navigation():
        unit.get_by_role("link", name=proposal.title).click()
    expect(unit.get_by_text("同意主办单位意见")).to_be_visible()
    post_and_wait(unit, "[id^=accept-]")
    assert status_of(proposal) == Proposal.Status.IN_HANDLING
    unit.fill("#precontact-form #id_summary", "电话联系提案人，交流了办理思路。")
    unit.select_option("#precontact-form #id_way", value="phone")
    post_and_wait(unit, "#precontact-form button[type=submit]")
    letter = tmp_path / "答复函.pdf"
    letter.write_bytes(b"%PDF-1.4\n% signed reply letter\n" + b"0" * 200)
    unit.fill("#reply-form #id_text", "经研究，我局将会同公安交警部门设置临时停车区。")
    unit.select_option("#reply-form #id_reply_class", value="B")
    unit.locator("#reply-form #id_letter").set_input_files(str(letter))
    post_and_wait(unit, "#reply-form button[type=submit]")
    assert status_of(proposal) == Proposal.Status.REPLIED
    assert Attachment.objects.filter(purpose="reply_letter").exists()

    # 督 — a leader marks it key, names the supervising leader, sends a note.
    leader = people.page(w.leader)
    go(leader, people, "proposals:supervision")
    go(leader, people, "proposals:detail", proposal.pk)
    leader.select_option("#key-form #id_supervisor", value=str(w.leader.pk))
    leader.select_option("#key-form #id_is_key", value="1")
    post_and_wait(leader, "#key-form button[type=submit]")
    leader.fill("#supervise-form #id_text", "请继续跟踪落实情况。")
    post_and_wait(leader, "#supervise-form button[type=submit]")
    proposal.refresh_from_db()
    assert proposal.is_key and proposal.supervisor == w.leader

    # 评 — the member is dissatisfied: back to the unit for re-handling.
    go(member, people, "proposals:detail", proposal.pk)
    member.locator("#evaluate-form input[name=contact][value=satisfied]").check()
    member.locator("#evaluate-form input[name=attitude][value=basic]").check()
    member.locator("#evaluate-form input[name=result][value=dissatisfied]").check()
    member.fill("#evaluate-form #id_comments", "未明确完成时限。")
    no_sideways_scroll(member)
    shot(member, "phone-evaluate")
    post_and_wait(member, "#evaluate-form button[type=submit]")
    assert status_of(proposal) == Proposal.Status.REHANDLING

    go(unit, people, "proposals:detail", proposal.pk)
    unit.fill("#reply-form #id_text", "补充答复：临时停车区将于下月底前建成。")
    unit.select_option("#reply-form #id_reply_class", value="A")
    post_and_wait(unit, "#reply-form button[type=submit]")
    assert status_of(proposal) == Proposal.Status.REPLIED

    go(member, people, "proposals:detail", proposal.pk)
    for name in ("contact", "attitude", "result"):
        member.locator(f"#evaluate-form input[name={name}][value=satisfied]").check()
    post_and_wait(member, "#evaluate-form button[type=submit]")
    assert status_of(proposal) == Proposal.Status.EVALUATED

    go(office, people, "proposals:detail", proposal.pk)
    post_and_wait(office, "#close-proposal")
    assert status_of(proposal) == Proposal.Status.CLOSED
    shot(office, "desktop-closed")

    actions = list(
        ProposalEvent.objects.filter(proposal=proposal)
        .order_by("id")
        .values_list("action", flat=True)
    )
    for expected in (
        "create",
        "cosign_answer",
        "submit",
        "register",
        "assign",
        "co_opinion",
        "accept",
        "precontact",
        "reply",
        "mark_key",
        "supervise",
        "evaluate_dissatisfied",
        "evaluate",
        "close",
    ):
        assert expected in actions
    assert actions.count("reply") == 2
    assert AuditEvent.objects.filter(action="proposal.close", object_id=str(proposal.pk)).exists()
    # The member sees the whole timeline on the phone.
    go(member, people, "proposals:detail", proposal.pk)
    expect(member.locator("#timeline .timeline-item")).to_have_count(len(actions))
    no_sideways_scroll(member)
    shot(member, "phone-timeline")

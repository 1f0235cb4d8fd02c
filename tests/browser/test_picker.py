"""The people picker on a phone (DESIGN §12): a member drafting a joint
proposal on a 390×844 screen types part of a name into the co-signer
picker, picks the person with the keyboard, adds a whole sector at once and
saves; the chosen co-signers are the ones saved. The page stays within the
screen's width, the CSP (no inline script or style) refuses nothing and
axe-core finds no serious violation on the picker."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.core.tests.test_widgets import Groups
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import build_world
from tests.browser.conftest import login
from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE_WIDTH = 390
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def test_a_member_picks_co_signers_by_name_and_by_sector_on_a_phone(
    live_server: Any, phone_page: Any
) -> None:
    world = build_world("picker")
    g = Groups(world.committee)
    teachers = [
        g.member(name, g.education, term=world.term) for name in ("陈老师", "周老师", "吴老师")
    ]
    g.member("郑经济", g.economy, term=world.term)  # not picked: stays out
    page = phone_page
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    login(page, live_server.url, world.proposer_user.username, PASSWORD)
    page.goto(live_server.url + reverse("proposals:create"))
    page.fill("#id_title", "关于完善社区养老服务设施的建议")
    page.select_option("#id_category", label="社会建设")
    page.select_option("#id_kind", value="joint")
    page.fill("#id_reason", "老龄人口增长，社区养老设施不足。")

    # Type part of a name; the list narrows to it; Enter picks it.
    search = page.locator("#id_cosigners-ts-control")
    expect(search).to_have_attribute("placeholder", zh("Type a name to search"))
    search.click()
    search.type("附议")
    options = page.locator(".ts-dropdown .option")
    expect(options).to_have_count(2)  # 王附议, 张附议
    expect(options.first).to_contain_text("王附议")
    search.press("Enter")
    search.press("Escape")
    chosen = page.locator(".ts-control .item")
    expect(chosen).to_have_count(1)
    expect(chosen.first).to_contain_text("王附议")
    remove = chosen.first.locator(".remove")
    expect(remove).to_have_attribute("aria-label", re.compile(f"^{zh('Remove')} 王附议"))

    # Add the whole 教育界 sector under the picker.
    bulk = page.get_by_label(zh("Add by sector, special committee or studio"))
    bulk.select_option(label="教育界")
    page.get_by_role("button", name=zh("Add"), exact=True).click()
    expect(chosen).to_have_count(4)
    expect(page.locator(".picker-bulk [role=status]")).to_contain_text("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    problems = axe_violations(page)
    assert not problems, problems
    page.screenshot(path=str(SCREENSHOTS / "picker-phone.png"), full_page=True)

    with page.expect_navigation():
        page.locator("#save-draft").click()
    proposal = Proposal.objects.get(title="关于完善社区养老服务设施的建议")
    saved = set(proposal.cosigners.values_list("member_id", flat=True))
    assert saved == {world.cosigner.pk, *(t.pk for t in teachers)}
    assert not refused, refused

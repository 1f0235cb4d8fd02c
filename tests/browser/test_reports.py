"""The reports in Chromium: the leader's 驾驶舱 on a desktop draws its charts
with the tables beside them; a member's 履职画像 on a 390-px phone does too.
Screenshots are kept under LVZHI_SCREENSHOTS (the temporary directory by default)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lvzhi.accounts.models import Role
from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.org.models import Committee, Member
from lvzhi.reports.tests.conftest import YEAR, Known, build_known
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def known(committee: Committee, other_committee: Committee, member: Member) -> Known:
    return build_known(committee, other_committee, member)


SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def charts_drawn(page: Any, table_key: str) -> None:
    chart = page.locator(f'.report-chart[data-chart="{table_key}"] canvas')
    expect(chart.first).to_be_visible()
    expect(page.locator(f'[id="table-{table_key}"]')).to_be_visible()


def test_the_leader_sees_the_cockpit_with_charts_and_tables(
    live_server: Any, desktop_page: Any, known: Any, make_user: Any
) -> None:
    leader = make_user(Role.LEADER, known.committee, username="leader-browser")
    page = desktop_page
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    login(page, live_server.url, leader.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}?year={YEAR}")
    charts_drawn(page, "proposals.by_category")
    # The tooltip styles itself from script: the policy (no inline styles) must allow it.
    page.locator('.report-chart[data-chart="proposals.by_category"] canvas').first.hover()
    assert not refused, refused
    expect(page.locator("#figure-proposals-received a")).to_have_text("4")
    page.screenshot(path=str(SCREENSHOTS / "reports-leader-desktop.png"), full_page=True)
    page.goto(f"{live_server.url}{reverse('reports:section', args=['proposals'])}?year={YEAR}")
    charts_drawn(page, "proposals.trend")
    page.screenshot(path=str(SCREENSHOTS / "reports-proposals-desktop.png"), full_page=True)


def test_a_member_sees_their_profile_on_a_phone(
    live_server: Any, phone_page: Any, known: Any
) -> None:
    page = phone_page
    login(page, live_server.url, known.member.person.user.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('reports:me')}?year={YEAR}")
    charts_drawn(page, "me.categories")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the profile scrolls sideways on a phone"
    page.screenshot(path=str(SCREENSHOTS / "reports-member-phone.png"), full_page=True)

"""The sector convener's day on a phone (界别召集人, DESIGN §12), in Chromium:
the demo convener logs in, follows the home's to-do to the sector page, sees
the members below the year's line and records a talk with one of them; the
talk then shows on that member's line and in the list of talks."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from lvzhi.core.web import this_year
from lvzhi.org import demo as org_demo
from lvzhi.org.models import Committee
from lvzhi.points import demo as points_demo
from lvzhi.points import services
from lvzhi.points.models import Policy, TalkRecord
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))
DEMO_PASSWORD = "Demo-2026!"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def seed() -> None:
    """The demo's committees and logins and its points policies (the whole
    demo is not needed); this year's policy made if the demo has none, so
    members without duties this year are below the line."""
    out = io.StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        org_demo.seed(stdout=out)
    points_demo.seed(stdout=out)
    city = Committee.objects.get(code="demo-city")
    year = this_year()
    if not Policy.objects.filter(committee=city, year=year, status=Policy.Status.ACTIVE).exists():
        policy = services.policy_create_default(committee=city, year=year, actor=None)
        services.policy_activate(policy=policy, actor=None)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_the_demo_convener_records_a_talk_on_a_phone(live_server, phone_page):
    seed()
    page = phone_page
    login(page, live_server.url, "convener", DEMO_PASSWORD)
    todo = page.locator("#todos-member a.home-todo", has_text=zh("Below the line, no talk yet"))
    expect(todo).to_be_visible()
    waiting = int(todo.locator(".todo-count").inner_text())
    assert waiting > 0
    todo.click()
    page.wait_for_url(re.compile(r"/points/sectors/\d+/"))
    expect(page.locator("h1")).to_contain_text("教育界")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The convener herself is below the line too; staff, not she, talk to her.
    first = page.locator("#below li.below-member:has(a.record-talk)").first
    name = first.locator("strong").inner_text()
    member_pk = first.get_attribute("data-member")
    expect(first.locator(".talk-status")).to_have_text(zh("No talk recorded yet."))
    page.screenshot(path=str(SCREENSHOTS / "convener-sector-phone.png"), full_page=True)
    first.locator("a.record-talk").click()
    page.wait_for_url(re.compile(r"/talk/"))
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_summary", "了解到今年工作调动，参加活动较少。")
    page.fill("#id_next_step", "下季度至少参加一次界别调研，召集人月底回访。")
    with page.expect_navigation():
        page.locator("#talk-form button[type=submit]").click()
    line = page.locator(f"#below li.below-member[data-member='{member_pk}']")
    expect(line.locator(".talk-status")).to_contain_text("召集人月底回访")
    expect(page.locator("#talks li.talk-record").first).to_contain_text(name)
    talk = TalkRecord.objects.get()
    assert talk.member.pk == int(member_pk) and talk.created_by.username == "convener"
    page.goto(live_server.url + "/")
    after = page.locator("#todos-member a.home-todo", has_text=zh("Below the line, no talk yet"))
    expect(after.locator(".todo-count")).to_have_text(str(waiting - 1))

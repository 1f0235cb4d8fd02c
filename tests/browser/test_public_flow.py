"""码上商 in Chromium: a citizen on a phone opens a studio's QR page, sends a
message and gets a code; staff reply and convert the message into a
consultation topic (群众出题) on a desktop; the citizen sees the reply and the
conversion on the tracking page and rates the reply. (The lead adds the
consultation-topic conversion once the consultations app is merged.)"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.consultations.models import Topic, TopicSource
from lvzhi.org.tests.factories import (
    CommitteeFactory,
    MemberFactory,
    PersonFactory,
    StudioFactory,
)
from lvzhi.public.models import Message, Venue
from lvzhi.public.tests.factories import VenueFactory
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))
PHONE_WIDTH = 390


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture
def setting() -> dict[str, Any]:
    committee = CommitteeFactory(
        name="浏览器市政协", short_name="浏览器市政协", code="browser-city"
    )
    studio = StudioFactory(
        committee=committee,
        name="社区治理委员工作室",
        theme="老旧小区改造和社区议事",
        opening_hours="每周三 9:00—11:30",
    )
    lead = MemberFactory(committee=committee, person=PersonFactory(name="林知远"))
    studio.members.add(lead)
    studio.lead = lead
    studio.save(update_fields=["lead"])
    venue = VenueFactory(committee=committee, studio=studio)
    staff = UserFactory(username="browser_public_staff")
    RoleAssignmentFactory(user=staff, committee=committee, role=Role.STAFF, area=Area.PUBLIC)
    return {"venue": venue, "staff": staff, "lead": lead}


def test_a_citizen_sends_a_message_staff_reply_and_convert_and_the_citizen_rates(
    live_server: Any, phone_page: Any, desktop_page: Any, setting: dict[str, Any]
) -> None:
    venue: Venue = setting["venue"]
    phone = phone_page

    # 1. The citizen scans the QR code: the studio's public page, no login.
    phone.goto(live_server.url + reverse("public:venue_page", args=[venue.code]))
    expect(phone.locator("#venue-name")).to_have_text("社区治理委员工作室")
    expect(phone.get_by_text("林知远").first).to_be_visible()
    expect(phone.locator("#id_consent")).not_to_be_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    phone.screenshot(path=str(SCREENSHOTS / "public-venue-phone.png"), full_page=True)

    phone.select_option("#id_category", "suggestion")
    phone.fill("#id_text", "小区东门路灯坏了三个月，晚上出行不安全，希望尽快修复。")
    phone.fill("#id_name", "赵女士")
    phone.fill("#id_mobile", "13900001234")  # consent left unticked: asked again
    with phone.expect_navigation():
        phone.locator("#send-button").click()
    expect(phone.locator("#consent-error")).to_be_visible()
    expect(phone.locator("#id_mobile")).to_have_value("13900001234")
    expect(phone.locator("#id_text")).to_have_value(
        "小区东门路灯坏了三个月，晚上出行不安全，希望尽快修复。"
    )
    phone.fill("#id_mobile", "")  # she decides not to leave her number
    with phone.expect_navigation():
        phone.locator("#send-button").click()
    expect(phone.locator("#received")).to_be_visible()
    code = phone.locator("#tracking-code").inner_text().strip()
    assert len(code.replace("-", "")) == 16
    tracking_url = phone.url.split("?")[0]
    phone.screenshot(path=str(SCREENSHOTS / "public-code-phone.png"), full_page=True)
    message = Message.objects.get()
    assert message.mobile_encrypted == ""

    # 2. Staff reply publicly and convert the message into a consultation topic
    #    (群众出题), as the walk-through asks.
    desk = desktop_page
    login(desk, live_server.url, "browser_public_staff", PASSWORD)
    desk.goto(live_server.url + reverse("public:inbox"))
    desk.get_by_role("link", name="小区东门路灯坏了").first.click()
    desk.fill("#id_text", "您好，已联系物业和社区，路灯将在本周内修复。")
    desk.check("#id_public")
    with desk.expect_navigation():
        desk.locator("#reply-button").click()
    expect(desk.locator("#reply-text")).to_contain_text("路灯将在本周内修复")
    with desk.expect_navigation():
        desk.locator("#convert-button").click()
    desk.select_option("#id_kind", "consultation_topic")
    desk.fill("#id_title", "老旧小区夜间照明改善")
    with desk.expect_navigation():
        desk.locator("#convert-submit").click()
    expect(desk.locator("#conversion-list")).to_contain_text("老旧小区夜间照明改善")
    desk.screenshot(path=str(SCREENSHOTS / "public-message-staff.png"), full_page=True)
    topic = Topic.objects.get()
    assert topic.source == TopicSource.PUBLIC
    assert topic.title == "老旧小区夜间照明改善"

    # 3. Later the citizen opens the code again: reply and conversion shown; they rate.
    phone.goto(live_server.url + reverse("public:track_lookup"))
    phone.fill("#id_code", code.lower())
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").first.click()
    assert phone.url.split("?")[0].rstrip("/").endswith(code.replace("-", "").rstrip("/")) or (
        phone.url.split("?")[0] == tracking_url
    )
    expect(phone.locator("#reply-text")).to_contain_text("路灯将在本周内修复")
    expect(phone.locator("#conversions")).to_contain_text("老旧小区夜间照明改善")
    expect(phone.locator(".conversion-label")).to_have_text(zh("Became a consultation topic"))
    phone.check("#rating-satisfied")
    phone.fill("#id_comment", "处理很及时")
    with phone.expect_navigation():
        phone.locator("#rate-button").click()
    expect(phone.locator("#rating-done")).to_contain_text("处理很及时")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    phone.screenshot(path=str(SCREENSHOTS / "public-track-phone.png"), full_page=True)
    message.refresh_from_db()
    assert message.rating == Message.Rating.SATISFIED

    # The reply was public: it is on the venue's page now.
    phone.goto(live_server.url + reverse("public:venue_page", args=[venue.code]))
    expect(phone.locator(".public-reply").first).to_contain_text("路灯将在本周内修复")

    # 4. The QR poster prints the venue's name with an SVG code.
    desk.goto(live_server.url + reverse("public:poster", args=[venue.pk]))
    expect(desk.locator("#poster h1")).to_have_text("社区治理委员工作室")
    expect(desk.locator("#poster svg")).to_be_visible()
    desk.screenshot(path=str(SCREENSHOTS / "public-poster.png"), full_page=True)

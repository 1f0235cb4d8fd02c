"""Duty activities in Chromium, as the people who use them: staff publish an
activity on a desktop; members on phones sign up or ask for leave; staff
approve the leave; a member checks in through the rotating QR code; staff
close the activity; the member's score and required-duty progress move on
their points page; staff publish a quarterly bulletin."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.duties.models import Activity, Invitation
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.tests.factories import CommitteeFactory, SectorFactory
from lvzhi.points import services as points
from lvzhi.points.models import Bulletin
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def url(live_server: Any, name: str, *args: Any) -> str:
    return live_server.url + reverse(name, args=args)


def test_activity_from_publishing_to_scores_and_bulletin(
    live_server: Any, browser: Any, desktop_page: Any, phone_page: Any
) -> None:
    committee = CommitteeFactory(
        name="浏览器市政协", short_name="浏览器市政协", code="browser-city"
    )
    sector = SectorFactory(committee=committee, name="科技界")
    alice = make_member(committee, username="alice", sector=sector)
    bob = make_member(committee, username="bob", sector=sector)
    staff = UserFactory(username="duty_staff", display_name="履职工作人员")
    RoleAssignmentFactory(user=staff, committee=committee, role=Role.STAFF, area=Area.DUTIES)
    year = timezone.localdate().year
    policy = points.policy_create_default(committee=committee, year=year, actor=None)
    points.policy_activate(policy=policy, actor=None)

    # Staff publish an activity that is under way (so its QR code works).
    page = desktop_page
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server.url, "duty_staff", PASSWORD)
    page.goto(url(live_server, "duties:activity_create"))
    start = timezone.localtime() - dt.timedelta(minutes=5)
    page.select_option("#id_kind", "research")
    page.fill("#id_title", "浏览器专题调研")
    page.fill("#id_start_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_end_at", (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "政协三楼会议室")
    page.select_option("#id_scope", "all")
    page.locator("main form button[type=submit]").first.click()
    page.locator("#publish").click()
    expect(page.locator("#count-invited")).to_have_text("2")
    activity = Activity.objects.get(title="浏览器专题调研")
    assert activity.state == Activity.State.PUBLISHED

    # Alice signs up on her phone.
    phone = phone_page
    login(phone, live_server.url, "alice", PASSWORD)
    phone.goto(url(live_server, "duties:my_duties"))
    phone.locator("#upcoming a", has_text="浏览器专题调研").click()
    phone.locator("#sign-up").click()
    expect(phone.locator(".state-signed_up")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "duties-invitation-phone.png"), full_page=True)

    # Bob asks for leave on another phone.
    bob_context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    bob_page = bob_context.new_page()
    login(bob_page, live_server.url, "bob", PASSWORD)
    bob_page.goto(url(live_server, "duties:activity_detail", activity.pk))
    bob_page.locator("#ask-leave").click()
    bob_page.fill("#id_reason", "外地出差")
    bob_page.locator("main form button[type=submit]").first.click()
    expect(bob_page.locator(".state-leave_requested")).to_be_visible()

    # Staff approve the leave.
    page.goto(url(live_server, "duties:leave_list"))
    expect(page.locator("body")).to_contain_text("外地出差")
    page.locator("button[name=decision][value=approve]").first.click()
    assert Invitation.objects.get(member=bob).state == Invitation.State.LEAVE_APPROVED

    # The QR page at the venue; Alice opens the URL the code encodes.
    page.goto(url(live_server, "duties:activity_qr", activity.pk))
    expect(page.locator("#qr-image")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "duties-qr-desktop.png"), full_page=True)
    checkin_url = page.locator("#qr-image").get_attribute("data-url")
    assert checkin_url and "/duties/checkin/" in checkin_url
    phone.goto(url(live_server, "points:my_points") + f"?year={year}")
    expect(phone.locator("#my-score")).to_have_text("0.00")
    expect(phone.locator("#requirements")).to_contain_text("0/6")
    phone.goto(checkin_url)
    phone.locator("#checkin-confirm").click()
    expect(phone.locator("#checkin-ok")).to_be_visible()
    phone.goto(checkin_url)
    phone.locator("#checkin-confirm").click()
    expect(phone.locator("#checkin-error")).to_be_visible()  # a second scan changes nothing

    # Staff close the activity: Alice attended, Bob is excused.
    page.goto(url(live_server, "duties:activity_detail", activity.pk))
    page.locator("#close").click()
    expect(page.locator("#count-attended")).to_have_text("1")
    states = dict(Invitation.objects.filter(activity=activity).values_list("member_id", "state"))
    assert states == {alice.pk: "attended", bob.pk: "excused"}

    # Alice's score and "六个一" progress moved; Bob's did not.
    phone.goto(url(live_server, "points:my_points") + f"?year={year}")
    expect(phone.locator("#my-score")).to_have_text("2.00")
    expect(phone.locator("#requirements")).to_contain_text("1/6")
    expect(phone.locator("#my-rank")).to_have_text("1")
    phone.screenshot(path=str(SCREENSHOTS / "points-mine-phone.png"), full_page=True)
    bob_page.goto(url(live_server, "points:my_points") + f"?year={year}")
    expect(bob_page.locator("#my-score")).to_have_text("0.00")
    bob_context.close()

    # Staff generate, review and publish the quarter's bulletin.
    page.goto(url(live_server, "points:bulletin_list"))
    page.locator("#generate").click()
    expect(page.locator("body")).to_contain_text("科技界")
    page.fill("#b-note", "请各界别督促委员履职。")
    page.locator("#publish-bulletin").click()
    expect(page.locator("#bulletin-state.text-bg-success")).to_be_visible()
    assert Bulletin.objects.get(committee=committee).state == Bulletin.State.PUBLISHED
    page.screenshot(path=str(SCREENSHOTS / "points-bulletin-desktop.png"), full_page=True)

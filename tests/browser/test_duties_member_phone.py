"""A member on a 390-px phone browses the activities open to them, signs up
for nothing yet, asks leave from one and withdraws the request again; staff
on a desktop correct an absence after the activity closed, and the member
sees the corrected attendance (issue 12)."""

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
from lvzhi.duties import services
from lvzhi.duties.models import Invitation
from lvzhi.duties.tests.factories import make_activity, make_member
from lvzhi.org.tests.factories import CommitteeFactory, SectorFactory
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def url(live_server: Any, name: str, *args: Any) -> str:
    return live_server.url + reverse(name, args=args)


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390-px phone"


def test_member_browses_open_activities_and_withdraws_leave_on_a_phone(
    live_server: Any, phone_page: Any, desktop_page: Any
) -> None:
    committee = CommitteeFactory(name="手机市政协", short_name="手机市政协", code="phone-city")
    sector = SectorFactory(committee=committee, name="教育界")
    alice = make_member(committee, username="alice", sector=sector)
    staff = UserFactory(username="duty_staff", display_name="履职工作人员")
    RoleAssignmentFactory(user=staff, committee=committee, role=Role.STAFF, area=Area.DUTIES)
    later = timezone.now() + dt.timedelta(days=5)
    open_one = make_activity(
        committee,
        staff,
        title="乡村学校走访调研",
        start_at=later,
        end_at=later + dt.timedelta(hours=3),
        capacity=20,
    )
    past = make_activity(committee, staff, title="已结束的视察")
    services.activity_close(activity=past, actor=staff)

    phone = phone_page
    phone.on("dialog", lambda dialog: dialog.accept())
    login(phone, live_server.url, "alice", PASSWORD)
    phone.goto(url(live_server, "duties:my_duties"))
    phone.locator("#open-activities-link").click()
    expect(phone.locator(f"#open-{open_one.pk}")).to_be_visible()
    expect(phone.locator(f"#open-{past.pk}")).to_have_count(0)
    no_sideways_scroll(phone)
    phone.screenshot(path=str(SCREENSHOTS / "duties-open-activities-phone.png"), full_page=True)

    # Ask for leave: the page names the activity.
    phone.locator(f"#open-{open_one.pk}").click()
    phone.locator("#ask-leave").click()
    expect(phone.locator("h1")).to_contain_text("乡村学校走访调研")
    phone.fill("#id_reason", "学校期末考试")
    phone.locator("main form button[type=submit]").first.click()
    expect(phone.locator(".state-leave_requested")).to_be_visible()
    no_sideways_scroll(phone)

    # Withdraw it again: invited once more, free to sign up.
    phone.locator("#withdraw-leave").click()
    expect(phone.locator(".state-invited")).to_be_visible()
    expect(phone.locator("#sign-up")).to_be_visible()
    invitation = Invitation.objects.get(activity=open_one, member=alice)
    assert (invitation.state, invitation.leave_reason) == (Invitation.State.INVITED, "")

    # Staff correct her absence from the closed activity on a desktop.
    page = desktop_page
    login(page, live_server.url, "duty_staff", PASSWORD)
    page.goto(url(live_server, "duties:activity_detail", past.pk))
    page.locator(f"#inv-{alice.pk} .correct-link").click()
    page.select_option("#id_outcome", Invitation.State.ATTENDED)
    page.fill("#id_reason", "纸质签到表补录")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(f"#inv-{alice.pk} .state-attended")).to_be_visible()
    expect(page.locator(f"#inv-{alice.pk} .corrected-from")).to_be_visible()
    page.locator("#sheet-link").click()
    expect(page.locator(f"#sheet-{alice.pk}")).to_be_visible()

    # The member sees the corrected attendance among her past activities.
    phone.goto(url(live_server, "duties:my_duties"))
    expect(phone.locator(".state-attended")).to_be_visible()
    no_sideways_scroll(phone)

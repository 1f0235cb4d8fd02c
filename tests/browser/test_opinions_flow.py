"""Public-opinion reports in Chromium, as the people who handle them: a member
writes and submits a report on a phone; office staff on a desktop take it
into editing, change the text, publish it in an issue and record a national
adoption; the member sees the adoption and the duty records it earned."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.opinions.models import Issue, Level, Report, ReportStatus
from lvzhi.org.tests.factories import (
    CommitteeFactory,
    MemberFactory,
    PersonFactory,
    SectorFactory,
    TermFactory,
)
from lvzhi.points import services as points_services
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))
PHONE_WIDTH = 390
TITLE = "关于缓解学校周边早晚高峰拥堵的建议"
TEXT = (
    "近期不少家长反映，城区多所中小学周边早晚高峰拥堵严重，存在安全隐患。"
    "建议：一是错峰上下学；二是设置临时停车接送区；三是加强交警和志愿者疏导。"
)


def zh(message: str, **params: Any) -> str:
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % params if params else text


def url(live_server: Any, name: str, *args: Any) -> str:
    return live_server.url + reverse(name, args=args)


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_report_goes_from_a_phone_to_a_national_adoption_the_member_then_sees(
    live_server, phone_page, desktop_page
):
    city = CommitteeFactory(name="示例市政协", short_name="示例市政协", code="op-city")
    term = TermFactory(committee=city, number=15, name="第十五届", is_current=True)
    sector = SectorFactory(committee=city, name="教育界")
    user = UserFactory(username="op-member", display_name="林思远")
    MemberFactory(
        committee=city, term=term, sector=sector, person=PersonFactory(name="林思远", user=user)
    )
    staff = UserFactory(username="op-staff", display_name="信息处干部")
    RoleAssignmentFactory(user=staff, committee=city, role=Role.STAFF, area=Area.OPINIONS)
    # The committee scores this year under the default policy (DESIGN §6).
    points_services.policy_activate(
        policy=points_services.policy_create_default(
            committee=city, year=timezone.localdate().year, actor=None
        ),
        actor=None,
    )

    # --- The member writes and submits on a phone ------------------------------------------
    phone = phone_page
    phone.on("dialog", lambda dialog: dialog.accept())
    login(phone, live_server.url, "op-member", PASSWORD)
    # The home page offers the member's reports.
    with phone.expect_navigation():
        phone.locator(f"main a[href='{reverse('opinions:report_create')}']").first.click()
    phone.fill("#id_title", TITLE)
    phone.fill("#id_text", TEXT)
    expect(phone.locator("#char-count")).to_contain_text(str(len(TEXT)))
    no_sideways_scroll(phone)
    with phone.expect_navigation():
        phone.locator("#report-form button[type=submit]").click()
    report = Report.objects.get(title=TITLE)
    assert phone.url == url(live_server, "opinions:report_detail", report.pk)
    with phone.expect_navigation():
        phone.locator("#submit-report").click()
    expect(phone.locator(".alert-success")).to_contain_text(
        zh("The report has been submitted to the office.")
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    expect(phone.locator("#duty-records")).to_contain_text(zh("public-opinion report submitted"))
    no_sideways_scroll(phone)
    phone.screenshot(path=SCREENSHOTS / "lvzhi-opinions-submitted-phone.png", full_page=True)

    # --- Staff edit, publish and record the adoption on a desktop -------------------------------
    desk = desktop_page
    desk.on("dialog", lambda dialog: dialog.accept())
    login(desk, live_server.url, "op-staff", PASSWORD)
    with desk.expect_navigation():
        desk.locator(f"#main-nav a[href='{reverse('opinions:queue')}']").click()
    with desk.expect_navigation():
        desk.locator("#queue-table a", has_text=TITLE).click()
    with desk.expect_navigation():
        desk.locator("#accept-report").click()
    with desk.expect_navigation():
        desk.locator("#edit-item").click()
    desk.fill("#id_title", "学校周边交通拥堵亟待疏解")
    desk.fill("#id_text", "据委员反映，城区中小学周边早晚高峰拥堵。建议错峰上下学、设置接送区。")
    with desk.expect_navigation():
        desk.locator("main form button[type=submit]").click()
    expect(desk.locator("h1")).to_have_text("学校周边交通拥堵亟待疏解")

    desk.goto(url(live_server, "opinions:issue_create"))
    desk.select_option("#id_kind", "special")
    desk.check("#id_to_upper")
    desk.check("#id_to_government")
    with desk.expect_navigation():
        desk.locator("main form button[type=submit]").click()
    issue = Issue.objects.get()
    desk.locator("#add-items input[type=checkbox]").first.check()
    with desk.expect_navigation():
        desk.locator("#add-items button[type=submit]").click()
    expect(desk.locator("#issue-items li")).to_have_count(1)
    with desk.expect_navigation():
        desk.locator("#publish-issue").click()
    issue.refresh_from_db()
    assert issue.status == "published"
    desk.screenshot(path=SCREENSHOTS / "lvzhi-opinions-issue-desktop.png", full_page=True)

    # The printable issue shows the edited text, not the original.
    with desk.expect_navigation():
        desk.locator("#print-issue").click()
    expect(desk.locator(".issue-sheet")).to_contain_text("设置接送区")
    assert TEXT not in desk.content()
    desk.screenshot(path=SCREENSHOTS / "lvzhi-opinions-print.png", full_page=True)

    report.refresh_from_db()
    assert report.status == ReportStatus.USED and report.text == TEXT  # the original is kept
    desk.goto(url(live_server, "opinions:item_detail", report.item_id))
    with desk.expect_navigation():
        desk.locator("#adopt-item").click()
    desk.select_option("#id_level", Level.NATIONAL.value)
    desk.select_option("#id_national_mode", "single")
    desk.fill("#id_text", "全国政协办公厅《社情民意信息》单篇采用")
    with desk.expect_navigation():
        desk.locator("main form button[type=submit]").click()
    expect(desk.locator("#adoption-list")).to_contain_text(zh("national CPPCC"))
    assert DutyRecord.objects.filter(
        kind=DutyKind.OPINION_ADOPTED_NATIONAL, member__person__user=user
    ).exists()

    # --- The member sees the adoption and the duty records ------------------------------------
    phone.goto(url(live_server, "opinions:report_detail", report.pk))
    expect(phone.locator("#report-outcomes")).to_contain_text(zh("national CPPCC"))
    expect(phone.locator("#duty-records")).to_contain_text(zh("report adopted nationally"))
    expect(phone.locator("#edited-text")).to_contain_text("设置接送区")
    expect(phone.locator("#report-steps .text-bg-success")).to_have_count(5)
    expect(phone.locator("#report-history")).to_contain_text(re.compile(zh("adopted")))
    no_sideways_scroll(phone)
    phone.screenshot(path=SCREENSHOTS / "lvzhi-opinions-adopted-phone.png", full_page=True)

    # --- ... and the points the adoption earned (national adoption: 15) ------------------------
    phone.goto(url(live_server, "points:my_points"))
    adoption_line = phone.locator("li", has_text=zh("report adopted nationally"))
    expect(adoption_line).to_contain_text("+15")
    no_sideways_scroll(phone)
    phone.screenshot(path=SCREENSHOTS / "lvzhi-opinions-points-phone.png", full_page=True)

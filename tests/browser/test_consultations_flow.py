"""Consultations in Chromium, as the people who do them: consultation staff on
a desktop take a 有事好商量 from its topic to closed with its two conveners,
the responsible department's unit user gives feedback on the outcome sent to
it, and a member posts in an online consultation on a phone."""

from __future__ import annotations

import datetime as dt
import os
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
from lvzhi.consultations import services
from lvzhi.consultations.models import Consultation, ConsultationFormat, Post
from lvzhi.duties.models import DutyRecord
from lvzhi.org.tests.factories import (
    CommitteeFactory,
    HandlingUnitFactory,
    MemberFactory,
    PersonFactory,
)
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def url(live_server: Any, name: str, *args: Any) -> str:
    return live_server.url + reverse(name, args=args)


def step(page: Any, action: str, **fields: str) -> None:
    form = page.locator(f"#step-{action}")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_a_let_us_talk_it_over_goes_from_topic_to_closed_with_two_conveners_and_feedback(
    live_server: Any, browser: Any
) -> None:
    committee = CommitteeFactory(name="浏览器市政协", code="browser-city")
    department = HandlingUnitFactory(committee=committee, name="浏览器市住建局")
    staff = UserFactory(username="c-staff", display_name="协商处干部")
    RoleAssignmentFactory(user=staff, committee=committee, role=Role.STAFF, area=Area.CONSULTATIONS)
    unit_user = UserFactory(username="c-unit", display_name="住建局联络员")
    RoleAssignmentFactory(user=unit_user, committee=committee, role=Role.UNIT, unit=department)
    convener = MemberFactory(
        committee=committee,
        person=PersonFactory(name="周明远", user=UserFactory(username="c-member")),
    )
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()

    desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = desktop.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "c-staff", PASSWORD)
    page.goto(url(live_server, "consultations:consultation_create"))
    page.fill("#id_title", "老旧小区加装电梯")
    page.select_option("#id_format", ConsultationFormat.GOOD_TALK)
    page.fill("#id_meeting_date", "2026-06-18")
    # Without the second convener the form says what is missing and creates nothing.
    page.select_option("#id_first_convener", str(convener.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_contain_text(
        zh("“Let's talk it over” needs a second convener (the responsible department).")
    )
    assert not Consultation.objects.exists()
    page.select_option("#id_department", str(department.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#first-convener")).to_have_text("周明远")
    expect(page.locator("#department")).to_have_text("浏览器市住建局")
    consultation = Consultation.objects.get()

    step(page, "prepare")
    step(page, "convene")
    page.click("#add-participant")
    page.select_option("#id_kind", "member")
    page.select_option("#id_member", str(convener.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.click("#add-speech")
    page.select_option("#id_speaker", label="周明远")
    page.fill("#id_title", "简化加装电梯审批")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    step(page, "hold")
    page.click("#add-outcome")
    page.fill("#id_text", "推行加装电梯联合审批，一窗受理。")
    page.select_option("#id_recipient", "unit")
    page.select_option("#id_unit", str(department.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    step(page, "send", feedback_deadline=deadline)
    expect(page.locator("#stage")).to_have_text(zh("outcomes sent"))
    page.screenshot(path=str(SCREENSHOTS / "consultation-sent-desktop.png"), full_page=True)

    # The department's unit user answers the outcome sent to it.
    unit_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    unit_page = unit_context.new_page()
    unit_page.set_default_timeout(15_000)
    login(unit_page, live_server.url, "c-unit", PASSWORD)
    unit_page.goto(url(live_server, "consultations:unit_inbox"))
    expect(unit_page.locator("body")).to_contain_text("推行加装电梯联合审批")
    with unit_page.expect_navigation():
        unit_page.get_by_role("link", name=zh("Give feedback")).click()
    unit_page.fill("#id_feedback", "已设立联合审批窗口，审批时限压缩至15个工作日。")
    with unit_page.expect_navigation():
        unit_page.locator("main form button[type=submit]").click()
    expect(unit_page.locator(".alert-success")).to_contain_text(
        zh("The feedback has been recorded.")
    )
    unit_page.screenshot(path=str(SCREENSHOTS / "consultation-unit-inbox.png"), full_page=True)
    # The department cannot open the consultation itself.
    response = unit_page.goto(
        url(live_server, "consultations:consultation_detail", consultation.pk)
    )
    assert response is not None and response.status == 404
    unit_context.close()

    page.reload()
    expect(page.locator("#stage")).to_have_text(zh("feedback received"))
    expect(page.locator("#outcomes")).to_contain_text("已设立联合审批窗口")
    step(page, "review", review_note="回头看：三个小区已开工加装。")
    step(page, "close")
    expect(page.locator("#stage")).to_have_text(zh("closed"))
    expect(page.locator("#history li")).to_have_count(9)
    page.screenshot(path=str(SCREENSHOTS / "consultation-closed-desktop.png"), full_page=True)
    desktop.close()
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.CLOSED
    assert DutyRecord.objects.filter(member=convener, kind="consultation").count() == 1


def test_a_member_posts_in_an_open_online_consultation_on_a_phone(
    live_server: Any, phone_page: Any
) -> None:
    committee = CommitteeFactory(name="浏览器县政协", code="browser-county")
    staff = UserFactory(username="o-staff")
    RoleAssignmentFactory(user=staff, committee=committee, role=Role.STAFF, area=Area.CONSULTATIONS)
    member = MemberFactory(
        committee=committee,
        person=PersonFactory(name="林思雨", user=UserFactory(username="o-member")),
    )
    now = timezone.now()
    online = services.consultation_create(
        actor=staff,
        committee=committee,
        year=now.year,
        title="城市公园错峰开放",
        format=ConsultationFormat.ONLINE,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
    )
    services.consultation_prepare(actor=staff, consultation=online)
    services.consultation_convene(actor=staff, consultation=online)
    services.participant_add(actor=staff, consultation=online, kind="member", member=member)

    page = phone_page
    login(page, live_server.url, "o-member", PASSWORD)
    page.goto(url(live_server, "consultations:consultation_list"))
    with page.expect_navigation():
        page.get_by_role("link", name="城市公园错峰开放").click()
    page.fill("#post-text", "建议早晚各延长一小时，方便上班族。")
    with page.expect_navigation():
        page.locator("#post-form button[type=submit]").click()
    expect(page.locator("#posts .post")).to_have_count(1)
    expect(page.locator("#posts")).to_contain_text("建议早晚各延长一小时")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    page.screenshot(path=str(SCREENSHOTS / "consultation-online-phone.png"), full_page=True)
    assert Post.objects.get().member == member
    assert DutyRecord.objects.filter(member=member, kind="consultation").count() == 1

"""A government leader's instruction (批示) in Chromium (issue 12): a county
magistrate on a desktop follows the home page's to-do to the issue sent to
the government, writes an instruction on its item, and the member who wrote
the report sees, on a phone, the instruction on the report and the points it
earned on their points page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.duties.models import DutyKind
from lvzhi.opinions import services
from lvzhi.opinions.models import IssueKind
from lvzhi.org.tests.factories import CommitteeFactory, MemberFactory, PersonFactory, TermFactory
from lvzhi.points import services as points_services
from lvzhi.points.presets import DEFAULT_POINTS
from tests.browser.conftest import login, zh

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

TITLE = "关于加快农村客运站点改造的建议"
INSTRUCTION = "请交通运输局研究，年内拿出改造方案。"


def test_a_gov_leaders_instruction_reaches_the_members_points(
    live_server: Any, desktop_page: Any, phone_page: Any
) -> None:
    county = CommitteeFactory(name="示例县政协", short_name="示例县政协", code="ins-county")
    term = TermFactory(committee=county, number=9, name="第九届", is_current=True)
    writer = UserFactory(username="ins-member", display_name="郑晓岚")
    member = MemberFactory(
        committee=county, term=term, person=PersonFactory(name="郑晓岚", user=writer)
    )
    staff = UserFactory(username="ins-staff")
    RoleAssignmentFactory(user=staff, committee=county, role=Role.STAFF, area=Area.OPINIONS)
    magistrate = UserFactory(username="ins-leader", display_name="县长")
    RoleAssignmentFactory(user=magistrate, committee=county, role=Role.GOV_LEADER)
    points_services.policy_activate(
        policy=points_services.policy_create_default(
            committee=county, year=timezone.localdate().year, actor=None
        ),
        actor=None,
    )
    report = services.report_save_draft(
        actor=writer,
        committee=county,
        author=member,
        title=TITLE,
        text="部分乡镇客运站点年久失修，群众候车不便，建议分批改造。",
        co_submitters=[],
    )
    services.report_submit(actor=writer, report=report)
    item = services.report_accept(actor=staff, report=report)
    issue = services.issue_create(
        actor=staff,
        committee=county,
        kind=IssueKind.SPECIAL,
        year=timezone.localdate().year,
        date=timezone.localdate() - dt.timedelta(days=1),
        to_government=True,
    )
    services.issue_add_items(actor=staff, issue=issue, items=[item])
    services.issue_publish(actor=staff, issue=issue)

    # --- The magistrate, on a desktop, from the to-do to the instruction ---------------------
    desk = desktop_page
    login(desk, live_server.url, "ins-leader", PASSWORD)
    todo = desk.locator("a.home-todo", has_text=zh("Issues sent to you awaiting an instruction"))
    expect(todo.locator(".todo-count")).to_have_text("1")
    with desk.expect_navigation():
        todo.click()
    with desk.expect_navigation():
        desk.locator(f"main a[href='{reverse('opinions:issue_detail', args=[issue.pk])}']").click()
    with desk.expect_navigation():
        desk.locator(".write-instruction").click()
    expect(desk.locator("main")).to_contain_text(TITLE)
    desk.fill("#id_leader_title", "县长")
    desk.fill("#id_text", INSTRUCTION)
    with desk.expect_navigation():
        desk.locator("main form button[type=submit]").click()
    expect(desk.locator(".alert-success")).to_contain_text(
        zh("Your instruction has been recorded and sent.")
    )
    expect(desk.locator(".issue-instruction")).to_contain_text(INSTRUCTION)
    # Written once: the to-do is done.
    desk.goto(live_server.url + reverse("home"))
    expect(todo.locator(".todo-count")).to_have_text("0")

    # --- The member, on a phone, sees the instruction and its points --------------------------
    phone = phone_page
    login(phone, live_server.url, "ins-member", PASSWORD)
    phone.goto(live_server.url + reverse("opinions:report_detail", args=[report.pk]))
    expect(phone.locator("#report-outcomes")).to_contain_text("县长")
    phone.goto(live_server.url + reverse("points:my_points"))
    line = phone.locator("li", has_text=zh("leader's instruction on a report"))
    expect(line).to_contain_text(TITLE)
    expect(line).to_contain_text(f"+{DEFAULT_POINTS[DutyKind.OPINION_INSTRUCTION]}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

"""The scheme editor in Chromium, as staff use it on a desktop: start a blank
scheme for the year, add a part, a category, two kinds mapped to platform
events and two grades through their small forms, preview who moves, activate;
the member's points page then shows the new score and grade."""

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
from lvzhi.duties import services as duties
from lvzhi.duties.models import DutyKind
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.tests.factories import CommitteeFactory
from lvzhi.points import services as points
from lvzhi.points.models import MemberScore, Policy
from lvzhi.points.tests.helpers import source
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator("#scheme-element button[type=submit]").click()


def add(page: Any, element: str, fields: dict[str, str], events: tuple[str, ...] = ()) -> None:
    page.locator(f"#add-{element}").click()
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    for event in events:
        page.check(f"input[name=events][value={event}]")
    submit(page)
    expect(page.locator(".alert-success")).to_be_visible()


def test_staff_build_a_scheme_from_nothing_preview_and_activate_it(
    live_server: Any, browser: Any, desktop_page: Any
) -> None:
    committee = CommitteeFactory(name="方案县政协", short_name="方案县政协", code="scheme-county")
    alice = make_member(committee, username="alice")
    bob = make_member(committee, username="bob")
    staff = UserFactory(username="points_staff", display_name="积分工作人员")
    RoleAssignmentFactory(user=staff, committee=committee, role=Role.STAFF, area=Area.DUTIES)
    year = timezone.localdate().year
    points.policy_activate(
        policy=points.policy_create_default(committee=committee, year=year, actor=None),
        actor=None,
    )
    day = dt.date(year, 3, 1)
    for member, kind in (
        (alice, DutyKind.PLENARY_ATTENDED),
        (alice, DutyKind.PROPOSAL_REGISTERED),
        (bob, DutyKind.PLENARY_ATTENDED),
    ):
        duties.duty_record(member=member, kind=kind, date=day, source=source(member), share="1")
    # The default policy: alice 30 + 10 = 40, bob 30.

    page = desktop_page
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server.url, "points_staff", PASSWORD)
    page.goto(live_server.url + reverse("points:policy_new"))
    page.fill("#id_year", str(year))
    page.select_option("#id_preset", "blank")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#scheme-part")).to_contain_text("暂无")

    add(page, "part", {"label": "履职积分", "base": "0", "cap": "100", "floor": "0"})
    add(page, "category", {"label": "会议与提案", "cap": "80"})
    add(page, "kind", {"label": "出席全体会议", "points": "40"}, ("plenary_attended",))
    add(page, "kind", {"label": "提案立案", "points": "20"}, ("proposal_registered",))
    add(page, "grade", {"label": "合格", "minimum": "35"})
    add(page, "grade", {"label": "优秀", "minimum": "55"})
    expect(page.locator("#scheme-kind")).to_contain_text("提案立案")
    expect(page.locator("#scheme-grade tr").first).to_contain_text("优秀")
    page.screenshot(path=str(SCREENSHOTS / "points-scheme-editor.png"), full_page=True)

    # A kind's form refuses bad input in Chinese and keeps what was typed.
    page.locator("#scheme-kind a", has_text="编辑").first.click()
    page.fill("#id_points", "四十")
    page.locator("#scheme-element button[type=submit]").click()
    expect(page.locator("#scheme-element")).to_contain_text("请填写数字")
    expect(page.locator("#id_points")).to_have_value("四十")
    page.screenshot(path=str(SCREENSHOTS / "points-scheme-kind-form.png"), full_page=True)
    page.locator("#scheme-element a", has_text="取消").click()

    page.locator("#preview-scheme").click()
    preview = page.locator("#preview")
    # alice 40 + 20 = 60 优秀 (was 40), bob 40 合格 (was 30).
    expect(preview).to_contain_text(alice.person.name)
    expect(preview).to_contain_text("60.00")
    expect(preview).to_contain_text(bob.person.name)
    page.locator("#activate").click()
    expect(page.locator(".alert-success")).to_be_visible()
    policy = Policy.objects.get(committee=committee, year=year, status=Policy.Status.ACTIVE)
    assert policy.scheme["kinds"][1]["events"] == ["proposal_registered"]
    assert MemberScore.objects.get(member=bob, year=year).grade_label == "合格"

    member_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    member_page = member_context.new_page()
    login(member_page, live_server.url, "alice", PASSWORD)
    member_page.goto(live_server.url + reverse("points:my_points"))
    expect(member_page.locator("#my-score")).to_have_text("60.00")
    expect(member_page.locator("#my-grade")).to_have_text("优秀")
    member_context.close()

"""The auditor's page in Chromium, in Chinese: an audit administrator logs in
on a desktop, reads the trail with labels, object names and readable details
(never codes), filters it by category and gets a clear message for a date far
off instead of an error page."""

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

from lvzhi.accounts.models import Role
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.core.models import AuditEvent
from lvzhi.org.tests.factories import CommitteeFactory
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def zh(message: str, **params: Any) -> str:
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % params if params else text


def test_an_auditor_reads_the_trail_in_chinese_and_filters_it_by_category(
    live_server: Any, desktop_page: Any
) -> None:
    city = CommitteeFactory(name="示例市政协", short_name="示例市政协", code="audit-city")
    auditor = UserFactory(username="audit-browser", display_name="审计员乙")
    RoleAssignmentFactory(user=auditor, committee=city, role=Role.AUDITOR)
    granted_to = UserFactory(username="zhangsan", display_name="张三")
    AuditEvent.objects.create(
        action="role_granted",
        committee=city,
        actor_label="secadmin",
        object_type="accounts.user",
        object_id=str(granted_to.pk),
        object_label="张三",
        ip="10.0.0.8",
        user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/126",
        request_id="0123456789abcdef0123456789abcdef",
        detail={"role": "leader", "user": "zhangsan"},
    )
    AuditEvent.objects.create(
        action="login_failure",
        actor_label="zhangsan",
        result=AuditEvent.Result.FAILURE,
        ip="10.0.0.9",
        detail={"reason": "bad_credentials", "failures": "2"},
    )
    page = desktop_page
    login(page, live_server.url, "audit-browser", PASSWORD)

    page.goto(live_server.url + reverse("accounts:audit_list"))
    table = page.locator("table")
    expect(table).to_contain_text(zh("role granted"))
    expect(table).to_contain_text("张三")
    expect(table).to_contain_text(zh("failed login"))
    expect(table).to_contain_text(zh("Reason"))
    expect(table).to_contain_text("10.0.0.8")
    expect(table).not_to_contain_text("role_granted")
    expect(table).not_to_contain_text("bad_credentials")
    page.screenshot(path=SCREENSHOTS / "lvzhi-browser-audit-trail.png", full_page=True)

    page.select_option("#id_category", "account")
    with page.expect_navigation():
        page.locator("#audit-filter button[type=submit]").click()
    expect(table).to_contain_text(zh("role granted"))
    expect(table).not_to_contain_text(zh("failed login"))
    page.screenshot(path=SCREENSHOTS / "lvzhi-browser-audit-category.png", full_page=True)

    page.goto(live_server.url + reverse("accounts:audit_list") + "?date_to=9999-12-31")
    expect(page.locator("#audit-filter")).to_contain_text(
        zh("Enter a date between %(min)s and %(max)s.", min=2000, max=2100)
    )

"""Smoke tests in Chromium: logging in lands on a working, Chinese home page on
a desktop and on a phone."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.utils.translation import gettext

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.org.tests.factories import CommitteeFactory, MemberFactory, PersonFactory
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# Screenshots for a person to look at (layout, CJK font); /tmp unless overridden.
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


@pytest.fixture
def city():
    return CommitteeFactory(name="示例市政协", short_name="示例市政协", code="smoke-city")


def test_staff_log_in_on_a_desktop_and_land_on_their_home_page(live_server, desktop_page, city):
    user = UserFactory(username="smoke-staff", display_name="王晓燕")
    RoleAssignmentFactory(user=user, committee=city, role=Role.STAFF, area=Area.ORG)
    page = desktop_page

    login(page, live_server.url, "smoke-staff", PASSWORD)

    assert page.url == live_server.url + "/"
    assert gettext("Home") in page.title()
    assert page.locator("#home-staff").is_visible()
    assert "示例市政协" in page.locator("#home-committee").inner_text()
    # Desktop: the menu is laid out in the bar, no toggler.
    assert not page.locator(".navbar-toggler").is_visible()
    assert page.locator("#main-nav").is_visible()
    page.screenshot(path=SCREENSHOTS / "lvzhi-smoke-desktop.png", full_page=True)


def test_a_member_logs_in_on_a_phone_and_gets_the_collapsed_menu(live_server, phone_page, city):
    person = PersonFactory(name="李建国", user=UserFactory(username="smoke-member"))
    MemberFactory(committee=city, person=person)
    page = phone_page

    login(page, live_server.url, "smoke-member", PASSWORD)

    assert page.url == live_server.url + "/"
    assert page.locator("#home-member").is_visible()
    assert "李建国" in page.locator("#home-member").inner_text()
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#main-nav").is_visible()
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "lvzhi-smoke.png", full_page=True)

    toggler.tap()
    page.locator("#main-nav").wait_for(state="visible")
    assert page.locator("#main-nav").is_visible()


def test_a_wrong_password_keeps_the_user_on_the_login_page(live_server, desktop_page, city):
    UserFactory(username="smoke-wrong")
    page = desktop_page
    login(page, live_server.url, "smoke-wrong", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger, .invalid-feedback").first.is_visible()


def test_the_system_administrator_keeps_the_holiday_calendar_on_a_phone(
    live_server, phone_page, city
):
    from datetime import date

    from lvzhi.core.models import Holiday

    Holiday.objects.create(date=date(2026, 10, 1), kind="holiday", name="国庆节")
    Holiday.objects.create(date=date(2026, 10, 10), kind="workday", name="国庆节调休上班")
    user = UserFactory(username="smoke-sysadmin")
    RoleAssignmentFactory(user=user, committee=city, role=Role.SYSADMIN)
    page = phone_page
    login(page, live_server.url, "smoke-sysadmin", PASSWORD)

    page.goto(live_server.url + "/core/holidays/?year=2026")
    assert page.locator("#holiday-table tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "lvzhi-smoke-holidays.png", full_page=True)

    page.locator("a[href='/core/holidays/new/']").tap()
    page.fill("#id_date", "2026-10-11")
    page.select_option("#id_kind", "workday")
    page.fill("#id_name", "国庆节调休上班")
    with page.expect_navigation():
        page.locator("#holiday-form button[type=submit]").tap()
    assert page.locator("#holiday-table tbody tr").count() == 3
    assert Holiday.objects.filter(date=date(2026, 10, 11), kind="workday").exists()

"""What a page must look like, measured in Chromium rather than read from the
stylesheet: the citizen never sees the honeypot field, and a QR code is big
enough to scan from across a room (the check-in projection fills the screen,
the poster most of the sheet). These broke once when unclosed ``@media print``
blocks swallowed every rule after them (tests/test_stylesheets.py guards the
syntax)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.duties.tests.factories import make_activity, make_member
from lvzhi.org.tests.factories import CommitteeFactory, StudioFactory
from lvzhi.public.tests.factories import VenueFactory
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def test_the_citizen_never_sees_the_honeypot_field_on_a_phone(
    live_server: Any, phone_page: Any
) -> None:
    committee = CommitteeFactory(code="layout-city")
    venue = VenueFactory(committee=committee, studio=StudioFactory(committee=committee))
    page = phone_page
    page.goto(live_server.url + reverse("public:venue_page", args=[venue.code]))
    expect(page.locator("#send-button")).to_be_visible()
    trap = page.locator("input[name=website]")
    expect(trap).to_have_count(1)  # still in the form for robots to fill
    expect(trap).not_to_be_in_viewport()
    box = trap.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0, box
    expect(page.locator(".lvzhi-hp label")).not_to_be_in_viewport()
    # The field cannot be reached with the keyboard either.
    assert trap.get_attribute("tabindex") == "-1"


def test_the_check_in_projection_fills_the_screen_and_the_poster_the_sheet(
    live_server: Any, desktop_page: Any
) -> None:
    committee = CommitteeFactory(code="layout-city")
    staff = UserFactory(username="layout_staff")
    for area in (Area.DUTIES, Area.PUBLIC):
        RoleAssignmentFactory(user=staff, committee=committee, role=Role.STAFF, area=area)
    make_member(committee)
    activity = make_activity(committee)  # under way: its code is shown
    venue = VenueFactory(committee=committee, studio=StudioFactory(committee=committee))
    page = desktop_page
    login(page, live_server.url, "layout_staff", PASSWORD)

    page.goto(live_server.url + reverse("duties:activity_qr", args=[activity.pk]))
    qr = page.locator("#qr-image")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    # 1280×800: at least 70 % of the screen's height, and whole on screen.
    assert box["height"] >= 0.7 * viewport["height"], box
    assert box["width"] == pytest.approx(box["height"], abs=2)
    expect(qr).to_be_in_viewport(ratio=1)
    page.screenshot(path=str(SCREENSHOTS / "layout-qr-projection.png"))

    page.goto(live_server.url + reverse("public:poster", args=[venue.pk]))
    code = page.locator("#poster svg")
    expect(code).to_be_visible()
    poster = page.locator("#poster").bounding_box()
    box = code.bounding_box()
    assert box is not None and poster is not None
    assert box["width"] >= 400 and box["width"] >= 0.75 * poster["width"], (box, poster)


def test_the_projection_fits_a_phone_held_up_at_the_door(live_server: Any, phone_page: Any) -> None:
    committee = CommitteeFactory(code="layout-city")
    staff = UserFactory(username="layout_staff")
    RoleAssignmentFactory(user=staff, committee=committee, role=Role.STAFF, area=Area.DUTIES)
    make_member(committee)
    activity = make_activity(committee)
    page = phone_page
    login(page, live_server.url, "layout_staff", PASSWORD)
    page.goto(live_server.url + reverse("duties:activity_qr", args=[activity.pk]))
    box = page.locator("#qr-image").bounding_box()
    assert box is not None
    assert 0.85 * 390 <= box["width"] <= 390, box

"""The proposal office configures its categories on a phone and a desktop:
add, rename (Enter in the field), move up, deactivate; the member's draft
form no longer offers the deactivated category."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.proposals.models import ProposalCategory
from lvzhi.proposals.tests.conftest import build_world
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def _rows(committee: Any) -> list[tuple[str, bool]]:
    return [
        (c.name, c.is_active)
        for c in ProposalCategory.objects.filter(committee=committee).order_by("order", "id")
    ]


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_staff_configure_categories(
    request: pytest.FixtureRequest, live_server: Any, page_fixture: str
) -> None:
    world = build_world("settings")
    page = request.getfixturevalue(page_fixture)
    login(page, live_server.url, world.staff.username, PASSWORD)
    page.goto(live_server.url + reverse("proposals:list"))
    with page.expect_navigation():
        page.locator("#settings-link").click()
    if page_fixture == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("#categories-add input[name=name]", "乡村振兴")
    with page.expect_navigation():
        page.locator("#categories-add button").click()
    new = ProposalCategory.objects.get(committee=world.committee, name="乡村振兴")
    item = page.locator(f"#categories-{new.pk}")
    item.locator("input[name=name]").fill("乡村全面振兴")
    with page.expect_navigation():
        item.locator("input[name=name]").press("Enter")
    with page.expect_navigation():
        page.locator(f"#categories-{new.pk} button[formaction$='/up/']").click()
    with page.expect_navigation():
        page.locator(f"#categories-{new.pk} button[formaction$='/deactivate/']").click()
    rows = _rows(world.committee)
    assert rows[-2] == ("乡村全面振兴", False)
    page.screenshot(
        path=str(SCREENSHOTS / f"proposals-settings-{page_fixture}.png"), full_page=True
    )

"""The proposal office, in Chromium, sees the 疑似重复 flag while reviewing a
near copy of a proposal filed this year, and the suggested lead units with
their reason at assignment (both loaded by htmx into the detail page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.assist import indexing, training
from lvzhi.assist.tests.test_advice import SCHOOL, past
from lvzhi.proposals import services
from lvzhi.proposals.tests.conftest import assigned, build_world, submitted
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_staff_see_the_duplicate_flag_and_the_unit_suggestions(
    desktop_page: Any, live_server: Any
) -> None:
    world = build_world("as-browser")
    past(world, assigned(world, **SCHOOL))
    submitted(world, **SCHOOL)
    copy = submitted(world, actor=world.cosigner_user, **SCHOOL)
    indexing.rebuild()
    training.train(world.committee)

    page = desktop_page
    login(page, live_server.url, world.staff.username, PASSWORD)
    page.goto(live_server.url + reverse("proposals:detail", args=[copy.pk]))
    flag = page.locator("#assist-review .duplicate-flag")
    expect(flag).to_be_visible()
    expect(flag).to_contain_text(SCHOOL["title"])
    expect(page.locator("#assist-review #similar-list .similar-item")).to_have_count(1)

    services.proposal_register(actor=world.staff, proposal=copy)
    page.reload()
    suggestion = page.locator("#assist-assign .unit-suggestion").first
    expect(suggestion).to_contain_text(world.lead_unit.name)
    expect(suggestion).to_contain_text(SCHOOL["title"])  # the past proposal it led

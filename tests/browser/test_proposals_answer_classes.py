"""The proposal office switches its committee to four answer classes on the
settings page, in Chromium; a unit's reply form then offers those classes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.core.committee_settings import forget_settings
from lvzhi.proposals import services
from lvzhi.proposals.settings_defs import ABCD_PRESET, answer_classes
from lvzhi.proposals.tests.conftest import assigned, build_world, lead_assignment
from tests.browser.conftest import CONTEXT_DEFAULTS, DESKTOP, TIMEOUT_MS, login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))


def _page(browser: Any, live_server: Any, user: Any) -> Any:
    context = browser.new_context(**CONTEXT_DEFAULTS, **DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, live_server.url, user.username, PASSWORD)
    return page


def test_staff_switch_to_four_classes_and_the_unit_is_offered_them(
    browser: Any, live_server: Any
) -> None:
    world = build_world("p-answer")
    proposal = assigned(world)
    assignment = lead_assignment(proposal)
    services.assignment_accept(actor=world.lead_user, assignment=assignment)
    services.assignment_precontact(
        actor=world.lead_user,
        assignment=assignment,
        when=timezone.localdate(),
        way="phone",
        summary="电话沟通。",
    )

    staff = _page(browser, live_server, world.staff)
    staff.goto(live_server.url + reverse("proposals:settings"))
    section = staff.locator("#answer-classes")
    expect(section.locator("#answer-classes-form input[name=label_0]")).to_have_value(
        "A类（已解决或采纳）"
    )
    section.locator("#answer-preset-form select[name=preset]").select_option("abcd")
    with staff.expect_navigation():
        section.locator("#answer-preset-form button").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    expect(staff.locator("#answer-preset-form select[name=preset]")).to_have_value("abcd")
    expect(staff.locator("#answer-classes-form input[name=label_3]")).to_have_value(
        "D类（留作参考）"
    )
    staff.locator("#answer-classes").screenshot(
        path=str(SCREENSHOTS / "proposals-answer-classes-settings.png")
    )
    forget_settings(world.committee)
    assert answer_classes(world.committee) == ABCD_PRESET

    unit = _page(browser, live_server, world.lead_user)
    unit.goto(live_server.url + reverse("proposals:detail", args=[proposal.pk]))
    options = unit.locator("#reply-form #id_reply_class option")
    expect(options).to_have_text(
        ["—", "A类（已解决）", "B类（正在解决）", "C类（列入计划）", "D类（留作参考）"]
    )
    unit.locator("#reply-form").screenshot(
        path=str(SCREENSHOTS / "proposals-answer-classes-reply-form.png")
    )
    staff.context.close()
    unit.context.close()

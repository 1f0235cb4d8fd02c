"""办理沟通 in Chromium: the lead unit writes to the proposer on a desktop
and records it as its 办前面商 contact; the proposer reads it on a 390 px
phone, from the proposal's page, and answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.proposals import services
from lvzhi.proposals.models import AssignmentMessage, PreContact
from lvzhi.proposals.tests.conftest import assigned, build_world, lead_assignment
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_unit_writes_and_the_member_answers_on_a_phone(
    desktop_page: Any, phone_page: Any, live_server: Any
) -> None:
    world = build_world("p-thread")
    proposal = assigned(world)
    lead = lead_assignment(proposal)
    services.assignment_accept(actor=world.lead_user, assignment=lead)
    thread = live_server.url + reverse("proposals:thread", args=[lead.pk])

    unit = desktop_page
    login(unit, live_server.url, world.lead_user.username, PASSWORD)
    unit.goto(live_server.url + reverse("proposals:detail", args=[proposal.pk]))
    with unit.expect_navigation():
        unit.locator(f"#thread-link-{lead.pk}").click()
    form = unit.locator("#message-form")
    form.locator("textarea[name=text]").fill("李委员您好，我们想本周上门听取您的意见。")
    form.locator("select[name=contact_way]").select_option("phone")
    with unit.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(unit.locator(".alert-success")).to_be_visible()
    expect(unit.locator(".thread-unit .precontact-badge")).to_be_visible()
    assert PreContact.objects.filter(assignment=lead).count() == 1

    member = phone_page
    assert member.viewport_size["width"] == 390
    login(member, live_server.url, world.proposer_user.username, PASSWORD)
    member.goto(live_server.url + reverse("proposals:detail", args=[proposal.pk]))
    with member.expect_navigation():
        member.locator(f"#thread-link-{lead.pk}").click()
    assert member.url.startswith(thread)
    expect(member.locator(".thread-unit")).to_contain_text("上门听取您的意见")
    member.locator("#message-form textarea[name=text]").fill("欢迎，周三下午我在。")
    expect(member.locator("#message-form select[name=contact_way]")).to_have_count(0)
    with member.expect_navigation():
        member.locator("#message-form button[type=submit]").click()
    expect(member.locator(".thread-proposer")).to_contain_text("周三下午我在")
    # Nothing sticks out of the phone's width.
    scroll = member.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390
    assert AssignmentMessage.objects.filter(assignment=lead).count() == 2

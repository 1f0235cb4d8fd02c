"""A notification of the other committee, in Chromium (issue 12): a member
who sits on a city's and a county's committee works in the city's on a
phone; the county's office registers her proposal; she opens the
notification from her inbox and lands on the proposal — the app switches
her to the county's committee instead of answering 404 in the city's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.org.tests.factories import MemberFactory, PlenarySessionFactory
from lvzhi.proposals import services
from lvzhi.proposals.models import ProposalCategory
from lvzhi.proposals.tests.conftest import build_world, draft
from tests.browser.conftest import login, zh

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

TITLE = "关于县域养老服务中心建设的建议"


def test_a_notice_of_the_other_committee_opens_its_object_there(
    live_server: Any, phone_page: Any
) -> None:
    world = build_world("xc")
    city, county = world.committee, world.other_committee
    # The city's member also sits on the county's committee, with one login.
    seat = MemberFactory(
        committee=county, term=world.other_member.term, person=world.proposer.person
    )
    PlenarySessionFactory(
        term=seat.term,
        number=1,
        name="九届一次会议",
        year=world.session.year,
        start_date=world.session.start_date,
        end_date=world.session.end_date,
        proposal_window_start=world.session.proposal_window_start,
        proposal_window_end=world.session.proposal_window_end,
    )
    user = world.proposer_user
    proposal = draft(
        world,
        committee=county,
        title=TITLE,
        category=ProposalCategory.objects.filter(committee=county).first(),
    )
    services.proposal_submit(actor=user, proposal=proposal)
    services.proposal_register(actor=world.other_staff, proposal=proposal)
    assert proposal.committee == county

    page = phone_page
    login(page, live_server.url, user.username, PASSWORD)
    # She works in the city's committee now (the switcher in the phone's menu).
    page.locator(".navbar-toggler").click()
    switcher = page.locator("#committee-select")
    expect(switcher).to_be_visible()
    if switcher.input_value() != str(city.pk):
        with page.expect_navigation():
            switcher.select_option(str(city.pk))
    page.goto(live_server.url + reverse("core:inbox"))
    notice = page.locator("#notification-list .list-group-item", has_text=TITLE)
    expect(notice.locator(".notification-committee")).to_have_text(str(county))
    with page.expect_navigation():
        notice.locator(".notification-open button").click()
    assert page.url == live_server.url + reverse("proposals:detail", args=[proposal.pk])
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator(".alert-info")).to_contain_text(
        zh("You are now working in %(committee)s.", committee=str(county))
    )
    # The county's committee is the current one from now on, and the notice is read.
    page.locator(".navbar-toggler").click()
    expect(page.locator("#committee-select")).to_have_value(str(county.pk))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

"""The public-opinion reports' to-dos on the home page count the rows waiting
for that user in that committee: a member's drafts, the desk's submitted
reports (and the queue link lists them), a leader's uninstructed issues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from lvzhi.accounts.models import Role
from lvzhi.opinions import services
from lvzhi.opinions.models import Level
from lvzhi.opinions.tests.conftest import TEXT
from lvzhi.org.tests.todo_helpers import counts, home_todos, queue_rows

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def elsewhere(make_member, other_committee):
    """A draft and a submitted report in another committee."""
    far = make_member("far", committee=other_committee)
    for _ in range(2):
        report = services.report_save_draft(
            actor=far.person.user,
            committee=other_committee,
            author=far,
            title="外县的信息",
            text=TEXT,
            co_submitters=[],
        )
    services.report_submit(actor=far.person.user, report=report)
    return far


def test_a_member_counts_their_own_drafts_only(draft, submitted, colleague, member_user, elsewhere):
    draft()
    draft(title="第二篇")
    draft(author=colleague, title="同事的")
    submitted(title="已报送")
    assert counts(client_of(member_user))["Report drafts"] == 2
    assert counts(client_of(colleague.person.user))["Report drafts"] == 1
    assert counts(client_of(elsewhere.person.user))["Report drafts"] == 1


def test_the_desk_counts_the_submitted_reports_and_the_queue_lists_them(
    submitted, opinions_staff, elsewhere
):
    submitted()
    submitted(title="第二篇")
    taken = submitted(title="已在编辑")
    services.report_accept(actor=opinions_staff, report=taken)
    client = client_of(opinions_staff)
    todo = home_todos(client)["Reports waiting to be edited"]
    assert todo["count"] == 2
    assert queue_rows(client, todo) == 2


def test_a_government_leader_counts_the_issues_sent_without_an_instruction(
    published, opinions_staff, make_user, committee, other_committee
):
    leader = make_user(Role.GOV_LEADER, committee)
    far_leader = make_user(Role.GOV_LEADER, other_committee)
    published()
    _report, item, _issue = published(title="已批示")
    services.instruction_record(
        actor=opinions_staff,
        item=item,
        level=Level.values[0],
        leader_title="市长",
        date=dt.date(2026, 5, 10),
    )
    todo = home_todos(client_of(leader))["Issues sent to you awaiting an instruction"]
    assert todo["count"] == 1
    assert counts(client_of(far_leader))["Issues sent to you awaiting an instruction"] == 0

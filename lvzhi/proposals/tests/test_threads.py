"""办理沟通: the thread on an assignment between the unit and the proposers —
who reads and writes it, the pre-contact it can record, its notifications,
its refusals (input kept) and its fixed cost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, Notification
from lvzhi.core.testing import assert_same_queries
from lvzhi.proposals import services
from lvzhi.proposals.models import MESSAGE_MAX, AssignmentMessage, PreContact, ProposalEvent
from lvzhi.proposals.tests.conftest import World, assigned, build_world, lead_assignment

pytestmark = pytest.mark.django_db


def _joint(world: World) -> Any:
    """An assigned joint proposal with one confirmed co-signer (王附议)."""
    proposal = services.proposal_draft_save(
        actor=world.proposer_user,
        committee=world.committee,
        title="关于完善社区养老服务的建议",
        category=world.category,
        kind="joint",
        reason="社区养老服务供给不足。",
        suggestions="增设日间照料中心。",
        cosigners=[world.cosigner],
    )
    services.cosigner_answer(actor=world.cosigner_user, proposal=proposal, confirm=True)
    services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    services.proposal_register(actor=world.staff, proposal=proposal)
    services.proposal_assign(
        actor=world.staff, proposal=proposal, lead=world.lead_unit, co_units=[world.co_unit]
    )
    proposal.refresh_from_db()
    return proposal


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(assignment: Any) -> str:
    return reverse("proposals:thread", args=[assignment.pk])


def test_the_unit_writes_and_the_proposers_are_notified(world: World) -> None:
    proposal = _joint(world)
    lead = lead_assignment(proposal)
    message = services.assignment_message_add(
        actor=world.lead_user, assignment=lead, text="您好，想约时间当面听取意见。"
    )
    assert message.side == AssignmentMessage.Side.UNIT
    assert message.author_name.startswith("测试市教育局")
    assert message.precontact is None
    notified = set(
        Notification.objects.filter(url=_url(lead)).values_list("recipient_id", flat=True)
    )
    assert notified == {world.proposer_user.pk, world.cosigner_user.pk}
    assert AuditEvent.objects.filter(action="proposal.assignment_message").count() == 1


def test_a_proposer_and_a_cosigner_answer_and_the_unit_is_notified(world: World) -> None:
    proposal = _joint(world)
    lead = lead_assignment(proposal)
    services.assignment_message_add(actor=world.proposer_user, assignment=lead, text="周三可以。")
    answer = services.assignment_message_add(
        actor=world.cosigner_user, assignment=lead, text="我也参加。"
    )
    assert answer.side == AssignmentMessage.Side.PROPOSER
    assert answer.author_name == "王附议"
    assert Notification.objects.filter(recipient=world.lead_user, url=_url(lead)).count() == 2
    assert not Notification.objects.filter(recipient=world.co_user, url=_url(lead)).exists()


def test_a_unit_message_can_be_the_precontact_and_then_the_unit_may_reply(world: World) -> None:
    proposal = assigned(world)
    lead = lead_assignment(proposal)
    services.assignment_accept(actor=world.lead_user, assignment=lead)
    day = timezone.localdate()
    message = services.assignment_message_add(
        actor=world.lead_user,
        assignment=lead,
        text="已上门走访，听取了提案人意见。",
        contact_way=PreContact.Way.VISIT,
        contact_date=day,
    )
    contact = PreContact.objects.get(assignment=lead)
    assert message.precontact == contact
    assert (contact.date, contact.way, contact.summary) == (day, "visit", message.text)
    assert ProposalEvent.objects.filter(proposal=proposal, action="precontact").count() == 1
    # It counts as the contact: the reply is no longer refused for want of one.
    services.assignment_reply(
        actor=world.lead_user, assignment=lead, text="经研究，答复如下。", reply_class="B"
    )


def test_letter_is_a_way_of_contact(world: World) -> None:
    proposal = assigned(world)
    lead = lead_assignment(proposal)
    services.assignment_message_add(
        actor=world.lead_user,
        assignment=lead,
        text="已去函征求意见。",
        contact_way=PreContact.Way.LETTER,
        contact_date=timezone.localdate(),
    )
    assert PreContact.objects.get(assignment=lead).get_way_display()


def test_only_the_replying_unit_records_a_precontact(world: World) -> None:
    proposal = assigned(world)
    co = proposal.assignments.get(role="co")
    lead = lead_assignment(proposal)
    with pytest.raises(PermissionDenied):
        services.assignment_message_add(
            actor=world.co_user, assignment=co, text="会办单位联系", contact_way="phone"
        )
    with pytest.raises(PermissionDenied):
        services.assignment_message_add(
            actor=world.proposer_user, assignment=lead, text="我联系了单位", contact_way="phone"
        )
    assert not AssignmentMessage.objects.exists()
    assert not PreContact.objects.exists()


@pytest.mark.parametrize(
    ("text", "way", "when"),
    [
        ("", "", None),
        ("   ", "", None),
        ("x" * (MESSAGE_MAX + 1), "", None),
        ("联系了", "fax", None),
        ("联系了", "phone", dt.date(2099, 1, 1)),
    ],
)
def test_bad_input_changes_nothing(world: World, text: str, way: str, when: Any) -> None:
    proposal = assigned(world)
    lead = lead_assignment(proposal)
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        services.assignment_message_add(
            actor=world.lead_user, assignment=lead, text=text, contact_way=way, contact_date=when
        )
    assert not AssignmentMessage.objects.exists() and not PreContact.objects.exists()
    assert AuditEvent.objects.count() == audits
    assert not Notification.objects.filter(url=_url(lead)).exists()


def test_outsiders_can_neither_read_nor_write(world: World) -> None:
    proposal = _joint(world)
    lead = lead_assignment(proposal)
    for outsider in (world.other_unit_user, world.cosigner2_user, world.other_staff):
        assert _client(outsider).get(_url(lead)).status_code == 404
        assert _client(outsider).post(_url(lead), {"text": "x"}).status_code == 404
        with pytest.raises(PermissionDenied):
            services.assignment_message_add(actor=outsider, assignment=lead, text="x")
    # The co-unit reads and writes its own thread, not the lead unit's.
    assert _client(world.co_user).get(_url(lead)).status_code == 404
    assert not AssignmentMessage.objects.exists()


def test_the_office_and_leaders_read_only(world: World) -> None:
    proposal = _joint(world)
    lead = lead_assignment(proposal)
    services.assignment_message_add(actor=world.lead_user, assignment=lead, text="约谈安排")
    for reader in (world.staff, world.leader):
        page = _client(reader).get(_url(lead))
        assert page.status_code == 200
        assert "约谈安排" in page.content.decode()
        assert 'id="message-form"' not in page.content.decode()
        assert _client(reader).post(_url(lead), {"text": "插话"}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.assignment_message_add(actor=reader, assignment=lead, text="插话")
    assert AssignmentMessage.objects.count() == 1


def test_the_pages_show_the_thread_and_mask_the_proposers_number(world: World) -> None:
    proposal = _joint(world)
    lead = lead_assignment(proposal)
    person = world.proposer.person
    person.set_mobile("13912345678")
    person.save()
    detail = _client(world.proposer_user).get(reverse("proposals:detail", args=[proposal.pk]))
    assert f'href="{_url(lead)}"' in detail.content.decode()
    page = _client(world.lead_user).get(_url(lead)).content.decode()
    assert "13912345678" not in page
    assert person.mobile_masked in page
    assert 'name="contact_way"' in page
    # The proposer writes on the page; the contact fields are the unit's only.
    proposer_page = _client(world.proposer_user).get(_url(lead)).content.decode()
    assert 'id="message-form"' in proposer_page and 'name="contact_way"' not in proposer_page
    response = _client(world.proposer_user).post(_url(lead), {"text": "欢迎来访。"})
    assert response.status_code == 302
    assert AssignmentMessage.objects.get().text == "欢迎来访。"


@pytest.mark.parametrize("text", ["", "长" * (MESSAGE_MAX + 1)])
def test_a_refused_post_keeps_what_was_typed(world: World, text: str) -> None:
    proposal = assigned(world)
    lead = lead_assignment(proposal)
    response = _client(world.lead_user).post(
        _url(lead), {"text": text, "contact_way": "phone", "contact_date": "2099-01-01"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "2099-01-01" in body and 'value="phone" selected' in body
    if text:
        assert text in body
    assert not AssignmentMessage.objects.exists()


def test_a_service_refusal_keeps_what_was_typed(world: World) -> None:
    proposal = assigned(world)
    lead = lead_assignment(proposal)
    response = _client(world.lead_user).post(
        _url(lead), {"text": "打了电话", "contact_way": "phone", "contact_date": "2099-01-01"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "打了电话" in body and "不能" in body
    assert not AssignmentMessage.objects.exists()


def test_the_thread_page_costs_the_same_with_three_times_the_messages(world: World) -> None:
    proposal = _joint(world)
    lead = lead_assignment(proposal)
    client = _client(world.lead_user)

    def build(n: int) -> None:
        for i in range(n):
            author = (world.lead_user, world.proposer_user, world.cosigner_user)[i % 3]
            services.assignment_message_add(actor=author, assignment=lead, text=f"第{i}条")

    def measure() -> int:
        client.get(_url(lead))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(lead)).status_code == 200
        return len(queries)

    count = assert_same_queries(build, measure, n=3)
    assert count <= 15


def test_another_committee_cannot_see_it_even_by_switching(world: World) -> None:
    other = build_world("p-thread-other")
    proposal = assigned(other)
    lead = lead_assignment(proposal)
    assert _client(world.lead_user).get(_url(lead)).status_code == 404
    assert _client(world.staff).get(_url(lead)).status_code == 404

"""A party or government leader writes an instruction (批示) in the app on an
item of an issue sent to them (issue 12): recorded at the level of the
leader's committee, dated today, credited to the submitters as a duty record,
notified and audited. Nobody else writes one this way, and an issue not sent
to party or government gets none; staff still record paper instructions."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import Role
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.models import AuditEvent, Notification
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.opinions import services
from lvzhi.opinions.models import Instruction

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov_leader(make_user: Any, committee: Any) -> Any:
    return make_user(Role.GOV_LEADER, committee, display_name="测试县长")


def write_url(item: Any) -> str:
    return reverse("opinions:instruction_write", args=[item.pk])


def test_a_gov_leader_writes_an_instruction_that_credits_the_submitter(
    client_for: Any, gov_leader: Any, published: Any, member: Any, committee: Any
) -> None:
    _report, item, issue = published()
    client = client_for(gov_leader)
    page = client.get(write_url(item))
    assert page.status_code == 200 and item.title in page.content.decode()
    assert 'value="测试县长"' in page.content.decode()  # prefilled with the leader's name
    text = "请相关部门研究落实。"
    response = client.post(write_url(item), {"leader_title": "县长", "text": text})
    assert response.status_code == 302
    assert response["Location"] == reverse("opinions:issue_detail", args=[issue.pk])
    instruction = Instruction.objects.get(item=item)
    assert instruction.level == committee.level
    assert instruction.date == timezone.localdate()
    assert instruction.created_by == gov_leader and instruction.text == "请相关部门研究落实。"
    record = DutyRecord.objects.get(kind=DutyKind.OPINION_INSTRUCTION, member=member)
    assert record.share == 1
    assert AuditEvent.objects.filter(action="opinions.instruction_record").count() == 1
    notices = Notification.objects.filter(recipient=member.person.user, title__contains="县长")
    assert notices.exists()
    detail = client.get(reverse("opinions:issue_detail", args=[issue.pk])).content.decode()
    assert "请相关部门研究落实。" in detail
    # The next one is prefilled with the title signed last time.
    assert 'value="县长"' in client.get(write_url(item)).content.decode()


def test_an_empty_instruction_is_refused_with_a_message_and_nothing_written(
    client_for: Any, gov_leader: Any, published: Any
) -> None:
    _, item, _ = published()
    response = client_for(gov_leader).post(write_url(item), {"leader_title": "县长", "text": "  "})
    assert response.status_code == 400
    assert "请填写批示内容" in response.content.decode()
    assert (
        not Instruction.objects.exists()
        and not DutyRecord.objects.filter(kind=DutyKind.OPINION_INSTRUCTION).exists()
    )
    with pytest.raises(ValidationFailed):
        services.instruction_write(actor=gov_leader, item=item, leader_title="", text="同意")


@pytest.mark.parametrize("who", ["member_user", "opinions_staff", "leader"])
def test_nobody_but_a_gov_leader_writes_an_instruction_in_the_app(
    request: Any, client_for: Any, published: Any, make_user: Any, committee: Any, who: str
) -> None:
    _, item, _ = published()
    user = make_user(Role.LEADER, committee) if who == "leader" else request.getfixturevalue(who)
    response = client_for(user).post(write_url(item), {"leader_title": "主席", "text": "同意"})
    assert response.status_code in (403, 404)  # 404 where they may read the issue
    assert not Instruction.objects.exists()


def test_an_issue_not_sent_to_party_or_government_takes_no_instruction(
    client_for: Any, gov_leader: Any, published: Any, opinions_staff: Any
) -> None:
    _, item, issue = published()
    type(issue).objects.filter(pk=issue.pk).update(to_government=False, to_party=False)
    response = client_for(gov_leader).post(write_url(item), {"leader_title": "县长", "text": "阅"})
    assert response.status_code in (403, 404)
    assert not Instruction.objects.exists()


def test_a_gov_leader_of_another_committee_finds_no_item(
    client_for: Any, make_user: Any, other_committee: Any, published: Any
) -> None:
    _, item, _ = published()
    stranger = make_user(Role.GOV_LEADER, other_committee)
    response = client_for(stranger).post(write_url(item), {"leader_title": "县长", "text": "阅"})
    assert response.status_code in (403, 404)
    assert not Instruction.objects.exists()


def test_the_issue_page_offers_the_button_to_the_gov_leader_only(
    client_for: Any, gov_leader: Any, published: Any, opinions_staff: Any
) -> None:
    _, item, issue = published()
    page = reverse("opinions:issue_detail", args=[issue.pk])
    assert write_url(item) in client_for(gov_leader).get(page).content.decode()
    assert write_url(item) not in client_for(opinions_staff).get(page).content.decode()

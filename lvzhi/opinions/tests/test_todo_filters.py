"""The home page's to-dos of public-opinion reports open the rows they count:
a member's drafts (``status=draft``) and a party or government leader's
issues awaiting an instruction (``awaiting=on``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Role
from lvzhi.opinions import services

pytestmark = pytest.mark.django_db


def test_my_reports_filtered_to_drafts_hide_the_submitted_ones(
    client_for: Any, member_user: Any, draft: Any, submitted: Any
) -> None:
    kept = draft(title="社区停车难问题的建议")
    sent = submitted(title="农贸市场改造的建议")
    page = client_for(member_user).get(reverse("opinions:my_reports"), {"status": "draft"})
    text = page.content.decode()
    assert kept.title in text and sent.title not in text


def test_issues_awaiting_an_instruction_drop_out_once_one_is_written(
    client_for: Any, make_user: Any, committee: Any, published: Any
) -> None:
    leader = make_user(Role.GOV_LEADER, committee)
    _, item, issue = published()
    client = client_for(leader)
    url = reverse("opinions:issue_list")
    assert str(issue.number) in client.get(url, {"awaiting": "on"}).content.decode()
    services.instruction_write(actor=leader, item=item, leader_title="县长", text="阅")
    rows = client.get(url, {"awaiting": "on"}).context["page_obj"].object_list
    assert list(rows) == []
    assert list(client.get(url).context["page_obj"].object_list) == [issue]

"""三听三转 help: messages that say the same thing are grouped for the
public-channel office; nobody else sees the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.assist import indexing
from lvzhi.assist.grouping import group
from lvzhi.proposals.tests.conftest import World, make_role_user
from lvzhi.public import codes, services
from lvzhi.public.models import Message
from lvzhi.public.tests.factories import VenueFactory

pytestmark = pytest.mark.django_db


def send(venue: object, text: str, n: int) -> None:
    services.message_submit(
        venue=venue,  # type: ignore[arg-type]
        text=text,
        form_token=codes.new_form_token(),
        category=Message.Category.SUGGESTION,
        ip=f"203.0.113.{n}",  # one sender each: the hourly limit is per address
    )


def test_similar_words_group_and_a_lone_message_is_left_out() -> None:
    rows = [
        ("a", ["小区", "路灯", "损坏", "晚上"]),
        ("b", ["路灯", "损坏", "小区", "维修"]),
        ("c", ["公交", "班次", "太少"]),
    ]
    assert group(rows) == [["a", "b"]]


def test_the_public_office_sees_messages_on_the_same_matter(world: World, client: Client) -> None:
    venue = VenueFactory(committee=world.committee)
    send(venue, "东城小区门口的路灯坏了好几盏，晚上出行很不安全，希望尽快维修。", 1)
    send(venue, "小区门口路灯坏了，晚上很黑，出行不安全，请尽快维修路灯。", 2)
    send(venue, "建议增加到县医院的公交班次，老人看病等车太久。", 3)
    indexing.rebuild(["message"])
    staff = make_role_user(world.committee, "as-public", Role.STAFF, Area.PUBLIC)
    client.force_login(staff)
    html = client.get(reverse("assist:message_groups")).content.decode()
    assert html.count("message-group-item") == 2 and "公交" not in html
    client.force_login(world.staff)  # the proposal office
    assert client.get(reverse("assist:message_groups")).status_code == 403

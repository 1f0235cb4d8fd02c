"""The public channel's to-dos on the home page: the messages of the
committee waiting for a reply, and those past the reply deadline (urgent),
each linking to the inbox filtered to the same messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.org.tests.todo_helpers import home_todos, queue_rows
from lvzhi.public.models import Message
from lvzhi.public.tests.factories import VenueFactory

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_counts_waiting_and_overdue_messages_and_the_inbox_filters_them(
    submit, public_staff, other_committee, make_user
):
    from lvzhi.accounts.models import Area, Role

    first = submit().message
    submit(text="公交站台太少，等车不便。")
    late = submit(text="菜市场周边占道经营严重。").message
    Message.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    replied = submit(text="建议增设社区食堂。").message
    Message.objects.filter(pk=replied.pk).update(
        status=Message.Status.REPLIED, replied_at=timezone.now()
    )
    submit(text="外县的留言。", venue=VenueFactory(committee=other_committee))
    client = client_of(public_staff)
    todos = home_todos(client)
    waiting = todos["Messages waiting for a reply"]
    overdue = todos["Messages past the reply deadline"]
    assert waiting["count"] == 3
    assert queue_rows(client, waiting) == 3
    assert overdue["count"] == 1 and overdue["alert"]
    assert queue_rows(client, overdue) == 1
    assert first.pk not in [m.pk for m in client.get(overdue["url"]).context["page_obj"]]
    far = make_user(Role.STAFF, other_committee, Area.PUBLIC)
    assert home_todos(client_of(far))["Messages waiting for a reply"]["count"] == 1

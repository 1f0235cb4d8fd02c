"""The staff pages: who sees which message, tenancy, bad input, query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.core.committee_settings import setting_value
from lvzhi.core.models import AuditEvent, CommitteeSetting
from lvzhi.core.testing import assert_same_queries, page_queries
from lvzhi.core.web import PAGE_SIZE
from lvzhi.org.tests.factories import StationFactory, StudioFactory
from lvzhi.public import codes, services
from lvzhi.public.models import Message, Venue
from lvzhi.public.settings_defs import REPLY_WORKING_DAYS
from lvzhi.public.tests.conftest import public_settings_set
from lvzhi.public.tests.factories import VenueFactory


def test_public_staff_see_the_inbox_with_deadline_colours(
    submit: Callable[..., Any], public_staff: Any, client_for: Callable[..., Client]
) -> None:
    message = submit().message
    Message.objects.filter(pk=message.pk).update(deadline="2020-01-01")
    response = client_for(public_staff).get(reverse("public:inbox"), {"status": "open"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "deadline-red" in body and message.text[:10] in body


def test_a_studio_member_sees_only_their_venues_messages(
    submit: Callable[..., Any],
    make_member_user: Any,
    member_user: Any,
    committee: Any,
    client_for: Callable[..., Client],
) -> None:
    mine = submit(text="我们工作室的留言").message
    other_member, _other_user = make_member_user("other")
    other_studio = StudioFactory(committee=committee, name="另一个工作室")
    other_studio.members.add(other_member)
    other_venue = VenueFactory(committee=committee, studio=other_studio)
    theirs = submit(text="别人工作室的留言", venue=other_venue).message

    client = client_for(member_user)
    body = client.get(reverse("public:inbox")).content.decode()
    assert "我们工作室的留言" in body and "别人工作室的留言" not in body
    assert client.get(reverse("public:message_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("public:message_detail", args=[theirs.pk])).status_code == 404
    # Answering another studio's message is refused and changes nothing.
    response = client.post(
        reverse("public:message_reply", args=[theirs.pk]), {"text": "越权回复", "public": "on"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Message.Status.RECEIVED and not theirs.reply


def test_a_member_replies_from_the_message_page(
    submit: Callable[..., Any], member_user: Any, client_for: Callable[..., Client]
) -> None:
    message = submit().message
    client = client_for(member_user)
    page = client.get(reverse("public:message_detail", args=[message.pk])).content.decode()
    assert 'id="reply-form"' in page and 'id="approve-button"' not in page
    empty = client.post(reverse("public:message_reply", args=[message.pk]), {"text": ""})
    assert empty.status_code == 302
    assert Message.objects.get(pk=message.pk).status == Message.Status.RECEIVED
    client.post(reverse("public:message_reply", args=[message.pk]), {"text": "已转交社区"})
    assert Message.objects.get(pk=message.pk).reply == "已转交社区"


def test_another_committee_gets_404_for_messages_and_posters(
    submit: Callable[..., Any],
    make_user: Callable[..., Any],
    other_committee: Any,
    client_for: Callable[..., Client],
    venue: Venue,
) -> None:
    message = submit().message
    outsider = make_user(Role.STAFF, other_committee, Area.PUBLIC, username="outsider_staff")
    client = client_for(outsider)
    assert client.get(reverse("public:message_detail", args=[message.pk])).status_code == 404
    assert (
        client.post(reverse("public:message_close", args=[message.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert client.get(reverse("public:poster", args=[venue.pk])).status_code == 404
    assert message.text not in client.get(reverse("public:inbox")).content.decode()
    response = client.get(reverse("public:convert"), {"ids": [message.pk]})
    assert response.status_code == 302  # nothing of theirs chosen
    assert Message.objects.get(pk=message.pk).status == Message.Status.RECEIVED


def test_people_without_a_role_cannot_open_the_inbox(
    client_for: Callable[..., Client], make_user: Callable[..., Any], committee: Any
) -> None:
    auditor = make_user(Role.AUDITOR, committee, username="auditor1")
    assert client_for(auditor).get(reverse("public:inbox")).status_code == 403
    assert Client().get(reverse("public:inbox")).status_code == 302  # to the login page


def test_staff_see_the_full_number_and_the_view_is_audited(
    submit: Callable[..., Any],
    public_staff: Any,
    member_user: Any,
    client_for: Callable[..., Client],
) -> None:
    message = submit(mobile="13912345678", consent=True).message
    staff_page = (
        client_for(public_staff)
        .get(reverse("public:message_detail", args=[message.pk]))
        .content.decode()
    )
    assert "13912345678" in staff_page
    assert AuditEvent.objects.filter(action="public.message_view_mobile").count() == 1
    member_page = (
        client_for(member_user)
        .get(reverse("public:message_detail", args=[message.pk]))
        .content.decode()
    )
    assert "13912345678" not in member_page and "139****5678" in member_page


def test_held_messages_are_hidden_from_members_and_approved_by_staff_on_the_page(
    submit: Callable[..., Any],
    venue: Venue,
    public_staff: Any,
    member_user: Any,
    client_for: Callable[..., Client],
) -> None:
    public_settings_set(venue.committee, held_words=["刷单"])
    message = submit(text="刷单兼职").message
    assert (
        client_for(member_user).get(reverse("public:message_detail", args=[message.pk])).status_code
        == 404
    )
    client = client_for(public_staff)
    page = client.get(reverse("public:message_detail", args=[message.pk])).content.decode()
    assert 'id="approve-button"' in page
    client.post(reverse("public:message_approve", args=[message.pk]))
    assert Message.objects.get(pk=message.pk).status == Message.Status.RECEIVED


def test_staff_create_a_room_and_sync_venues_for_studios_and_stations(
    public_staff: Any, committee: Any, client_for: Callable[..., Client], member: Any
) -> None:
    StudioFactory(committee=committee)
    StationFactory(committee=committee)
    client = client_for(public_staff)
    client.post(reverse("public:venue_list"))
    assert Venue.objects.filter(committee=committee).count() == 2
    client.post(reverse("public:venue_list"))
    assert Venue.objects.filter(committee=committee).count() == 2  # idempotent
    response = client.post(
        reverse("public:room_create"), {"name": "东城协商室", "members": [member.pk]}
    )
    assert response.status_code == 302
    room = Venue.objects.get(kind=Venue.Kind.ROOM)
    assert list(room.members.all()) == [member]
    assert len(room.code) == 20 and room.code != codes.new_venue_code()
    assert client.post(reverse("public:room_create"), {"name": ""}).status_code == 400


def test_settings_refuse_bad_values(
    public_staff: Any, client_for: Callable[..., Client], committee: Any
) -> None:
    client = client_for(public_staff)
    response = client.post(
        reverse("public:settings"),
        {
            "public__reply_working_days": 0,
            "public__per_ip_per_hour": 5,
            "public__per_venue_per_hour": 60,
            "public__max_length": 10,
            "public__max_photos": 3,
            "public__held_words": "",
        },
    )
    assert response.status_code == 400 and response.context["form"].errors
    assert setting_value(committee, REPLY_WORKING_DAYS) == 7
    assert not CommitteeSetting.objects.exists()


def test_the_inbox_query_count_does_not_grow(
    submit: Callable[..., Any],
    public_staff: Any,
    client_for: Callable[..., Client],
    member: Any,
) -> None:
    made = 0

    def build(n: int) -> None:
        nonlocal made
        for _ in range(n):
            message = submit(ip=f"10.9.{made // 200}.{made % 200}").message
            services.message_assign(message=message, member=member, actor=public_staff)
            made += 1

    client = client_for(public_staff)
    queries = assert_same_queries(
        build, lambda: page_queries(client, reverse("public:inbox")), n=10, page_size=PAGE_SIZE
    )
    assert queries <= 15


def test_the_timeline_names_each_step_in_words_not_codes(
    submit: Callable[..., Any], public_staff: Any, client_for: Callable[..., Client]
) -> None:
    message = submit().message
    services.message_reply(message=message, text="已处理", public=False, actor=public_staff)
    page = client_for(public_staff).get(reverse("public:message_detail", args=[message.pk]))
    steps = page.context["step_labels"]
    assert set(message.events.values_list("action", flat=True)) <= set(steps)
    body = page.content.decode()
    assert "· submit" not in body and "· reply" not in body

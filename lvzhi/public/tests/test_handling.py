"""Staff and the venue's members handle messages: approve, assign, reply,
close; the citizen rates the reply; reminders; duty records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core import calendar
from lvzhi.core.committee_settings import committee_settings_update
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import Notification
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.public import codes, services, tasks
from lvzhi.public.models import Message, MessageEvent, Venue


def test_a_new_message_is_due_in_seven_working_days(submit: Callable[..., Any]) -> None:
    message = submit().message
    assert message.status == Message.Status.RECEIVED
    assert message.deadline == calendar.add_working_days(timezone.localdate(), 7)
    assert list(message.events.values_list("action", "to_state")) == [("submit", "received")]


def test_a_closed_message_can_no_longer_be_answered(
    submit: Callable[..., Any], public_staff: Any
) -> None:
    message = submit().message
    services.message_close(message=message, reason="重复留言", actor=public_staff)
    with pytest.raises(Conflict):
        services.message_reply(message=message, text="晚了", public=False, actor=public_staff)


def test_staff_assign_to_a_venue_member_only(
    submit: Callable[..., Any], public_staff: Any, member: Any, make_member_user: Any
) -> None:
    message = submit().message
    outsider, _user = make_member_user("outsider")
    with pytest.raises(ValidationFailed):
        services.message_assign(message=message, member=outsider, actor=public_staff)
    services.message_assign(message=message, member=member, actor=public_staff)
    message.refresh_from_db()
    assert message.status == Message.Status.ASSIGNED and message.assigned_to == member
    assert Notification.objects.filter(recipient=member.person.user).exists()


def test_a_member_of_the_venue_replies_and_earns_one_duty_record(
    submit: Callable[..., Any], member_user: Any, member: Any
) -> None:
    message = submit().message
    services.message_reply(message=message, text="已联系社区修复", public=True, actor=member_user)
    message.refresh_from_db()
    assert message.status == Message.Status.REPLIED
    assert message.reply_public and message.replied_by == member_user
    records = DutyRecord.objects.filter(member=member, kind=DutyKind.PUBLIC_SERVICE)
    assert records.count() == 1
    assert records.get().source_id == message.pk
    event = MessageEvent.objects.get(message=message, action="reply")
    assert (event.from_state, event.to_state, event.actor) == ("received", "replied", member_user)


def test_staff_replies_earn_no_duty_record(submit: Callable[..., Any], public_staff: Any) -> None:
    message = submit().message
    services.message_reply(message=message, text="收到", public=False, actor=public_staff)
    assert DutyRecord.objects.count() == 0


def test_the_system_may_reply_outside_a_request_and_earns_no_duty_record(
    submit: Callable[..., Any],
) -> None:
    # A command or the demo seeder replies with actor=None (core.permissions.is_system).
    message = services.message_reply(
        message=submit().message, text="已转交街道办理。", public=True, actor=None
    )
    assert message.status == Message.Status.REPLIED
    assert DutyRecord.objects.count() == 0


def test_a_member_of_another_studio_cannot_answer(
    submit: Callable[..., Any], make_member_user: Any, committee: Any
) -> None:
    from lvzhi.org.tests.factories import StudioFactory

    other_member, other_user = make_member_user("other_studio_member")
    StudioFactory(committee=committee, name="别的工作室").members.add(other_member)
    message = submit().message
    with pytest.raises(PermissionDenied):
        services.message_reply(message=message, text="越权", public=True, actor=other_user)
    with pytest.raises(PermissionDenied):
        services.message_close(message=message, reason="越权", actor=other_user)
    message.refresh_from_db()
    assert message.status == Message.Status.RECEIVED and not message.reply


def test_only_staff_approve_held_messages(
    submit: Callable[..., Any], venue: Venue, member_user: Any, public_staff: Any
) -> None:
    committee_settings_update(
        actor=public_staff, committee=venue.committee, values={"public.held_words": "违禁词"}
    )
    message = submit(text="这里有违禁词").message
    assert message.status == Message.Status.HELD and message.held_words == "违禁词"
    with pytest.raises(PermissionDenied):
        services.message_approve(message=message, actor=member_user)
    services.message_approve(message=message, actor=public_staff)
    assert Message.objects.get(pk=message.pk).status == Message.Status.RECEIVED


def test_closing_needs_a_reason(submit: Callable[..., Any], public_staff: Any) -> None:
    message = submit().message
    with pytest.raises(ValidationFailed):
        services.message_close(message=message, reason="  ", actor=public_staff)
    services.message_close(message=message, reason="已电话答复", actor=public_staff)
    message.refresh_from_db()
    assert message.status == Message.Status.CLOSED and message.close_reason == "已电话答复"


def test_the_citizen_rates_a_reply_once(submit: Callable[..., Any], public_staff: Any) -> None:
    sent = submit()
    message = sent.message
    with pytest.raises(Conflict):
        services.message_rate(code=sent.code, rating="satisfied")
    services.message_reply(message=message, text="已处理", public=False, actor=public_staff)
    services.message_rate(code=sent.code, rating="basic", comment="还行")
    with pytest.raises(Conflict):
        services.message_rate(code=sent.code, rating="unsatisfied")
    message.refresh_from_db()
    assert (message.rating, message.rating_comment) == ("basic", "还行")
    event = message.events.get(action="rate")
    assert (event.actor, event.from_state, event.to_state) == (None, "replied", "replied")
    assert event.data == {"rating": "basic"}
    with pytest.raises(ValidationFailed):
        services.message_rate(code=submit().code, rating="great")


def test_a_rating_needs_the_right_tracking_code(
    submit: Callable[..., Any], public_staff: Any
) -> None:
    sent = submit()
    services.message_reply(message=sent.message, text="已处理", public=False, actor=public_staff)
    with pytest.raises(ValidationFailed):
        services.message_rate(code="AAAA-AAAA-AAAA-AAAA", rating="satisfied")
    assert not Message.objects.exclude(rating="").exists()


def test_the_tracking_page_shows_a_private_reply_to_its_citizen_and_takes_the_rating(
    client: Client, submit: Callable[..., Any], public_staff: Any, venue: Venue
) -> None:
    result = submit()
    services.message_reply(
        message=result.message, text="私下答复内容", public=False, actor=public_staff
    )
    url = reverse("public:track", args=[codes.display(result.code)])
    page = client.get(url).content.decode()
    assert "私下答复内容" in page and 'name="rating"' in page
    # A private reply is not on the public page.
    assert (
        "私下答复内容"
        not in client.get(reverse("public:venue_page", args=[venue.code])).content.decode()
    )
    response = client.post(url, {"rating": "satisfied", "comment": "谢谢"})
    assert response.status_code == 302
    assert Message.objects.get().rating == "satisfied"
    assert 'name="rating"' not in client.get(url).content.decode()


def test_reminders_go_once_per_threshold(
    submit: Callable[..., Any], member: Any, public_staff: Any
) -> None:
    message = submit().message
    today = timezone.localdate()
    Message.objects.filter(pk=message.pk).update(deadline=today + timedelta(days=1))
    assert services.reminders_send(today=today) == 1  # the studio's one member
    assert services.reminders_send(today=today) == 0
    Message.objects.filter(pk=message.pk).update(deadline=today - timedelta(days=1))
    assert tasks.remind_messages_due.call_local() == 2  # the member and public staff
    assert tasks.remind_messages_due.call_local() == 0
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert f"public-message-{message.pk}-due" in keys
    assert f"public-message-{message.pk}-overdue" in keys


def test_replied_messages_get_no_reminder(submit: Callable[..., Any], public_staff: Any) -> None:
    message = submit().message
    Message.objects.filter(pk=message.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    services.message_reply(message=message, text="好", public=False, actor=public_staff)
    assert services.reminders_send() == 0

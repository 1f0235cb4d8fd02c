"""Online consultation (云协商): the time window, invited participants only,
one's own posts only, moderation that keeps the history, one duty record per
member per consultation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.models import Consultation, ConsultationEvent, ConsultationFormat, Post
from lvzhi.consultations.selectors import posts_of
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.duties.models import DutyKind, DutyRecord
from lvzhi.org.models import Member

from .conftest import user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def online(
    make_consultation: Callable[..., Consultation], cstaff: User, member: Member
) -> Consultation:
    consultation = make_consultation(ConsultationFormat.ONLINE, title="城市公园开放时间")
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    return consultation


def test_posting_before_it_opens_and_after_it_closes_is_refused(
    online: Consultation, member_user: User
) -> None:
    assert online.opens_at is not None and online.closes_at is not None
    before = online.opens_at - dt.timedelta(minutes=1)
    after = online.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(Conflict, match=str(gettext("The online consultation has not opened yet."))):
        services.post_create(actor=member_user, consultation=online, text="早了", now=before)
    with pytest.raises(Conflict, match=str(gettext("The online consultation has closed."))):
        services.post_create(actor=member_user, consultation=online, text="晚了", now=after)
    assert not Post.objects.exists()
    assert not DutyRecord.objects.exists()


def test_posting_before_the_meeting_stage_is_refused_even_inside_the_window(
    make_consultation: Callable[..., Consultation], member_user: User, member: Member, cstaff: User
) -> None:
    consultation = make_consultation(ConsultationFormat.ONLINE)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    with pytest.raises(Conflict):
        services.post_create(actor=member_user, consultation=consultation, text="还没开始")
    assert not Post.objects.exists()


def test_invited_members_and_logins_post_and_reply_one_level_and_others_are_refused(
    online: Consultation,
    member_user: User,
    make_seat: Callable[[str], Member],
    make_user: Callable[..., User],
    cstaff: User,
) -> None:
    official = make_user("unit", online.committee, username="official")
    services.participant_add(
        actor=cstaff, consultation=online, kind="official", name="李处长", user=official
    )
    outsider = user_of(make_seat("outsider"))
    post = services.post_create(actor=member_user, consultation=online, text="建议延长开放时间")
    reply = services.post_create(actor=official, consultation=online, text="可以研究", parent=post)
    deeper = services.post_create(actor=member_user, consultation=online, text="谢谢", parent=reply)
    assert reply.parent == post
    assert deeper.parent == post  # threads are one level deep
    with pytest.raises(PermissionDenied):
        services.post_create(actor=outsider, consultation=online, text="我也说两句")
    with pytest.raises(ValidationFailed):
        services.post_create(actor=member_user, consultation=online, text="  ")
    with pytest.raises(ValidationFailed):
        services.post_create(actor=member_user, consultation=online, text="长" * 2001)
    assert Post.objects.count() == 3


def test_a_member_posting_twice_gets_one_consultation_record(
    online: Consultation, member_user: User, member: Member
) -> None:
    services.post_create(actor=member_user, consultation=online, text="一")
    services.post_create(actor=member_user, consultation=online, text="二")
    records = DutyRecord.objects.filter(member=member, withdrawn_at__isnull=True)
    assert list(records.values_list("kind", flat=True)) == [DutyKind.CONSULTATION]


def test_the_same_post_submitted_twice_is_stored_once(
    online: Consultation, member_user: User
) -> None:
    first = services.post_create(actor=member_user, consultation=online, text="一", token="t1")
    again = services.post_create(actor=member_user, consultation=online, text="一", token="t1")
    assert first.pk == again.pk


def test_one_member_cannot_edit_another_members_post(
    online: Consultation,
    member_user: User,
    make_seat: Callable[[str], Member],
    cstaff: User,
) -> None:
    other = make_seat("other")
    services.participant_add(actor=cstaff, consultation=online, kind="member", member=other)
    post = services.post_create(actor=member_user, consultation=online, text="原文")
    with pytest.raises(PermissionDenied):
        services.post_edit(actor=user_of(other), post=post, text="改掉")
    with pytest.raises(PermissionDenied):
        services.post_edit(actor=cstaff, post=post, text="改掉")
    post.refresh_from_db()
    assert post.text == "原文"
    services.post_edit(actor=member_user, post=post, text="修改后")
    post.refresh_from_db()
    assert (post.text, list(post.revisions.values_list("text", flat=True))) == ("修改后", ["原文"])
    assert post.edited_at is not None


def test_hidden_posts_stay_in_the_history_with_the_reason(
    online: Consultation, member_user: User, cstaff: User
) -> None:
    post = services.post_create(actor=member_user, consultation=online, text="不当言论")
    with pytest.raises(PermissionDenied):
        services.post_hide(actor=member_user, post=post, reason="自己删")
    with pytest.raises(ValidationFailed):
        services.post_hide(actor=cstaff, post=post, reason="")
    services.post_hide(actor=cstaff, post=post, reason="与议题无关")
    with pytest.raises(Conflict):
        services.post_hide(actor=cstaff, post=post, reason="再隐藏")
    kept = posts_of(online).get()
    assert (kept.text, kept.hidden_reason, kept.hidden_by) == ("不当言论", "与议题无关", cstaff)
    event = ConsultationEvent.objects.filter(consultation=online, action="hide_post").get()
    assert "与议题无关" in event.note
    with pytest.raises(Conflict):
        services.post_edit(actor=member_user, post=post, text="改一下")
    with pytest.raises(Conflict):
        services.post_create(actor=member_user, consultation=online, text="回复", parent=post)


def test_nobody_posts_once_the_consultation_has_been_concluded(
    online: Consultation, member_user: User, cstaff: User
) -> None:
    assert online.closes_at is not None
    later = online.closes_at + dt.timedelta(minutes=5)
    services.consultation_hold(actor=cstaff, consultation=online, summary="小结", now=later)
    with pytest.raises(Conflict):
        services.post_create(
            actor=member_user, consultation=online, text="补充", now=timezone.now()
        )

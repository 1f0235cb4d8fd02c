"""The pages: a whole consultation through the forms, who sees what
(departments only what was sent to them, members their own, another
committee nothing), bad input answered with a message and no change, and
list pages whose query count does not grow with the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.models import (
    Consultation,
    ConsultationEvent,
    ConsultationFormat,
    Finding,
    OutcomeItem,
    Post,
    SupervisionItem,
    Topic,
)
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import page_queries
from lvzhi.duties.models import DutyRecord
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.tests.factories import HandlingUnitFactory, MemberFactory

from .conftest import seat, unit_user_for, user_of

pytestmark = pytest.mark.django_db
FUTURE = timezone.localdate() + dt.timedelta(days=40)


def as_user(user: User, committee: Committee | None = None) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, *args: Any) -> str:
    return reverse(f"consultations:{name}", args=args)


def test_staff_take_a_let_us_talk_it_over_from_topic_to_closed_through_the_pages(
    cstaff: User,
    committee: Committee,
    department: HandlingUnit,
    member: Member,
    unit_user: User,
) -> None:
    staff = as_user(cstaff)
    response = staff.post(
        url("consultation_create"),
        {
            "year": 2026,
            "title": "小区停车难",
            "format": ConsultationFormat.GOOD_TALK,
            "first_convener": member.pk,
            "department": department.pk,
            "meeting_date": "2026-05-20",
            "token": "tok-1",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    # The same form again (double click) creates nothing new.
    staff.post(
        url("consultation_create"),
        {
            "year": 2026,
            "title": "小区停车难",
            "format": ConsultationFormat.GOOD_TALK,
            "first_convener": member.pk,
            "department": department.pk,
            "token": "tok-1",
        },
    )
    assert Consultation.objects.count() == 1
    step = url("consultation_transition", consultation.pk)
    staff.post(step, {"action": "prepare"})
    staff.post(url("preparation_add", consultation.pk), {"kind": "briefing", "title": "情况通报会"})
    staff.post(step, {"action": "convene", "meeting_date": "2026-05-21"})
    staff.post(url("participant_add", consultation.pk), {"kind": "member", "member": member.pk})
    staff.post(url("participant_add", consultation.pk), {"kind": "stakeholder", "name": "物业代表"})
    speaker = consultation.participants.get(member=member)
    staff.post(url("speech_add", consultation.pk), {"speaker": speaker.pk, "title": "错时共享车位"})
    staff.post(step, {"action": "hold"})
    staff.post(
        url("outcome_add", consultation.pk),
        {"text": "推行错时停车", "recipient": "unit", "unit": department.pk},
    )
    staff.post(step, {"action": "send", "feedback_deadline": FUTURE.isoformat()})
    outcome = consultation.outcomes.get()
    department_client = as_user(unit_user)
    inbox = department_client.get(url("unit_inbox"))
    assert "推行错时停车" in inbox.content.decode()
    department_client.post(url("outcome_feedback", outcome.pk), {"feedback": "已在三个小区试点"})
    staff.post(step, {"action": "review", "review_note": "回头看：试点有效"})
    staff.post(step, {"action": "close"})
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.CLOSED
    assert list(
        ConsultationEvent.objects.filter(consultation=consultation).values_list("action", flat=True)
    ) == [
        "create",
        "prepare",
        "convene",
        "hold",
        "send",
        "feedback",
        "feedback_complete",
        "review",
        "close",
    ]
    assert DutyRecord.objects.filter(member=member, kind="consultation").count() == 1
    page = staff.get(url("consultation_detail", consultation.pk)).content.decode()
    assert "已在三个小区试点" in page and member.person.name in page and department.name in page


def test_a_step_refused_by_the_service_shows_its_reason_and_changes_nothing(
    cstaff: User, make_consultation: Callable[..., Consultation]
) -> None:
    consultation = make_consultation()
    response = as_user(cstaff).post(
        url("consultation_transition", consultation.pk), {"action": "close"}, follow=True
    )
    message = gettext("This cannot be done while it is “%(state)s”.") % {
        "state": Consultation.State.TOPIC.label
    }
    assert escape(message) in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.TOPIC


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"year": 2026, "title": "", "format": "good_talk"},
        {"year": 2026, "title": "长" * 201, "format": "special_meeting"},
        {"year": "两千", "title": "题", "format": "special_meeting"},
        {"year": 2026, "title": "题", "format": "no_such_format"},
        {"year": 2026, "title": "题", "format": "good_talk"},  # no conveners
    ],
)
def test_bad_consultation_input_is_refused_with_a_message_and_nothing_is_created(
    cstaff: User, data: dict[str, Any]
) -> None:
    response = as_user(cstaff).post(url("consultation_create"), data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    assert not Consultation.objects.exists()


def test_another_committees_department_or_member_is_refused_by_the_form(
    cstaff: User,
    committee: Committee,
    other_committee: Committee,
    department: HandlingUnit,
    member: Member,
) -> None:
    foreign_unit = HandlingUnitFactory(committee=other_committee)
    foreign_member = MemberFactory(committee=other_committee)
    client = as_user(cstaff)
    for convener, unit in ((member.pk, foreign_unit.pk), (foreign_member.pk, department.pk)):
        response = client.post(
            url("consultation_create"),
            {
                "year": 2026,
                "title": "题",
                "format": "good_talk",
                "first_convener": convener,
                "department": unit,
            },
        )
        assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_bad_topic_input_and_a_duplicate_get_messages_and_nothing_changes(
    cstaff: User, member_user: User
) -> None:
    client = as_user(member_user)
    assert client.post(url("topic_create"), {"year": 2026, "source": "member"}).status_code == 400
    too_long = {"year": 2026, "source": "member", "title": "题" * 201, "rationale": "理由"}
    assert client.post(url("topic_create"), too_long).status_code == 400
    forged = {"year": 2026, "source": "government", "title": "冒充", "rationale": "理由"}
    assert client.post(url("topic_create"), forged).status_code == 400
    good = {"year": 2026, "source": "member", "title": "社区养老", "rationale": "理由"}
    assert client.post(url("topic_create"), good).status_code == 302
    again = client.post(url("topic_create"), good)
    assert again.status_code == 400
    assert "社区养老" in again.content.decode()
    assert Topic.objects.count() == 1


# --- Who sees what ----------------------------------------------------------------------


@pytest.fixture
def sent(
    make_consultation: Callable[..., Consultation],
    cstaff: User,
    member: Member,
    department: HandlingUnit,
    other_department: HandlingUnit,
) -> Consultation:
    consultation = make_consultation(ConsultationFormat.COUNTERPART)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    services.consultation_hold(actor=cstaff, consultation=consultation)
    services.outcome_add(
        actor=cstaff,
        consultation=consultation,
        text="给教育局的建议",
        recipient="unit",
        unit=department,
    )
    services.outcome_add(
        actor=cstaff,
        consultation=consultation,
        text="给卫健委的建议",
        recipient="unit",
        unit=other_department,
    )
    services.outcome_add(
        actor=cstaff,
        consultation=consultation,
        text="给党委政府的建议",
        recipient="party_government",
    )
    services.consultation_send(actor=cstaff, consultation=consultation, feedback_deadline=FUTURE)
    return consultation


def test_a_department_sees_only_the_outcomes_and_findings_sent_to_it(
    sent: Consultation,
    unit_user: User,
    other_unit_user: User,
    cstaff: User,
    department: HandlingUnit,
    other_department: HandlingUnit,
) -> None:
    mine = sent.outcomes.get(unit=department)
    theirs = sent.outcomes.get(unit=other_department)
    client = as_user(unit_user)
    page = client.get(url("unit_inbox")).content.decode()
    assert "给教育局的建议" in page
    assert "给卫健委的建议" not in page and "给党委政府的建议" not in page
    assert client.get(url("consultation_detail", sent.pk)).status_code == 404
    assert client.get(url("outcome_feedback", theirs.pk)).status_code == 404
    assert client.post(url("outcome_feedback", theirs.pk), {"feedback": "越权"}).status_code == 404
    assert client.get(url("outcome_feedback", mine.pk)).status_code == 200
    assert client.get(url("consultation_list")).status_code == 403
    # Findings alike.
    plan = services.supervision_plan_create(
        actor=cstaff, committee=sent.committee, year=2026, title="监督"
    )
    item = services.supervision_item_add(
        actor=cstaff,
        plan=plan,
        title="事项",
        form="inspection",
        month=3,
        subjects=[department, other_department],
    )
    own = services.finding_create(
        actor=cstaff, item=item, unit=department, text="本局问题", deadline=FUTURE
    )
    other = services.finding_create(
        actor=cstaff, item=item, unit=other_department, text="他局问题", deadline=FUTURE
    )
    page = client.get(url("unit_inbox")).content.decode()
    assert "本局问题" in page and "他局问题" not in page
    assert client.get(url("finding_detail", other.pk)).status_code == 404
    assert (
        client.post(
            url("finding_transition", other.pk), {"action": "report", "note": "x"}
        ).status_code
        == 404
    )
    client.post(url("finding_transition", own.pk), {"action": "report", "note": "已整改"})
    own.refresh_from_db()
    assert own.state == Finding.State.REPORTED
    assert client.get(url("finding_list")).status_code == 403


def test_members_see_their_consultations_and_published_plans_only(
    sent: Consultation,
    make_consultation: Callable[..., Consultation],
    member_user: User,
    committee: Committee,
    cstaff: User,
) -> None:
    other = make_consultation(title="与我无关的协商")
    stranger = user_of(seat(committee, "stranger"))
    client = as_user(member_user)
    listing = client.get(url("consultation_list")).content.decode()
    assert sent.title in listing and "与我无关的协商" not in listing
    assert client.get(url("consultation_detail", sent.pk)).status_code == 200
    assert client.get(url("consultation_detail", other.pk)).status_code == 404
    assert as_user(stranger).get(url("consultation_detail", sent.pk)).status_code == 404
    plan = services.plan_create(actor=cstaff, committee=committee, year=2026, title="年度计划")
    assert client.get(url("plan_detail", plan.pk)).status_code == 404
    Consultation.objects.none()
    type(plan).objects.filter(pk=plan.pk).update(status="published")
    assert client.get(url("plan_detail", plan.pk)).status_code == 200
    assert client.get(url("supervision_list")).status_code == 403
    assert (
        client.post(url("consultation_transition", sent.pk), {"action": "review"}).status_code
        == 403
    )


def test_another_committees_objects_answer_404(
    sent: Consultation, other_committee: Committee, make_user: Callable[..., User]
) -> None:
    foreign_staff = make_user("staff", other_committee, "consultations", username="foreign")
    client = as_user(foreign_staff)
    outcome = sent.outcomes.first()
    assert outcome is not None
    for name, args in (
        ("consultation_detail", [sent.pk]),
        ("preparation_add", [sent.pk]),
        ("outcome_feedback", [outcome.pk]),
        ("evaluation_edit", [sent.pk]),
    ):
        assert client.get(url(name, *args)).status_code == 404, name
    assert (
        client.post(url("consultation_transition", sent.pk), {"action": "review"}).status_code
        == 404
    )
    foreign_unit_user = unit_user_for(HandlingUnitFactory(committee=other_committee), "foreignunit")
    assert as_user(foreign_unit_user).get(url("outcome_feedback", outcome.pk)).status_code == 404
    assert Consultation.objects.get(pk=sent.pk).state == Consultation.State.SENT


# --- Online consultation pages -----------------------------------------------------------


@pytest.fixture
def online(
    make_consultation: Callable[..., Consultation], cstaff: User, member: Member
) -> Consultation:
    consultation = make_consultation(ConsultationFormat.ONLINE, title="网上议政：公园")
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    services.participant_add(actor=cstaff, consultation=consultation, kind="member", member=member)
    return consultation


def test_a_member_posts_and_staff_hide_a_post_that_stays_visible_to_staff(
    online: Consultation, member_user: User, cstaff: User, committee: Committee
) -> None:
    client = as_user(member_user)
    client.post(url("post_create", online.pk), {"text": "公园应延长开放", "token": "p1"})
    client.post(url("post_create", online.pk), {"text": "公园应延长开放", "token": "p1"})
    post = Post.objects.get()
    staff = as_user(cstaff)
    assert staff.post(url("post_hide", online.pk, post.pk), {"reason": ""}).status_code == 400
    staff.post(url("post_hide", online.pk, post.pk), {"reason": "重复内容"})
    staff_page = staff.get(url("consultation_detail", online.pk)).content.decode()
    assert "公园应延长开放" in staff_page and "重复内容" in staff_page
    member_page = client.get(url("consultation_detail", online.pk)).content.decode()
    assert "公园应延长开放" not in member_page
    assert str(gettext("This post has been hidden by the moderator.")) in member_page
    assert AuditEvent.objects.filter(action="consultations.consultation.hide_post").count() == 1


def test_editing_another_members_post_is_refused_through_the_page(
    online: Consultation, member_user: User, cstaff: User, committee: Committee
) -> None:
    other = seat(committee, "other")
    services.participant_add(actor=cstaff, consultation=online, kind="member", member=other)
    post = services.post_create(actor=member_user, consultation=online, text="原话")
    response = as_user(user_of(other)).post(url("post_edit", online.pk, post.pk), {"text": "篡改"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.text == "原话"


def test_an_uninvited_member_cannot_open_or_post_in_an_online_consultation(
    online: Consultation, committee: Committee
) -> None:
    outsider = as_user(user_of(seat(committee, "outsider")))
    assert outsider.get(url("consultation_detail", online.pk)).status_code == 404
    assert outsider.post(url("post_create", online.pk), {"text": "插话"}).status_code == 404
    assert not Post.objects.exists()


# --- Exports and home ------------------------------------------------------------------


def test_staff_export_the_lists_to_excel_and_the_export_is_audited(
    sent: Consultation, cstaff: User, member_user: User
) -> None:
    client = as_user(cstaff)
    for name in ("consultation_list", "topic_list", "finding_list"):
        response = client.get(url(name) + "?export=1")
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"
        ), name
    assert AuditEvent.objects.filter(action="consultations.export").count() == 3
    member_response = as_user(member_user).get(url("consultation_list") + "?export=1")
    assert member_response["Content-Type"].startswith("text/html")


def test_home_pages_offer_the_consultation_shortcuts_by_role(
    cstaff: User, unit_user: User, member_user: User, gov_leader: User, leader: User
) -> None:
    expectations = {
        cstaff: [url("topic_list"), url("supervision_list"), url("criterion_list")],
        unit_user: [url("unit_inbox")],
        member_user: [url("consultation_list"), url("topic_create")],
        gov_leader: [url("topic_create"), url("gov_outcomes")],
        leader: [url("consultation_list"), url("supervision_list")],
    }
    for user, links in expectations.items():
        page = as_user(user).get(reverse("home")).content.decode()
        for link in links:
            assert f'href="{link}"' in page, (user.username, link)


# --- Query counts ----------------------------------------------------------------------


def _count(client: Client, path: str) -> int:
    return page_queries(client, path)


def _build(
    n: int, committee: Committee, cstaff: User, department: HandlingUnit, start: int
) -> None:
    for i in range(start, start + n):
        convener = MemberFactory(committee=committee)
        consultation = services.consultation_create(
            actor=cstaff,
            committee=committee,
            year=2026,
            title=f"协商{i}",
            format=ConsultationFormat.GOOD_TALK,
            first_convener=convener,
            department=department,
        )
        OutcomeItem.objects.create(
            committee=committee,
            consultation=consultation,
            number=1,
            text="建议",
            unit=department,
            sent_at=timezone.now(),
            feedback_deadline=timezone.localdate() - dt.timedelta(days=1),
        )
        topic = services.topic_create(
            actor=cstaff,
            committee=committee,
            year=2026,
            source="office",
            title=f"议题{i}",
            rationale="r",
        )
        del topic
        plan = services.supervision_plan_create(
            actor=cstaff, committee=committee, year=2000 + i, title=f"监督{i}"
        )
        item = services.supervision_item_add(
            actor=cstaff,
            plan=plan,
            title="事项",
            form=SupervisionItem.Form.MEETING,
            month=1,
            subjects=[department],
        )
        services.finding_create(
            actor=cstaff, item=item, unit=department, text=f"问题{i}", deadline=FUTURE
        )


def test_list_pages_make_the_same_number_of_queries_for_n_and_3n_rows(
    cstaff: User, committee: Committee, department: HandlingUnit, unit_user: User
) -> None:
    staff = as_user(cstaff)
    unit = as_user(unit_user)
    pages = [
        (staff, url("consultation_list")),
        (staff, url("topic_list")),
        (staff, url("finding_list")),
        (staff, url("supervision_list")),
        (unit, url("unit_inbox")),
    ]
    _build(2, committee, cstaff, department, 0)
    few = [_count(client, path) for client, path in pages]
    _build(4, committee, cstaff, department, 2)
    many = [_count(client, path) for client, path in pages]
    assert few == many
    assert max(many) <= 15


def test_detail_pages_make_the_same_number_of_queries_for_more_rows(
    sent: Consultation, cstaff: User, committee: Committee
) -> None:
    staff = as_user(cstaff)
    path = url("consultation_detail", sent.pk)
    few = _count(staff, path)
    Consultation.objects.filter(pk=sent.pk).update(state=Consultation.State.MEETING)
    for i in range(3):
        services.participant_add(actor=cstaff, consultation=sent, kind="public", name=f"代表{i}")
    Consultation.objects.filter(pk=sent.pk).update(state=Consultation.State.SENT)
    assert _count(staff, path) == few


def test_a_criterions_description_is_shown_as_text_never_as_html(
    sent: Consultation, cstaff: User, committee: Committee
) -> None:
    services.criterion_save(
        actor=cstaff,
        committee=committee,
        name="选题",
        max_score=20,
        description='<script>alert("x")</script>',
    )
    for path in (url("evaluation_edit", sent.pk), url("criterion_list")):
        page = as_user(cstaff).get(path).content.decode()
        assert '<script>alert("x")</script>' not in page, path
        assert "&lt;script&gt;" in page, path

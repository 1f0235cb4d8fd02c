"""Every write service refuses an actor without its permission, with
PermissionDenied, an audited refusal and nothing else written; and a web
POST's audit row carries the request's IP, user agent and request id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.models import Consultation, ConsultationFormat, Post
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent, Notification
from lvzhi.duties.models import DutyRecord
from lvzhi.org.models import Committee, HandlingUnit, Member

from .conftest import seat, user_of

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + dt.timedelta(days=30)


def rows() -> dict[str, int]:
    models = [*apps.get_app_config("consultations").get_models(), DutyRecord, Notification]
    return {m._meta.label: m._default_manager.count() for m in models}


@pytest.fixture
def objects(
    committee: Committee,
    cstaff: User,
    department: HandlingUnit,
    member: Member,
    make_consultation: Callable[..., Consultation],
) -> dict[str, Any]:
    participant = seat(committee, "participant")
    online = make_consultation(ConsultationFormat.ONLINE)
    services.consultation_prepare(actor=cstaff, consultation=online)
    services.consultation_convene(actor=cstaff, consultation=online)
    services.participant_add(actor=cstaff, consultation=online, kind="member", member=participant)
    post = services.post_create(actor=user_of(participant), consultation=online, text="发言")
    meeting = make_consultation()
    services.consultation_prepare(actor=cstaff, consultation=meeting)
    services.consultation_convene(actor=cstaff, consultation=meeting)
    speaker = services.participant_add(
        actor=cstaff, consultation=meeting, kind="member", member=member
    )
    services.consultation_hold(actor=cstaff, consultation=meeting)
    outcome = services.outcome_add(
        actor=cstaff, consultation=meeting, text="建议", recipient="unit", unit=department
    )
    topic = services.topic_create(
        actor=cstaff, committee=committee, year=2026, source="office", title="议题", rationale="理"
    )
    services.topic_shortlist(actor=cstaff, topic=topic)
    plan = services.plan_create(actor=cstaff, committee=committee, year=2026, title="计划")
    plan_item = services.plan_item_add(
        actor=cstaff, plan=plan, topic=topic, format=ConsultationFormat.ONLINE, month=3
    )
    criterion = services.criterion_save(
        actor=cstaff, committee=committee, name="选题", max_score=20
    )
    splan = services.supervision_plan_create(
        actor=cstaff, committee=committee, year=2026, title="监督"
    )
    item = services.supervision_item_add(
        actor=cstaff, plan=splan, title="事项", form="inspection", month=5, subjects=[department]
    )
    inspection = services.inspection_create(
        actor=cstaff, item=item, title="视察", date=dt.date(2026, 5, 1), participants=[member]
    )
    finding = services.finding_create(
        actor=cstaff, item=item, unit=department, text="问题", deadline=LATER
    )
    return {
        "committee": committee,
        "online": online,
        "post": post,
        "meeting": meeting,
        "speaker": speaker,
        "outcome": outcome,
        "topic": topic,
        "plan": plan,
        "plan_item": plan_item,
        "criterion": criterion,
        "splan": splan,
        "item": item,
        "inspection": inspection,
        "finding": finding,
        "member": member,
        "department": department,
    }


def write_services(o: dict[str, Any]) -> dict[str, Callable[[Any], Any]]:
    """Every write service of the app, called as ``actor`` would call it."""
    c, m = o["committee"], o["meeting"]
    return {
        "topic_create": lambda a: services.topic_create(
            actor=a, committee=c, year=2026, source="government", title="点题", rationale="理"
        ),
        "topic_create_from_public": lambda a: services.topic_create_from_public(
            actor=a,
            committee=c,
            year=2026,
            title="群众",
            rationale="理",
            proposer_name="",
            public_reference="#1",
        ),
        "topic_shortlist": lambda a: services.topic_shortlist(actor=a, topic=o["topic"]),
        "topic_decline": lambda a: services.topic_decline(actor=a, topic=o["topic"], note="否"),
        "topic_update": lambda a: services.topic_update(
            actor=a,
            topic=o["topic"],
            data={"title": "改题", "rationale": "理", "proposer_name": ""},
            reason="改",
        ),
        "plan_create": lambda a: services.plan_create(
            actor=a, committee=c, year=2027, title="明年"
        ),
        "plan_item_add": lambda a: services.plan_item_add(
            actor=a, plan=o["plan"], topic=o["topic"], format="online", month=4
        ),
        "plan_item_remove": lambda a: services.plan_item_remove(actor=a, item=o["plan_item"]),
        "plan_approve": lambda a: services.plan_approve(actor=a, plan=o["plan"]),
        "plan_reopen": lambda a: services.plan_reopen(actor=a, plan=o["plan"]),
        "plan_publish": lambda a: services.plan_publish(actor=a, plan=o["plan"]),
        "consultation_create": lambda a: services.consultation_create(
            actor=a, committee=c, year=2026, title="新协商", format="special_meeting"
        ),
        "consultation_prepare": lambda a: services.consultation_prepare(actor=a, consultation=m),
        "consultation_update": lambda a: services.consultation_update(
            actor=a,
            consultation=m,
            data={"title": "改名", "meeting_date": None, "venue": "三楼"},
            reason="改",
        ),
        "consultation_convene": lambda a: services.consultation_convene(actor=a, consultation=m),
        "consultation_hold": lambda a: services.consultation_hold(actor=a, consultation=m),
        "consultation_send": lambda a: services.consultation_send(
            actor=a, consultation=m, feedback_deadline=LATER
        ),
        "consultation_review": lambda a: services.consultation_review(
            actor=a, consultation=m, review_note="回头看"
        ),
        "consultation_close": lambda a: services.consultation_close(actor=a, consultation=m),
        "preparation_add": lambda a: services.preparation_add(
            actor=a, consultation=m, kind="briefing", title="通报"
        ),
        "participant_add": lambda a: services.participant_add(
            actor=a, consultation=m, kind="public", name="代表"
        ),
        "speech_record": lambda a: services.speech_record(
            actor=a, consultation=m, speaker=o["speaker"], title="发言"
        ),
        "outcome_add": lambda a: services.outcome_add(
            actor=a, consultation=m, text="再一条", recipient="party_government"
        ),
        "outcome_remove": lambda a: services.outcome_remove(actor=a, outcome=o["outcome"]),
        "outcome_feedback_give": lambda a: services.outcome_feedback_give(
            actor=a, outcome=o["outcome"], feedback="反馈"
        ),
        "criterion_save": lambda a: services.criterion_save(
            actor=a, committee=c, name="新标准", max_score=10
        ),
        "evaluation_save": lambda a: services.evaluation_save(
            actor=a, consultation=m, scores={o["criterion"].pk: 10}
        ),
        "post_create": lambda a: services.post_create(
            actor=a, consultation=o["online"], text="插话"
        ),
        "post_edit": lambda a: services.post_edit(actor=a, post=o["post"], text="篡改"),
        "post_hide": lambda a: services.post_hide(actor=a, post=o["post"], reason="违规"),
        "supervision_plan_create": lambda a: services.supervision_plan_create(
            actor=a, committee=c, year=2027, title="明年监督"
        ),
        "supervision_plan_publish": lambda a: services.supervision_plan_publish(
            actor=a, plan=o["splan"]
        ),
        "supervision_item_add": lambda a: services.supervision_item_add(
            actor=a,
            plan=o["splan"],
            title="新事项",
            form="meeting",
            month=6,
            subjects=[o["department"]],
        ),
        "inspection_create": lambda a: services.inspection_create(
            actor=a,
            item=o["item"],
            title="再视察",
            date=dt.date(2026, 6, 1),
            participants=[o["member"]],
        ),
        "inspection_hold": lambda a: services.inspection_hold(
            actor=a, inspection=o["inspection"], report="报告"
        ),
        "finding_create": lambda a: services.finding_create(
            actor=a, item=o["item"], unit=o["department"], text="新问题", deadline=LATER
        ),
        "finding_report": lambda a: services.finding_report(
            actor=a, finding=o["finding"], rectification="已整改"
        ),
        "finding_confirm": lambda a: services.finding_confirm(actor=a, finding=o["finding"]),
        "finding_return": lambda a: services.finding_return(
            actor=a, finding=o["finding"], note="不够"
        ),
    }


def test_the_list_names_every_write_service_the_package_exports() -> None:
    exported = {
        name
        for name in services.__all__
        if callable(getattr(services, name))
        and name
        not in {"allowed_topic_sources", "online_window_state", "participant_of", "seat_of"}
    }
    assert exported == set(write_services({k: None for k in ("committee", "meeting")}))


def test_every_write_service_refuses_an_actor_without_its_permission_and_writes_nothing(
    objects: dict[str, Any], committee: Committee, other_unit_user: User
) -> None:
    # A member with no part in anything, and a department nothing was sent to.
    outsiders = [user_of(seat(committee, "bystander")), other_unit_user]
    before = rows()
    denials = AuditEvent.objects.filter(action="permission_denied").count()
    allowed = []
    for name, call in write_services(objects).items():
        for outsider in outsiders:
            try:
                call(outsider)
            except PermissionDenied:
                continue
            allowed.append((name, outsider.username))
    assert allowed == []
    assert rows() == before
    assert AuditEvent.objects.filter(action="permission_denied").count() - denials == 2 * len(
        write_services(objects)
    )


def test_a_post_through_the_page_is_audited_with_the_requests_ip_agent_and_id(
    cstaff: User, committee: Committee
) -> None:
    client = Client()
    client.force_login(cstaff)
    response = client.post(
        reverse("consultations:plan_create"),
        {"year": 2026, "title": "2026年度协商计划"},
        HTTP_USER_AGENT="pytest",
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="consultations.plan.create")
    assert row.actor == cstaff
    assert row.ip == "127.0.0.1"
    assert row.user_agent == "pytest"
    assert row.request_id and row.request_id == response["X-Request-ID"]


def test_a_hidden_post_is_logged_on_the_consultations_timeline(
    objects: dict[str, Any], cstaff: User
) -> None:
    post: Post = objects["post"]
    services.post_hide(actor=cstaff, post=post, reason="重复")
    event = objects["online"].events.get(action="hide_post")
    assert event.data == {"post": post.pk, "reason": "重复"}

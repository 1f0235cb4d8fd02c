"""The permission matrix of rules.py: each role, by its relation to the
object (participant, convener, the department an outcome or finding was sent
to, another department, staff of another area, a leader, another committee,
anonymous), for each named permission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from lvzhi.accounts.models import Area, Role, User
from lvzhi.consultations import services
from lvzhi.consultations.models import Consultation, ConsultationFormat, ConsultationPlan, Post
from lvzhi.core.permissions import has_perm
from lvzhi.org.models import Committee, HandlingUnit, Member

from .conftest import seat, user_of

pytestmark = pytest.mark.django_db
ACTORS = [
    "staff",
    "staff_other_area",
    "leader",
    "gov_leader",
    "participant",
    "convener",
    "member",
    "unit",
    "other_unit",
    "other_committee_staff",
    "anonymous",
]
SEATS = {"participant", "convener", "member"}
EVERYONE_OF_THE_SECTION = {"staff", "leader", *SEATS}

# permission, object, the actors who hold it (everyone else is refused)
MATRIX: list[tuple[str, str, set[str]]] = [
    ("consultations.manage", "committee", {"staff"}),
    ("consultations.view_section", "committee", EVERYONE_OF_THE_SECTION),
    ("consultations.view_all", "committee", {"staff", "leader"}),
    ("consultations.view_draft_plans", "committee", {"staff", "leader"}),
    ("consultations.view_plans", "committee", {*EVERYONE_OF_THE_SECTION, "gov_leader"}),
    ("consultations.view_unit_inbox", "committee", {"unit", "other_unit"}),
    ("consultations.view_gov_outcomes", "committee", {"staff", "leader", "gov_leader"}),
    ("consultations.view_supervision", "committee", {"staff", "leader"}),
    ("consultations.export", "committee", {"staff"}),
    ("consultations.configure", "committee", {"staff"}),
    ("consultations.propose_topic", "committee", {"staff", "gov_leader", *SEATS}),
    ("consultations.propose_government_topic", "committee", {"gov_leader"}),
    ("consultations.propose_member_topic", "committee", SEATS),
    ("consultations.propose_office_topic", "committee", {"staff"}),
    ("consultations.convert_public_topic", "committee", {"staff", "staff_other_area"}),
    ("consultations.decide_topic", "topic", {"staff"}),
    ("consultations.edit_topic", "topic", {"staff"}),
    ("consultations.create_plan", "committee", {"staff"}),
    ("consultations.view_plan", "draft_plan", {"staff", "leader"}),
    ("consultations.view_plan", "published_plan", {*EVERYONE_OF_THE_SECTION, "gov_leader"}),
    ("consultations.edit_plan", "draft_plan", {"staff"}),
    ("consultations.approve_plan", "draft_plan", {"staff", "leader"}),
    ("consultations.publish_plan", "draft_plan", {"staff"}),
    ("consultations.create_consultation", "committee", {"staff"}),
    (
        "consultations.view_consultation",
        "consultation",
        {"staff", "leader", "participant", "convener"},
    ),
    ("consultations.manage_consultation", "consultation", {"staff"}),
    ("consultations.answer_consultation", "consultation", {"staff", "unit"}),
    ("consultations.answer_outcome", "outcome", {"staff", "unit"}),
    ("consultations.evaluate_consultation", "consultation", {"staff"}),
    ("consultations.configure_evaluation", "committee", {"staff"}),
    ("consultations.post_in_consultation", "consultation", {"participant"}),
    ("consultations.edit_post", "post", {"participant"}),
    ("consultations.moderate_consultation", "consultation", {"staff"}),
    ("consultations.create_supervision_plan", "committee", {"staff"}),
    ("consultations.edit_supervision_plan", "supervision_plan", {"staff"}),
    ("consultations.publish_supervision_plan", "supervision_plan", {"staff"}),
    ("consultations.plan_inspection", "supervision_item", {"staff"}),
    ("consultations.hold_inspection", "inspection", {"staff"}),
    ("consultations.send_finding", "supervision_item", {"staff"}),
    ("consultations.view_finding", "finding", {"staff", "leader", "unit"}),
    ("consultations.report_finding", "finding", {"staff", "unit"}),
    ("consultations.review_finding", "finding", {"staff"}),
]
CASES = [
    (perm, target, actor, actor in allowed) for perm, target, allowed in MATRIX for actor in ACTORS
]


@pytest.fixture
def world(
    committee: Committee,
    other_committee: Committee,
    cstaff: User,
    leader: User,
    gov_leader: User,
    unit_user: User,
    other_unit_user: User,
    department: HandlingUnit,
    member: Member,
    make_user: Callable[..., User],
    make_consultation: Callable[..., Consultation],
) -> dict[str, Any]:
    """One committee's objects and one user per relation to them."""
    participant = seat(committee, "participant")
    bystander = seat(committee, "bystander")
    # 有事好商量: `member` is the first convener; `participant` takes part.
    consultation = make_consultation(ConsultationFormat.GOOD_TALK)
    services.consultation_prepare(actor=cstaff, consultation=consultation)
    services.consultation_convene(actor=cstaff, consultation=consultation)
    services.participant_add(
        actor=cstaff, consultation=consultation, kind="member", member=participant
    )
    services.consultation_hold(actor=cstaff, consultation=consultation)
    outcome = services.outcome_add(
        actor=cstaff, consultation=consultation, text="建议", recipient="unit", unit=department
    )
    services.consultation_send(
        actor=cstaff,
        consultation=consultation,
        feedback_deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    post = Post.objects.create(
        committee=committee,
        consultation=consultation,
        author=user_of(participant),
        member=participant,
        text="发言",
    )
    topic = services.topic_create(
        actor=cstaff,
        committee=committee,
        year=2026,
        source="office",
        title="议题",
        rationale="理由",
    )
    draft = services.plan_create(actor=cstaff, committee=committee, year=2026, title="草案")
    published = ConsultationPlan.objects.create(
        committee=committee, year=2025, title="已发布", status=ConsultationPlan.Status.PUBLISHED
    )
    splan = services.supervision_plan_create(
        actor=cstaff, committee=committee, year=2026, title="监督"
    )
    item = services.supervision_item_add(
        actor=cstaff, plan=splan, title="事项", form="inspection", month=5, subjects=[department]
    )
    inspection = services.inspection_create(
        actor=cstaff, item=item, title="视察", date=dt.date(2026, 5, 1), participants=[participant]
    )
    finding = services.finding_create(
        actor=cstaff,
        item=item,
        unit=department,
        text="问题",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    actors = {
        "staff": cstaff,
        "staff_other_area": make_user(Role.STAFF, committee, Area.PUBLIC, username="pubstaff"),
        "leader": leader,
        "gov_leader": gov_leader,
        "participant": user_of(participant),
        "convener": user_of(member),
        "member": user_of(bystander),
        "unit": unit_user,
        "other_unit": other_unit_user,
        "other_committee_staff": make_user(
            Role.STAFF, other_committee, Area.CONSULTATIONS, username="elsewhere"
        ),
        "anonymous": AnonymousUser(),
    }
    objects = {
        "committee": committee,
        "consultation": consultation,
        "outcome": outcome,
        "post": post,
        "topic": topic,
        "draft_plan": draft,
        "published_plan": published,
        "supervision_plan": splan,
        "supervision_item": item,
        "inspection": inspection,
        "finding": finding,
    }
    return {"actors": actors, "objects": objects}


def test_the_matrix_covers_every_permission_of_the_app() -> None:
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("consultations.")}
    assert named == {perm for perm, _target, _allowed in MATRIX}


def test_each_role_holds_exactly_the_permissions_its_relation_gives(world: dict[str, Any]) -> None:
    # One world for the whole matrix (building it per case would take minutes).
    wrong = []
    for perm, target, actor, expected in CASES:
        user = world["actors"][actor]
        obj = world["objects"][target]
        if has_perm(user, perm, obj) != expected:
            wrong.append((perm, target, actor, expected))
    assert wrong == []

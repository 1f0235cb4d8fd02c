"""The consultations' to-dos on the home page count the rows waiting for that
user in that committee: the office's topics and unanswered outcomes (overdue
ones urgent; the list links filter to the same rows), the leaders' plans to
approve, a department's and a party or government leader's outcomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.accounts.models import Role
from lvzhi.consultations import services
from lvzhi.consultations.models import (
    Consultation,
    ConsultationFormat,
    ConsultationPlan,
    OutcomeItem,
)
from lvzhi.org.models import HandlingUnit
from lvzhi.org.tests.todo_helpers import counts, home_todos, queue_rows

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sent(make_consultation, cstaff, member) -> Callable[..., Consultation]:
    """A counterpart consultation whose outcomes went out (one to the unit,
    one to party and government), feedback due on ``deadline``."""

    def make(department: HandlingUnit, deadline: dt.date) -> Consultation:
        consultation = make_consultation(ConsultationFormat.COUNTERPART, department=department)
        services.consultation_prepare(actor=cstaff, consultation=consultation)
        services.consultation_convene(actor=cstaff, consultation=consultation)
        services.participant_add(
            actor=cstaff, consultation=consultation, kind="member", member=member
        )
        services.consultation_hold(actor=cstaff, consultation=consultation)
        services.outcome_add(
            actor=cstaff,
            consultation=consultation,
            text="建议一",
            recipient="unit",
            unit=department,
        )
        services.outcome_add(
            actor=cstaff, consultation=consultation, text="建议二", recipient="party_government"
        )
        services.consultation_send(
            actor=cstaff, consultation=consultation, feedback_deadline=deadline
        )
        return consultation

    return make


def test_the_office_counts_unanswered_and_overdue_outcomes_and_the_list_filters_them(
    sent, cstaff, department, other_department, unit_user
):
    sent(department, TODAY + dt.timedelta(days=20))
    late = sent(other_department, TODAY + dt.timedelta(days=20))
    OutcomeItem.objects.filter(consultation=late).update(
        feedback_deadline=TODAY - dt.timedelta(days=3)
    )
    answered = sent(department, TODAY + dt.timedelta(days=20))
    for outcome in OutcomeItem.objects.filter(consultation=answered):
        OutcomeItem.objects.filter(pk=outcome.pk).update(
            feedback="已办理", feedback_at=timezone.now()
        )
    client = client_of(cstaff)
    todos = home_todos(client)
    awaiting = todos["Consultations awaiting feedback"]
    overdue = todos["Consultations with overdue feedback"]
    assert awaiting["count"] == 2
    assert queue_rows(client, awaiting) == 2
    assert overdue["count"] == 1 and overdue["alert"]
    assert queue_rows(client, overdue) == 1


def test_a_department_counts_its_own_unanswered_outcomes(
    sent, department, other_department, unit_user, other_unit_user
):
    first = sent(department, TODAY + dt.timedelta(days=20))
    sent(department, TODAY + dt.timedelta(days=20))
    sent(other_department, TODAY + dt.timedelta(days=20))
    label = "Consultation outcomes awaiting your feedback"
    assert counts(client_of(unit_user))[label] == 2
    assert counts(client_of(other_unit_user))[label] == 1
    outcome = OutcomeItem.objects.get(consultation=first, recipient="unit")
    services.outcome_feedback_give(actor=unit_user, outcome=outcome, feedback="已采纳，正在落实")
    assert counts(client_of(unit_user))[label] == 1


def test_a_government_leader_counts_the_outcomes_sent_to_party_and_government(
    sent, department, gov_leader, make_user, other_committee
):
    sent(department, TODAY + dt.timedelta(days=20))
    sent(department, TODAY + dt.timedelta(days=20))
    far = make_user(Role.GOV_LEADER, other_committee)
    label = "Consultation outcomes awaiting feedback"
    assert counts(client_of(gov_leader))[label] == 2
    assert counts(client_of(far))[label] == 0


def test_leaders_count_the_plans_to_approve_and_the_office_the_topics_to_shortlist(
    cstaff, leader, committee, make_user, other_committee
):
    services.plan_create(actor=cstaff, committee=committee, year=2026, title="2026年协商计划")
    approved = services.plan_create(
        actor=cstaff, committee=committee, year=2027, title="2027年协商计划"
    )
    # Approved (it would need a topic listed first; the status is what counts here).
    ConsultationPlan.objects.filter(pk=approved.pk).update(status=ConsultationPlan.Status.APPROVED)
    for title in ("关于托育服务的协商", "关于老旧小区改造的协商"):
        services.topic_create(
            actor=cstaff,
            committee=committee,
            year=2026,
            source="office",
            title=title,
            rationale="群众关切",
        )
    assert counts(client_of(leader))["Consultation plans to approve"] == 1
    client = client_of(cstaff)
    topics = home_todos(client)["Topics to shortlist"]
    assert topics["count"] == 2
    assert queue_rows(client, topics) == 2
    far = make_user(Role.LEADER, other_committee)
    assert counts(client_of(far))["Consultation plans to approve"] == 0

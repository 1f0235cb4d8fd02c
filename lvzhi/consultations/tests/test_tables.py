"""Tests generated from the state tables (workflow.py): every transition a
table allows, taken by a permitted actor, moves the object and writes its
event row and audit row; every (state, action) pair a table lacks is refused
with Conflict and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.consultations import services
from lvzhi.consultations.models import Consultation, ConsultationFormat
from lvzhi.consultations.workflow import (
    CONSULTATION_FLOW,
    FINDING_FLOW,
    INSPECTION_FLOW,
    PLAN_FLOW,
    SUPERVISION_PLAN_FLOW,
    TOPIC_FLOW,
)
from lvzhi.core.errors import Conflict
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.workflow import Transition, Workflow, transition
from lvzhi.org.models import Committee, HandlingUnit, Member

pytestmark = pytest.mark.django_db
FLOWS = [
    TOPIC_FLOW,
    PLAN_FLOW,
    CONSULTATION_FLOW,
    SUPERVISION_PLAN_FLOW,
    INSPECTION_FLOW,
    FINDING_FLOW,
]
LATER = timezone.localdate() + dt.timedelta(days=60)


@pytest.fixture
def make_object(
    cstaff: User,
    committee: Committee,
    department: HandlingUnit,
    member: Member,
    make_consultation: Callable[..., Consultation],
) -> Callable[[Workflow], Model]:
    """A fresh object of the flow's model, made through the services, that
    every guard of its table lets through (a plan has an item, ...)."""

    def topic(title: str = "议题") -> Any:
        return services.topic_create(
            actor=cstaff,
            committee=committee,
            year=2026,
            source="office",
            title=title,
            rationale="理由",
        )

    def plan() -> Any:
        made = services.plan_create(actor=cstaff, committee=committee, year=2026, title="计划")
        shortlisted = services.topic_shortlist(actor=cstaff, topic=topic("入选议题"))
        services.plan_item_add(
            actor=cstaff, plan=made, topic=shortlisted, format=ConsultationFormat.ONLINE, month=3
        )
        return made

    def supervision_item() -> Any:
        made = services.supervision_plan_create(
            actor=cstaff, committee=committee, year=2026, title="监督计划"
        )
        return services.supervision_item_add(
            actor=cstaff, plan=made, title="事项", form="inspection", month=4, subjects=[department]
        )

    def inspection() -> Any:
        return services.inspection_create(
            actor=cstaff,
            item=supervision_item(),
            title="视察",
            date=dt.date(2026, 4, 1),
            participants=[member],
        )

    def finding() -> Any:
        return services.finding_create(
            actor=cstaff, item=supervision_item(), unit=department, text="问题", deadline=LATER
        )

    makers: dict[str, Callable[[], Any]] = {
        TOPIC_FLOW.audit_prefix: topic,
        PLAN_FLOW.audit_prefix: plan,
        CONSULTATION_FLOW.audit_prefix: make_consultation,
        SUPERVISION_PLAN_FLOW.audit_prefix: lambda: supervision_item().plan,
        INSPECTION_FLOW.audit_prefix: inspection,
        FINDING_FLOW.audit_prefix: finding,
    }
    return lambda flow: makers[flow.audit_prefix]()


def in_state(flow: Workflow, obj: Model, state: str) -> Model:
    type(obj)._default_manager.filter(pk=obj.pk).update(**{flow.state_field: state})
    obj.refresh_from_db()
    return obj


def events_of(flow: Workflow, obj: Model) -> Any:
    return flow.event_model._default_manager.filter(**{flow.event_subject: obj})


def audit_rows(flow: Workflow, obj: Model, action: str) -> Any:
    return AuditEvent.objects.filter(action=flow.audit_code(action), object_id=str(obj.pk))


CASES = [(flow, state, row) for flow in FLOWS for state, row in allowed_cases(flow)]
REFUSED = [(flow, state, action) for flow in FLOWS for state, action in refused_cases(flow)]


def _id(value: Any) -> str:
    return value.audit_prefix if isinstance(value, Workflow) else case_id(value)


@pytest.mark.parametrize(("flow", "state", "row"), CASES, ids=_id)
def test_every_allowed_transition_moves_the_object_and_writes_its_event_and_audit_rows(
    flow: Workflow,
    state: str,
    row: Transition,
    make_object: Callable[[Workflow], Model],
    cstaff: User,
) -> None:
    obj = in_state(flow, make_object(flow), state)
    before = events_of(flow, obj).count()
    transition(obj, row.action, actor=cstaff, note="测试")
    obj.refresh_from_db()
    assert flow.state_of(obj) == (row.target or state)
    event = events_of(flow, obj).order_by("-id").first()
    assert events_of(flow, obj).count() == before + 1
    assert event is not None
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        row.action,
        state,
        row.target or state,
        cstaff,
    )
    audit = audit_rows(flow, obj, row.action).get()
    assert (audit.actor, audit.detail["from_state"], audit.detail["to_state"]) == (
        cstaff,
        state,
        row.target or state,
    )


@pytest.mark.parametrize(("flow", "state", "action"), REFUSED, ids=_id)
def test_every_transition_the_table_lacks_is_refused_and_writes_nothing(
    flow: Workflow,
    state: str,
    action: str,
    make_object: Callable[[Workflow], Model],
    cstaff: User,
) -> None:
    obj = in_state(flow, make_object(flow), state)
    before = events_of(flow, obj).count()
    with pytest.raises(Conflict):
        transition(obj, action, actor=cstaff)
    obj.refresh_from_db()
    assert flow.state_of(obj) == state
    assert events_of(flow, obj).count() == before
    assert not audit_rows(flow, obj, action).exists()


def test_every_table_names_only_permissions_that_rules_py_defines() -> None:
    import rules

    for flow in FLOWS:
        for _state, row in flow.rows():
            assert rules.perm_exists(row.permission), row.permission

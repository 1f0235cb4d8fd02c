"""Generated from the state tables: every allowed transition, performed by
an actor holding its permission, moves the object and writes its event and
audit rows; every pair a table lacks is refused and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lvzhi.core.errors import Conflict
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.workflow import Transition, Workflow, transition
from lvzhi.duties import services
from lvzhi.duties.models import Activity, Contribution, DutyProject, Invitation
from lvzhi.duties.tests.factories import make_activity
from lvzhi.duties.workflow import (
    ACTIVITY_FLOW,
    CONTRIBUTION_FLOW,
    INVITATION_FLOW,
    PROJECT_FLOW,
    activity_closed,
)

pytestmark = pytest.mark.django_db

# Permissions the invited member holds on their own entries; staff hold the rest.
MEMBER_PERMISSIONS = {"duties.answer_invitation", "duties.change_project"}


@pytest.fixture
def subject(committee, duties_staff, new_member):
    """subject(flow, state) → (the object in that state, an actor per permission)."""

    def make(flow: Workflow, state: str, *, closed: bool = False) -> tuple[Any, Any]:
        me = new_member()
        user = me.person.user
        if flow is ACTIVITY_FLOW:
            obj = make_activity(committee, duties_staff, publish=False)
        elif flow is INVITATION_FLOW:
            activity = make_activity(committee, duties_staff)
            obj = Invitation.objects.get(activity=activity, member=me)
            if closed:
                Activity.objects.filter(pk=activity.pk).update(state=Activity.State.CLOSED)
        elif flow is CONTRIBUTION_FLOW:
            obj = services.contribution_submit(
                member=me,
                actor=user,
                kind=Contribution.Kind.PUBLIC_SERVICE,
                title="义诊",
                description="社区义诊",
                date=dt.date(2026, 3, 1),
            )
        else:
            obj = services.project_declare(
                member=me, actor=user, year=2026, topic="养老", planned_steps="调研"
            )
        type(obj).objects.filter(pk=obj.pk).update(state=state)
        obj.refresh_from_db()
        return obj, {"member": user, "staff": duties_staff}

    return make


def actor_for(actors: dict[str, Any], permission: str) -> Any:
    return actors["member" if permission in MEMBER_PERMISSIONS else "staff"]


FLOWS = [ACTIVITY_FLOW, INVITATION_FLOW, CONTRIBUTION_FLOW, PROJECT_FLOW]
ALLOWED = [(flow, state, row) for flow in FLOWS for state, row in allowed_cases(flow)]
REFUSED = [(flow, state, action) for flow in FLOWS for state, action in refused_cases(flow)]


def _id(value: Any) -> str:
    return value.audit_prefix if isinstance(value, Workflow) else case_id(value)


@pytest.mark.parametrize(("flow", "state", "row"), ALLOWED, ids=_id)
def test_every_allowed_transition_moves_the_object_and_writes_its_event_and_audit_rows(
    subject, flow: Workflow, state: str, row: Transition
):
    # Corrections of attendance are for closed activities only.
    obj, actors = subject(flow, state, closed=activity_closed in row.guards)
    events = obj.events.count()

    transition(obj, row.action, actor=actor_for(actors, row.permission), note="测试")

    obj.refresh_from_db()
    assert obj.state == (row.target or state)
    event = obj.events.order_by("-id").first()
    assert obj.events.count() == events + 1
    assert (event.action, event.from_state, event.to_state) == (row.action, state, obj.state)
    audit = AuditEvent.objects.filter(action=flow.audit_code(row.action)).get()
    assert audit.object_id == str(obj.pk)
    assert audit.detail["from_state"] == state
    assert audit.detail["to_state"] == obj.state


@pytest.mark.parametrize(("flow", "state", "action"), REFUSED, ids=_id)
def test_every_transition_the_table_lacks_is_refused_and_writes_nothing(
    subject, flow: Workflow, state: str, action: str
):
    obj, actors = subject(flow, state)
    permission = flow._by_action[action][0].permission
    events, audits = obj.events.count(), AuditEvent.objects.count()

    with pytest.raises(Conflict):
        transition(obj, action, actor=actor_for(actors, permission))

    obj.refresh_from_db()
    assert obj.state == state
    assert obj.events.count() == events
    assert AuditEvent.objects.count() == audits


def test_every_permission_a_table_names_is_declared_in_the_rules():
    import rules

    for flow in FLOWS:
        for _state, row in flow.rows():
            assert rules.perm_exists(row.permission), row.permission


def test_an_invitation_of_a_closed_activity_can_no_longer_be_answered(
    committee, duties_staff, new_member
):
    me = new_member()
    activity = make_activity(committee, duties_staff)
    invitation = Invitation.objects.get(activity=activity, member=me)
    from lvzhi.core.workflow import actions_for

    assert "sign_up" in actions_for(invitation, me.person.user)
    services.activity_close(activity=activity, actor=duties_staff)
    invitation.refresh_from_db()
    assert INVITATION_FLOW.find(invitation.state, "sign_up") is None
    assert not actions_for(invitation, me.person.user)


def test_a_project_is_revised_only_until_it_is_approved(committee, duties_staff, new_member):
    me = new_member()
    project = services.project_declare(
        member=me, actor=me.person.user, year=2026, topic="养老", planned_steps="调研"
    )
    services.project_review(project=project, actor=duties_staff, approve=False, note="再具体些")
    project.refresh_from_db()
    assert project.state == DutyProject.State.RETURNED
    services.project_declare(
        member=me,
        actor=me.person.user,
        year=2026,
        topic="社区养老",
        planned_steps="调研",
        project=project,
    )
    project.refresh_from_db()
    assert (project.state, project.topic) == (DutyProject.State.DECLARED, "社区养老")
    services.project_review(project=project, actor=duties_staff, approve=True)
    with pytest.raises(Conflict):
        services.project_declare(
            member=me,
            actor=me.person.user,
            year=2026,
            topic="改",
            planned_steps="改",
            project=project,
        )
    assert list(project.events.values_list("action", flat=True)) == [
        "declare",
        "return",
        "revise",
        "approve",
    ]


def test_correcting_attendance_is_offered_only_once_the_activity_is_closed(
    committee, duties_staff, new_member
):
    from lvzhi.core.workflow import actions_for

    me = new_member()
    activity = make_activity(committee, duties_staff)
    services.invitation_mark(
        invitation=Invitation.objects.get(activity=activity, member=me),
        actor=duties_staff,
        outcome=Invitation.State.ABSENT,
        reason="未到",
    )
    invitation = Invitation.objects.select_related("activity").get(activity=activity, member=me)
    assert "correct_attended" not in actions_for(invitation, duties_staff)
    services.activity_close(activity=activity, actor=duties_staff)
    invitation = Invitation.objects.select_related("activity").get(activity=activity, member=me)
    staff_actions = actions_for(invitation, duties_staff)
    assert {"correct_attended", "correct_excused"} <= set(staff_actions)
    assert "correct_absent" not in staff_actions
    assert not actions_for(invitation, me.person.user)


def test_a_member_withdraws_a_pending_leave_request(committee, duties_staff, new_member):
    from lvzhi.core.workflow import actions_for

    me = new_member()
    user = me.person.user
    activity = make_activity(committee, duties_staff)
    invitation = Invitation.objects.get(activity=activity, member=me)
    assert "withdraw_leave" not in actions_for(invitation, user)
    services.invitation_request_leave(invitation=invitation, actor=user, reason="出差")
    invitation = Invitation.objects.select_related("activity").get(pk=invitation.pk)
    assert "withdraw_leave" in actions_for(invitation, user)
    assert "withdraw_leave" not in actions_for(invitation, duties_staff)
    services.invitation_withdraw_leave(invitation=invitation, actor=user)
    invitation.refresh_from_db()
    assert (invitation.state, invitation.leave_reason) == (Invitation.State.INVITED, "")
    assert AuditEvent.objects.filter(action="duties.invitation.withdraw_leave").count() == 1
    # Nothing pending any more: a second withdrawal is refused.
    with pytest.raises(Conflict):
        services.invitation_withdraw_leave(invitation=invitation, actor=user)
    services.invitation_sign_up(invitation=invitation, actor=user)


def test_only_the_invited_member_withdraws_their_leave(committee, duties_staff, new_member):
    from lvzhi.core.errors import PermissionDenied

    me, other = new_member(), new_member()
    activity = make_activity(committee, duties_staff)
    invitation = Invitation.objects.get(activity=activity, member=me)
    services.invitation_request_leave(invitation=invitation, actor=me.person.user, reason="病")
    for actor in (other.person.user, duties_staff):
        with pytest.raises(PermissionDenied):
            services.invitation_withdraw_leave(invitation=invitation, actor=actor)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.LEAVE_REQUESTED
    # Once the activity is closed, the request is decided and cannot be withdrawn.
    services.activity_close(activity=activity, actor=duties_staff)
    invitation.refresh_from_db()
    with pytest.raises(Conflict):
        services.invitation_withdraw_leave(invitation=invitation, actor=me.person.user)

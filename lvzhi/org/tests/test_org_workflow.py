"""The seat's state table, exhaustively: every transition it allows is
performed by org staff (new state, event row, audit row), every pair it lacks
is refused with Conflict and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lvzhi.accounts.models import User
from lvzhi.core.errors import Conflict
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.workflow import Transition, actions_for, transition
from lvzhi.org.models import Member, MemberEvent
from lvzhi.org.workflow import LEAVE_ACTIONS, MEMBER_FLOW

pytestmark = pytest.mark.django_db


def _in_state(member: Member, state: str) -> Member:
    Member.objects.filter(pk=member.pk).update(status=state)
    member.refresh_from_db()
    return member


@pytest.mark.parametrize(("state", "row"), allowed_cases(MEMBER_FLOW), ids=case_id)
def test_every_allowed_seat_transition_is_performed_by_org_staff(
    state: str, row: Transition, member: Member, staff_user: User
) -> None:
    member = _in_state(member, state)
    transition(member, row.action, actor=staff_user, note="记录")
    member.refresh_from_db()
    assert member.status == row.target
    event = MemberEvent.objects.get(member=member)
    assert (event.from_state, event.to_state, event.action) == (state, row.target, row.action)
    audit = AuditEvent.objects.get(action=MEMBER_FLOW.audit_code(row.action))
    assert audit.actor == staff_user and audit.object_id == str(member.pk)


@pytest.mark.parametrize(("state", "action"), refused_cases(MEMBER_FLOW), ids=case_id)
def test_every_seat_transition_the_table_lacks_is_refused_and_writes_nothing(
    state: str, action: str, member: Member, staff_user: User
) -> None:
    member = _in_state(member, state)
    with pytest.raises(Conflict):
        transition(member, action, actor=staff_user)
    member.refresh_from_db()
    assert member.status == state
    assert not MemberEvent.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="member.").exists()


def test_every_status_the_leave_form_offers_has_its_transition() -> None:
    offered = {Member.Status.RESIGNED, Member.Status.REMOVED}
    assert set(LEAVE_ACTIONS) == offered
    assert {MEMBER_FLOW._by_action[a][0].target for a in LEAVE_ACTIONS.values()} == offered


def test_the_leave_buttons_show_only_to_org_staff_for_a_seat_in_office(
    member: Member, staff_user: User, member_user: User, make_user: Any, committee: Any
) -> None:
    assert set(actions_for(member, staff_user)) == {"resign", "remove"}
    assert not actions_for(member, member_user)
    _in_state(member, Member.Status.RESIGNED)
    assert not actions_for(member, staff_user)


def test_the_service_records_the_date_and_reason_on_the_event(
    member: Member, staff_user: User
) -> None:
    from lvzhi.org import services

    end = member.start_date + dt.timedelta(days=10)
    services.member_deactivate(
        actor=staff_user, member=member, status="resigned", end_date=end, reason="工作调动"
    )
    member.refresh_from_db()
    assert (member.status, member.end_date, member.end_reason) == ("resigned", end, "工作调动")
    [event] = member.events.all()
    assert event.note == "工作调动" and event.data == {"end_date": end.isoformat()}

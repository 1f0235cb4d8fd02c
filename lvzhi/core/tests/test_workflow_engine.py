"""The workflow engine on a throwaway model: the table decides, the named
permission decides, guards refuse with a reason, and every step leaves one
event row and one audit row — or nothing but an audited refusal."""

from __future__ import annotations

import pytest
from django.db import connection

from lvzhi.core.errors import Conflict, DomainError, PermissionDenied
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.tests.workflow_models import TICKET_FLOW, Ticket, TicketEvent
from lvzhi.core.workflow import actions_for, transition, workflow_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tables(transactional_db):
    # The tables are created once per run (root conftest); unmanaged, they are
    # not flushed, so the rows go here (raw SQL: event rows are append-only).
    yield
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_ticketevent")
        cursor.execute("DELETE FROM core_ticket")


@pytest.fixture
def worker(make_user, committee):
    return make_user("staff", committee, username="worker")


@pytest.fixture
def outsider(make_user, committee):
    return make_user("staff", committee, username="outsider")


def ticket(committee, status="open", title=""):
    return Ticket.objects.create(committee=committee, status=status, title=title)


@pytest.mark.parametrize("state,row", allowed_cases(TICKET_FLOW), ids=case_id)
def test_every_allowed_step_moves_the_state_and_logs_an_event_and_an_audit_row(
    tables, committee, worker, state, row
):
    obj = ticket(committee, state)
    result = transition(obj, row.action, actor=worker, note="说明", data={"n": 1})
    expected = row.target or state
    assert result.status == expected and obj.status == expected
    obj.refresh_from_db()
    assert obj.status == expected
    event = TicketEvent.objects.get(ticket=obj)
    assert (event.from_state, event.to_state, event.action) == (state, expected, row.action)
    assert event.actor == worker and event.note == "说明" and event.data == {"n": 1}
    audit = AuditEvent.objects.get(action=f"core_test.ticket.{row.action}")
    assert audit.actor == worker and audit.object_id == str(obj.pk)
    assert audit.committee_id == committee.pk and audit.object_label == f"工单 {obj.pk}"
    assert audit.detail["from_state"] == state and audit.detail["to_state"] == expected


@pytest.mark.parametrize("state,action", refused_cases(TICKET_FLOW), ids=case_id)
def test_every_step_the_table_lacks_is_refused_and_writes_nothing(
    tables, committee, worker, state, action
):
    obj = ticket(committee, state)
    with pytest.raises(Conflict):
        transition(obj, action, actor=worker)
    obj.refresh_from_db()
    assert obj.status == state
    assert not TicketEvent.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="core_test.").exists()


def test_an_actor_without_the_named_permission_is_refused_and_the_refusal_audited(
    tables, committee, outsider
):
    obj = ticket(committee)
    with pytest.raises(PermissionDenied):
        transition(obj, "start", actor=outsider)
    obj.refresh_from_db()
    assert obj.status == "open" and not TicketEvent.objects.exists()
    denial = AuditEvent.objects.get(action="permission_denied")
    assert denial.result == AuditEvent.Result.DENIED
    assert denial.detail["permission"] == "core_test.work_ticket"


def test_a_guard_refuses_with_its_reason(tables, committee, worker):
    obj = ticket(committee, title="stop")
    with pytest.raises(DomainError, match="不能关闭"):
        transition(obj, "close", actor=worker)
    assert Ticket.objects.get(pk=obj.pk).status == "open"


def test_a_stale_instance_is_checked_against_the_locked_row(tables, committee, worker):
    obj = ticket(committee)
    stale = Ticket.objects.get(pk=obj.pk)
    transition(obj, "close", actor=worker)
    with pytest.raises(Conflict):
        transition(stale, "start", actor=worker)
    assert TicketEvent.objects.count() == 1


def test_changes_are_saved_with_the_state(tables, committee, worker):
    obj = ticket(committee)
    transition(obj, "start", actor=worker, changes={"title": "已派"})
    obj.refresh_from_db()
    assert (obj.status, obj.title) == ("doing", "已派")


def test_the_action_list_shows_only_what_the_user_may_do_now(tables, committee, worker, outsider):
    obj = ticket(committee, "doing")
    assert list(actions_for(obj, worker)) == ["close", "comment"]
    assert actions_for(obj, worker)["close"].label == "关闭"
    assert list(actions_for(obj, outsider)) == []
    assert "close" not in actions_for(ticket(committee, title="stop"), worker)


def test_system_jobs_act_without_a_user_but_a_user_cannot_skip_the_check(tables, committee, worker):
    obj = ticket(committee)
    transition(obj, "start", actor=None, check_permission=False)
    assert TicketEvent.objects.get().actor is None
    with pytest.raises(ValueError):
        transition(obj, "close", actor=worker, check_permission=False)


def test_an_unknown_action_is_a_programming_error(tables, committee, worker):
    with pytest.raises(ValueError):
        transition(ticket(committee), "explode", actor=worker)


def test_the_table_is_found_from_the_model():
    assert workflow_of(Ticket) is TICKET_FLOW
    assert TICKET_FLOW.states() == {"open", "doing", "closed"}


def test_event_rows_are_append_only(tables, committee, worker):
    transition(ticket(committee), "comment", actor=worker)
    with pytest.raises(TypeError):
        TicketEvent.objects.all().update(note="x")
    with pytest.raises(TypeError):
        TicketEvent.objects.all().delete()


def test_the_first_event_of_a_new_object_is_logged_from_no_state(tables, committee, worker):
    obj = ticket(committee)
    TICKET_FLOW.log_created(obj, actor=worker, note="新建")
    event = TicketEvent.objects.get()
    assert (event.from_state, event.to_state, event.action) == ("", "open", "create")

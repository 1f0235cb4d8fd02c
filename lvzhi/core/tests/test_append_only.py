"""The audit trail and the workflow event tables are append-only in the
database itself (core.append_only): raw SQL cannot change or remove a row."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from lvzhi.core.append_only import guarded_models, is_guarded, removal_allowed
from lvzhi.core.audit import audit_log
from lvzhi.core.management.commands.flush import tables_with_rows
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import MemberEvent

pytestmark = pytest.mark.django_db


def raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_audit_rows_cannot_be_updated_or_deleted_in_bulk():
    audit_log(action="login_success", actor_label="someone")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(action="login_success").update(action="changed")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "login_success"


def test_an_audit_row_is_never_saved_twice_nor_inserted_in_bulk():
    row = audit_log(action="login_success", actor_label="someone")
    row.action = "changed"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.bulk_create([AuditEvent(action="login_success")])


def test_the_database_refuses_raw_updates_and_deletes_of_audit_rows():
    row = audit_log(action="login_success", actor_label="someone")
    with pytest.raises(IntegrityError):
        raw("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["forged", row.pk])
    with pytest.raises(IntegrityError):
        raw("DELETE FROM core_auditevent WHERE id = %s", [row.pk])
    assert AuditEvent.objects.get().actor_label == "someone"


def test_the_database_refuses_raw_updates_and_deletes_of_workflow_events(member):
    event = MemberEvent.objects.create(member=member, action="join", to_state="in_office")
    with pytest.raises(IntegrityError):
        raw("UPDATE org_memberevent SET note = %s WHERE id = %s", ["forged", event.pk])
    with pytest.raises(IntegrityError):
        raw("DELETE FROM org_memberevent WHERE id = %s", [event.pk])
    assert MemberEvent.objects.get().note == ""


def test_every_workflow_event_table_and_the_audit_table_are_guarded():
    tables = [model._meta.db_table for model in guarded_models()]
    assert "core_auditevent" in tables and "proposals_proposalevent" in tables
    assert [t for t in tables if not is_guarded(t)] == []


def test_lifting_the_guard_allows_removing_rows_but_never_changing_them():
    row = audit_log(action="login_success", actor_label="someone")
    with pytest.raises(IntegrityError), removal_allowed(["core_auditevent"]):
        raw("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["x", row.pk])
    with removal_allowed(["core_auditevent"]):
        raw("DELETE FROM core_auditevent WHERE id = %s", [row.pk])
    assert not AuditEvent.objects.exists()
    assert is_guarded("core_auditevent")


def test_demo_history_is_written_with_its_date_not_changed_afterwards(member):
    from datetime import UTC, datetime

    when = datetime(2025, 1, 3, 1, 0, tzinfo=UTC)
    event = MemberEvent.objects.create_dated(when, member=member, action="join")
    assert MemberEvent.objects.get(pk=event.pk).created_at == when


@pytest.mark.django_db(transaction=True)
def test_the_test_runners_flush_empties_the_filled_tables_and_keeps_the_guards(member):
    audit_log(action="login_success")
    assert set(tables_with_rows("default")) >= {"core_auditevent", "org_member", "org_committee"}
    call_command("flush", interactive=False, reset_sequences=False, verbosity=0)
    filled = set(tables_with_rows("default"))
    # Only what post_migrate writes back (content types, permissions) remains.
    assert filled <= {"django_content_type", "auth_permission"}
    assert all(is_guarded(model._meta.db_table) for model in guarded_models())

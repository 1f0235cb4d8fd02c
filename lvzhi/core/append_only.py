"""Append-only tables guarded by the database itself (DESIGN §9, 安全审计 c).

The audit trail and every workflow event table refuse UPDATE and DELETE (and,
on PostgreSQL, TRUNCATE) with triggers, so no code path — the ORM, a raw
cursor, a careless shell — rewrites history; only the owner who can drop a
trigger could, and the audit hash chain (core.audit_chain) shows it.

The triggers are created by migrations: ``core.0006`` for the audit table,
``core.0007`` for the event tables that existed then (a frozen list, as a
migration must do the same whenever it runs). A new event model adds one
``migrations.RunPython(guard(["app_fooevent"]), unguard(["app_fooevent"]))``
to its app's migration; ``core/tests/test_append_only.py`` fails while any
WorkflowEvent table has no guard.

Two paths may remove rows, never change them, each inside one transaction:
``audit_archive`` (after exporting them) and the test runner's ``flush``.
On PostgreSQL they set the transaction-local ``lvzhi.append_only_off``, read
by the trigger function; on SQLite, whose triggers cannot read a session
variable, they drop the triggers and create them again in the same
transaction (SQLite's DDL is transactional, and its single writer holds the
lock until commit, so nobody else writes meanwhile)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction

BYPASS_SETTING = "lvzhi.append_only_off"
_FUNCTION = "lvzhi_append_only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Removing is possible for the documented archive path; changing never.
    IF TG_OP <> 'UPDATE' AND coalesce(current_setting('{BYPASS_SETTING}', true), '') = 'on' THEN
        IF TG_LEVEL = 'ROW' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'rows of % are append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = '23000';
END
$$;
"""


_VERBS = ("UPDATE", "DELETE")


def _sqlite_triggers(table: str, verbs: tuple[str, ...] = _VERBS) -> list[str]:
    return [
        f'CREATE TRIGGER "{table}_no_{verb.lower()}" BEFORE {verb} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, 'rows of {table} are append-only ({verb} refused)'); END"
        for verb in verbs
    ]


def _sqlite_drops(table: str, verbs: tuple[str, ...] = _VERBS) -> list[str]:
    return [f'DROP TRIGGER IF EXISTS "{table}_no_{verb.lower()}"' for verb in verbs]


def _pg_triggers(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()",
        f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()",
    ]


def _pg_drops(table: str) -> list[str]:
    return [
        f'DROP TRIGGER IF EXISTS "{table}_{name}" ON "{table}"'
        for name in ("append_only", "no_truncate")
    ]


def guard_statements(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_triggers(table)
    if vendor == "postgresql":
        return [_PG_FUNCTION, *_pg_triggers(table)]
    return []


def unguard_statements(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_drops(table)
    if vendor == "postgresql":
        return _pg_drops(table)
    return []


def _run(cursor: Any, statements: Iterable[str]) -> None:
    for statement in statements:
        cursor.execute(statement)


def guard(tables: list[str]) -> Callable[[Any, Any], None]:
    """A RunPython step creating the triggers on ``tables``."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        with schema_editor.connection.cursor() as cursor:
            for table in tables:
                _run(cursor, unguard_statements(vendor, table))
                _run(cursor, guard_statements(vendor, table))

    return forwards


def unguard(tables: list[str]) -> Callable[[Any, Any], None]:
    """The reverse step: drop the triggers on ``tables``."""

    def backwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        with schema_editor.connection.cursor() as cursor:
            for table in tables:
                _run(cursor, unguard_statements(vendor, table))

    return backwards


def is_guarded(table: str, using: str = "default") -> bool:
    """Whether ``table`` has its append-only triggers."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND name IN (%s, %s)",
                [table, f"{table}_no_update", f"{table}_no_delete"],
            )
            return bool(cursor.fetchone()[0] == 2)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                "AND tgname IN (%s, %s)",
                [f'"{table}"', f"{table}_append_only", f"{table}_no_truncate"],
            )
            return bool(cursor.fetchone()[0] == 2)
    return False


@contextmanager
def removal_allowed(tables: Iterable[str], using: str = "default") -> Iterator[None]:
    """Inside one transaction, let rows of ``tables`` be removed (never changed).

    Only for ``audit_archive`` (after the export) and the test runner's flush."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [BYPASS_SETTING])
            yield
            cursor.execute("SELECT set_config(%s, '', true)", [BYPASS_SETTING])
        elif connection.vendor == "sqlite":
            # Only the DELETE trigger goes: an UPDATE stays refused.
            dropped = [t for t in tables if is_guarded(t, using)]
            for table in dropped:
                _run(cursor, _sqlite_drops(table, ("DELETE",)))
            yield
            for table in dropped:
                _run(cursor, _sqlite_triggers(table, ("DELETE",)))
        else:
            yield


def guarded_models() -> list[Any]:
    """The models whose tables must be append-only: the audit trail, the
    corrections and every concrete WorkflowEvent (the kernel tests' throwaway models excepted)."""
    from django.apps import apps

    from lvzhi.core.models import AuditEvent, AuditSeal, Correction, WorkflowEvent

    found: list[Any] = [AuditEvent, AuditSeal, Correction]
    for model in apps.get_models():
        if issubclass(model, WorkflowEvent) and ".tests." not in model.__module__:
            found.append(model)
    return found

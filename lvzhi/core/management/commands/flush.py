"""Django's ``flush`` (used by the test runner after each transactional test),
able to empty the append-only tables (core.append_only): the removal happens
in one transaction with the guard lifted, and the guard is back at commit.

The test runner's flush (no prompt, sequences kept) empties only the tables
that hold rows, with DELETE in one transaction (foreign keys are deferred, so
the order does not matter). PostgreSQL's TRUNCATE of all ~140 tables took
about 5 s after every transactional test, half the suite's time there; a
DELETE of the dozen tables a test filled takes milliseconds. An operator's
flush (``manage.py flush``, sequences reset) stays Django's own."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections

from lvzhi.core.append_only import guarded_models, removal_allowed


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        guarded = [model._meta.db_table for model in guarded_models()]
        database = options["database"]
        if options["interactive"] or options.get("reset_sequences", True):
            with removal_allowed(guarded, using=database):
                super().handle(**options)
            return
        filled = tables_with_rows(database)
        if not filled:
            return
        connection = connections[database]
        lifted = [table for table in filled if table in guarded]
        with removal_allowed(lifted, using=database), connection.cursor() as cursor:
            for table in filled:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        if not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], False, database)


def tables_with_rows(database: str) -> list[str]:
    """The models' tables that hold at least one row, in one query."""
    connection = connections[database]
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if not tables:
        return []
    quote = connection.ops.quote_name
    probe = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 - the models' tables
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(probe, tables)
        return [row[0] for row in cursor.fetchall()]

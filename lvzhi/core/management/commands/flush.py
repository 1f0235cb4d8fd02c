"""Django's ``flush`` (used by the test runner after each transactional test),
able to empty the append-only tables (core.append_only): the removal happens
in one transaction with the guard lifted, and the guard is back at commit."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from lvzhi.core.append_only import guarded_models, removal_allowed


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        tables = [model._meta.db_table for model in guarded_models()]
        with removal_allowed(tables, using=options["database"]):
            super().handle(**options)

"""``manage.py seed_demo``: load the fictional demo committees and print one
login per role.

Core sits below every other app, so it cannot import their demo data. It
walks the installed apps in INSTALLED_APPS order instead (org before the apps
that build on it) and calls ``seed(*, stdout)`` of each project app that has a
``demo`` module. Every seed is idempotent; all of them run in one transaction,
so a failure leaves the database as it was."""

from __future__ import annotations

import importlib
import importlib.util
import time
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

Login = tuple[str, str, str]
PROJECT_PACKAGE = "lvzhi."


def demo_seeders() -> list[tuple[str, Callable[..., list[Login]]]]:
    """(app label, seed function) of each project app with a ``demo`` module."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT_PACKAGE):
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        seed = getattr(module, "seed", None)
        if callable(seed):
            found.append((config.label, seed))
    return found


def _width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join([rule, line(headers), rule, *(line(r) for r in rows), rule])


class Command(BaseCommand):
    help = "Load the fictional demo committees (idempotent) and print one login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        logins: list[Login] = []
        with transaction.atomic():
            for _label, seed in demo_seeders():
                logins += seed(stdout=self.stdout)
        seen: set[str] = set()
        rows = []
        for role, username, password in logins:
            if username not in seen:
                seen.add(username)
                rows.append((role, username, password))
        self.stdout.write(f"示例数据就绪，用时 {time.monotonic() - started:.1f} 秒。演示账号：")
        self.stdout.write(format_table(("角色", "用户名", "密码"), rows))

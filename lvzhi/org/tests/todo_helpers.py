"""Reading the to-dos of the home page in tests."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import translation


def home_todos(client: Client) -> dict[str, dict[str, Any]]:
    """The to-dos (and figures) the home page shows, by their English label
    (the msgid: the same whatever the catalogue says)."""
    response = client.get("/")
    assert response.status_code == 200
    sections = list(response.context["sections"])
    if response.context["member_section"] is not None:
        sections.insert(0, response.context["member_section"])
    with translation.override("en"):
        return {str(todo["label"]): todo for section in sections for todo in section.todos}


def counts(client: Client) -> dict[str, int]:
    return {label: t["count"] for label, t in home_todos(client).items() if not t["figure"]}


def queue_rows(client: Client, todo: dict[str, Any]) -> int:
    """How many rows the queue the to-do links to lists (all pages)."""
    response = client.get(todo["url"])
    assert response.status_code == 200
    return int(response.context["page_obj"].paginator.count)

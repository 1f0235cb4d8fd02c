"""Test clients of the JSON API, shared by every app's ``test_api*.py``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.api import services


def token_client(user: Any, committee: Any, scope: str = "write") -> Client:
    """A client sending a fresh personal access token of ``user`` in ``committee``."""
    token = services.api_token_create(
        actor=user, committee=committee, name="手机", scope=scope, days=30
    ).token
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post_json(client: Client, url: str, data: Any = None, **headers: Any) -> Any:
    body = json.dumps(data) if data is not None else ""
    return client.post(url, body, content_type="application/json", **headers)


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, response.content[:200]
    return len(queries)


def assert_flat_queries(client: Client, url: str, make: Callable[[int], Any]) -> None:
    """The list costs as many queries for 2 rows as for 6 (``url`` asks for
    ``page_size=4``: fewer rows than a page, then more). ``make(n)`` adds row n."""
    for n in range(2):
        make(n)
    queries_of(client, url)  # the token's first use writes its last-use time once
    small = queries_of(client, url)
    for n in range(2, 6):
        make(n)
    assert queries_of(client, url) == small

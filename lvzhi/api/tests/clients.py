"""Test clients of the JSON API, shared by every app's ``test_api*.py``."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.api import services
from lvzhi.core.testing import assert_same_queries


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


def assert_flat_queries(
    client: Client, url: str, make: Callable[[int], Any], *, n: int = 2, page_size: int = 4
) -> int:
    """The list costs as many queries for N rows as for 3N, fewer than a page
    and then more (``url`` asks for ``page_size``; core.testing's
    assert_same_queries). ``make(i)`` adds row i."""
    assert f"page_size={page_size}" in url, url
    client.get(url)  # the token's first use writes its last-use time once
    made = itertools.count()

    def build(count: int) -> None:
        for _ in range(count):
            make(next(made))

    return assert_same_queries(build, lambda: queries_of(client, url), n=n, page_size=page_size)

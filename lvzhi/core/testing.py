"""Test helpers for the kernel's types, used by every app's tests.

``transition_cases(flow)`` turns a state table into parametrised cases, so a
test module writes each workflow's exhaustive tests in a few lines::

    @pytest.mark.parametrize("state,row", allowed_cases(PROPOSAL_FLOW), ids=case_id)
    def test_every_allowed_transition(state, row, ...): ...

    @pytest.mark.parametrize("state,action", refused_cases(PROPOSAL_FLOW), ids=case_id)
    def test_every_transition_the_table_lacks_is_refused(state, action, ...): ...

``assert_same_queries(build, measure, n=10, page_size=25)`` is the N-vs-3N
guard of DESIGN §7: a page costs the same with N rows and with 3N, and with
N < page size < 3N a per-row query cannot hide behind the pagination.
``page_queries(client, path)`` is the usual ``measure``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.core.workflow import Transition, Workflow


def allowed_cases(flow: Workflow) -> list[tuple[str, Transition]]:
    """Every (state, transition) the table allows."""
    return list(flow.rows())


def refused_cases(flow: Workflow) -> list[tuple[str, str]]:
    """Every (state, action) pair the table does not allow."""
    return [
        (state, action)
        for state in sorted(flow.states())
        for action in flow.actions()
        if flow.find(state, action) is None
    ]


def case_id(value: Any) -> str:
    if isinstance(value, Transition):
        return value.action
    return str(value)


def page_queries(client: Client, path: str) -> int:
    """The queries of one GET of ``path`` (answered 200), after a first GET
    that stores what a session stores once (its clocks, the committee)."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def assert_same_queries(
    build: Callable[[int], object],
    measure: Callable[[], int],
    *,
    n: int,
    page_size: int | None = None,
) -> int:
    """``build(n)`` rows and measure, ``build(2 * n)`` more (3N in all) and
    measure again: the counts must be equal. Returns the count."""
    if page_size is not None:
        assert n < page_size < 3 * n, "choose N with N < page size < 3N"
    build(n)
    few = measure()
    build(2 * n)
    many = measure()
    assert few == many, f"{few} queries with {n} rows, {many} with {3 * n}"
    return many

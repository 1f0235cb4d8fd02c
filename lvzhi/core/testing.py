"""Test helpers for the kernel's types, used by every app's tests.

``transition_cases(flow)`` turns a state table into parametrised cases, so a
test module writes each workflow's exhaustive tests in a few lines::

    @pytest.mark.parametrize("state,row", allowed_cases(PROPOSAL_FLOW), ids=case_id)
    def test_every_allowed_transition(state, row, ...): ...

    @pytest.mark.parametrize("state,action", refused_cases(PROPOSAL_FLOW), ids=case_id)
    def test_every_transition_the_table_lacks_is_refused(state, action, ...): ...
"""

from __future__ import annotations

from typing import Any

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

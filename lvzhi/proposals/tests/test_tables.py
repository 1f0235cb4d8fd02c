"""Tests generated from the state tables (core.testing): every allowed
transition of every table, performed by an actor who holds its permission,
moves the state and writes the event and audit rows; every (state, action)
pair a table lacks is refused with Conflict and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.errors import Conflict
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.workflow import Transition, Workflow, transition
from lvzhi.proposals.models import (
    Assignment,
    CoSigner,
    ExtensionRequest,
    Proposal,
    ReassignmentRequest,
)
from lvzhi.proposals.tests.conftest import World
from lvzhi.proposals.workflow import (
    ASSIGNMENT_FLOW,
    COSIGNER_FLOW,
    EXTENSION_FLOW,
    PROPOSAL_FLOW,
    REASSIGNMENT_FLOW,
)

S = Proposal.Status
SYSTEM = object()  # the daily job: no user, no permission check


def a_proposal(world: World, state: str = S.IN_HANDLING) -> Proposal:
    """A proposal put straight into ``state`` (the services are tested elsewhere)."""
    return Proposal.objects.create(
        committee=world.committee,
        term=world.term,
        title="直接建立的提案",
        category=world.category,
        proposer=world.proposer,
        status=state,
        number=Proposal.objects.filter(committee=world.committee).count() + 1,
    )


def an_assignment(
    world: World, proposal: Proposal, role: str = "lead", **fields: Any
) -> Assignment:
    today = timezone.localdate()
    unit = world.lead_unit if role == "lead" else world.co_unit
    return Assignment.objects.create(
        committee=world.committee,
        proposal=proposal,
        unit=unit,
        role=role,
        assigned_on=today,
        reassignment_due=today + dt.timedelta(days=14),
        precontact_due=today + dt.timedelta(days=21),
        reply_due=today + dt.timedelta(days=90),
        **fields,
    )


def a_cosigner(world: World, proposal: Proposal, state: str = CoSigner.State.INVITED) -> CoSigner:
    return CoSigner.objects.create(proposal=proposal, member=world.cosigner, state=state)


# Who holds each permission a table names, given the proposal (relations made as needed).
PROPOSAL_ACTORS: dict[str, Callable[[World, Proposal], Any]] = {
    "proposals.submit_proposal": lambda w, p: w.proposer_user,
    "proposals.withdraw_proposal": lambda w, p: w.proposer_user,
    "proposals.evaluate_proposal": lambda w, p: w.proposer_user,
    "proposals.cosign_proposal": lambda w, p: (a_cosigner(w, p), w.cosigner_user)[1],
    "proposals.cosigner_evaluate_proposal": lambda w, p: (
        a_cosigner(w, p, CoSigner.State.CONFIRMED),
        w.cosigner_user,
    )[1],
    "proposals.register_proposal": lambda w, p: w.staff,
    "proposals.review_proposal": lambda w, p: w.staff,
    "proposals.assign_proposal": lambda w, p: w.staff,
    "proposals.close_proposal": lambda w, p: w.staff,
    "proposals.select_excellent_proposal": lambda w, p: w.staff,
    "proposals.handle_proposal": lambda w, p: (an_assignment(w, p), w.lead_user)[1],
    "proposals.rate_proposal": lambda w, p: (an_assignment(w, p), w.lead_user)[1],
    "proposals.relinquish_proposal": lambda w, p: (an_assignment(w, p), w.lead_user)[1],
    "proposals.assist_proposal": lambda w, p: (an_assignment(w, p, "co"), w.co_user)[1],
    "proposals.mark_key_proposal": lambda w, p: w.leader,
    "proposals.supervise_proposal": lambda w, p: w.leader,
    "proposals.expire_proposal": lambda w, p: SYSTEM,
}


def _subject(flow: Workflow, world: World, state: str, action: str) -> tuple[Any, Any]:
    """An object of the flow's model in ``state`` and an actor allowed ``action``."""
    row = flow.find(state, action) or flow._by_action[action][0]
    if flow is PROPOSAL_FLOW:
        proposal = a_proposal(world, state)
        return proposal, PROPOSAL_ACTORS[row.permission](world, proposal)
    proposal = a_proposal(world)
    if flow is ASSIGNMENT_FLOW:
        lead = an_assignment(world, proposal)
        subject = an_assignment(world, proposal, "co") if action == "end" else lead
        Assignment.objects.filter(pk=subject.pk).update(state=state)
        subject.refresh_from_db()
        actor = {
            "proposals.reply_assignment": world.lead_user,
            "proposals.end_assignment": world.lead_user,
            "proposals.withdraw_assignment": world.staff,
            "proposals.reopen_assignment": world.proposer_user,
        }[row.permission]
        return subject, actor
    if flow is COSIGNER_FLOW:
        return a_cosigner(world, proposal, state), world.cosigner_user
    model = ExtensionRequest if flow is EXTENSION_FLOW else ReassignmentRequest
    assignment = an_assignment(world, proposal)
    extra = {"requested_due": assignment.reply_due} if model is ExtensionRequest else {}
    request = model.objects.create(assignment=assignment, reason="理由", state=state, **extra)
    return request, world.staff


def _act(obj: Any, action: str, actor: Any) -> Any:
    if actor is SYSTEM:
        return transition(obj, action, actor=None, check_permission=False)
    return transition(obj, action, actor=actor)


FLOWS = [PROPOSAL_FLOW, ASSIGNMENT_FLOW, COSIGNER_FLOW, EXTENSION_FLOW, REASSIGNMENT_FLOW]
ALLOWED = [(flow, state, row) for flow in FLOWS for state, row in allowed_cases(flow)]
REFUSED_STATES = [
    (flow, state)
    for flow in FLOWS
    for state in sorted({state for state, _action in refused_cases(flow)})
]


def _id(value: Any) -> str:
    if isinstance(value, Workflow):
        return value.audit_prefix
    return case_id(value)


@pytest.mark.parametrize("flow,state,row", ALLOWED, ids=_id)
def test_every_allowed_transition_moves_the_state_and_writes_event_and_audit(
    world: World, flow: Workflow, state: str, row: Transition
) -> None:
    obj, actor = _subject(flow, world, state, row.action)
    _act(obj, row.action, actor)
    obj.refresh_from_db()
    expected = row.target if row.target is not None else state
    assert flow.state_of(obj) == expected
    event = flow.event_model._default_manager.filter(**{flow.event_subject: obj}).last()
    assert event is not None
    assert (event.from_state, event.to_state, event.action) == (state, expected, row.action)
    audit = AuditEvent.objects.get(
        action=flow.audit_code(row.action),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
    )
    assert (audit.detail["from_state"], audit.detail["to_state"]) == (state, expected)
    assert audit.actor_id == (None if actor is SYSTEM else actor.pk)


@pytest.mark.parametrize("flow,state", REFUSED_STATES, ids=_id)
def test_every_action_the_table_lacks_is_refused_and_writes_nothing(
    world: World, flow: Workflow, state: str
) -> None:
    actions = [action for s, action in refused_cases(flow) if s == state]
    for action in actions:
        obj, actor = _subject(flow, world, state, action)
        events = flow.event_model._default_manager.count()
        audits = AuditEvent.objects.count()
        with pytest.raises(Conflict):
            _act(obj, action, actor)
        obj.refresh_from_db()
        assert flow.state_of(obj) == state, action
        assert flow.event_model._default_manager.count() == events, action
        assert AuditEvent.objects.count() == audits, action


def test_every_table_names_permissions_of_the_proposals_app() -> None:
    for flow in FLOWS:
        for _state, row in flow.rows():
            assert row.permission.startswith("proposals."), row
    assert set(PROPOSAL_ACTORS) == {row.permission for _s, row in PROPOSAL_FLOW.rows()}

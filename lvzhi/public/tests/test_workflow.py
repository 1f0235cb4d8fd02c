"""The message's state table, exhaustively: every step it allows, done by
someone allowed to, and every step it lacks, refused with nothing written.
Generated from MESSAGE_FLOW, so a new row is tested the day it is added."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lvzhi.core.errors import Conflict
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.workflow import Transition, transition
from lvzhi.public import conversions, services
from lvzhi.public.models import Message, MessageEvent
from lvzhi.public.workflow import MESSAGE_FLOW


def _in_state(submitted: services.Submitted, state: str) -> Message:
    """The message moved to ``state`` behind the table's back (a fixture only);
    an answered one has a reply, as it would have."""
    Message.objects.filter(pk=submitted.message.pk).update(
        status=state, reply="已答复" if state in ("replied", "closed") else ""
    )
    return Message.objects.get(pk=submitted.message.pk)


def _perform(action: str, message: Message, code: str, staff: Any, member: Any) -> None:
    """Each action through its service, as public staff (the citizen rates by code)."""
    if action == "approve":
        services.message_approve(message=message, actor=staff)
    elif action == "assign":
        services.message_assign(message=message, member=member, actor=staff)
    elif action == "reply":
        services.message_reply(message=message, text="已处理", public=True, actor=staff)
    elif action == "close":
        services.message_close(message=message, reason="已办结", actor=staff)
    elif action == "convert":
        conversions.conversion_create(
            kind="fake_topic", messages=[message], title="议题", body="", actor=staff
        )
    elif action == "rate":
        services.message_rate(code=code, rating="satisfied")
    else:  # pragma: no cover - a new row needs its line here
        raise AssertionError(f"no service for {action}")


@pytest.mark.parametrize(("state", "row"), allowed_cases(MESSAGE_FLOW), ids=case_id)
def test_every_allowed_step_moves_the_message_and_writes_its_event_and_audit_rows(
    state: str,
    row: Transition,
    submit: Callable[..., services.Submitted],
    public_staff: Any,
    member: Any,
    fake_converter: Any,
) -> None:
    sent = submit()
    message = _in_state(sent, state)
    _perform(row.action, message, sent.code, public_staff, member)
    message.refresh_from_db()
    expected = row.target or state
    assert message.status == expected
    event = MessageEvent.objects.filter(message=message).order_by("-id").first()
    assert event is not None
    assert (event.action, event.from_state, event.to_state) == (row.action, state, expected)
    audit = AuditEvent.objects.filter(action=f"public.message.{row.action}").get()
    assert audit.object_id == str(message.pk)
    assert audit.detail["from_state"] == state and audit.detail["to_state"] == expected


@pytest.mark.parametrize(("state", "action"), refused_cases(MESSAGE_FLOW), ids=case_id)
def test_every_step_the_table_lacks_is_refused_and_writes_nothing(
    state: str, action: str, submit: Callable[..., services.Submitted], public_staff: Any
) -> None:
    message = _in_state(submit(), state)
    events, audits = MessageEvent.objects.count(), AuditEvent.objects.count()
    # The citizen's step has no account behind it (the service checks the code).
    actor, check = (None, False) if action == "rate" else (public_staff, True)
    with pytest.raises(Conflict):
        transition(message, action, actor=actor, check_permission=check)
    assert Message.objects.get(pk=message.pk).status == state
    assert (MessageEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


def test_the_table_knows_every_status_of_a_message() -> None:
    assert MESSAGE_FLOW.states() == set(Message.Status.values)


def test_a_reply_is_rated_only_once_even_through_the_table(
    submit: Callable[..., services.Submitted], public_staff: Any
) -> None:
    sent = submit()
    services.message_reply(message=sent.message, text="好", public=False, actor=public_staff)
    services.message_rate(code=sent.code, rating="basic")
    message = Message.objects.get(pk=sent.message.pk)
    assert not MESSAGE_FLOW.actions_for(message, public_staff).get("rate")
    with pytest.raises(services.DomainError):
        transition(message, "rate", actor=None, check_permission=False)
    assert message.events.filter(action="rate").count() == 1

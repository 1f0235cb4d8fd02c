"""The life of a citizen's message (docs/public.md).

held ──approve──▶ received ──assign──▶ assigned ──reply──▶ replied
  │                  │  ▲─────────────────┘ (reassign)        │
  └──close──▶ closed ◀┴──────────── close ◀──────────────────┘

A held message (its text contains a word of the committee's list) is seen
by public staff only until they approve or close it. Converting a message
(三听三转) and the citizen's rating of a reply are logged steps that keep
the status.

Sending a message is not a row here: the message starts its life in
``received`` or ``held`` (``services.message_submit`` logs the "submit" step).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lvzhi.core.workflow import Transition, Workflow
from lvzhi.public.models import Message, MessageEvent

S = Message.Status
OPEN = {S.RECEIVED, S.ASSIGNED}
NOT_HELD = {S.RECEIVED, S.ASSIGNED, S.REPLIED, S.CLOSED}
ANSWERED = {S.REPLIED, S.CLOSED}


def not_yet_rated(message: Any, _actor: Any) -> str | None:
    return str(_("You have already rated this reply.")) if message.rating else None


SECONDARY = "outline-secondary"

# Each row: action, button label, from, permission, to (none: the state stays, logged).
MESSAGE_FLOW = Workflow(
    model=Message,
    event_model=MessageEvent,
    event_subject="message",
    audit_prefix="public.message",
    transitions=[
        Transition(
            "approve", _("Approve"), {S.HELD}, "public.approve_message", S.RECEIVED, style="warning"
        ),
        Transition(
            "assign",
            _("Assign"),
            OPEN,
            "public.assign_message",
            S.ASSIGNED,
            style="outline-primary",
        ),
        Transition("reply", _("Reply"), OPEN, "public.reply_message", S.REPLIED),
        # A held message is closed by public staff only: the venue's members
        # do not see it before it is approved.
        Transition(
            "close", _("Close"), {S.HELD}, "public.close_held_message", S.CLOSED, style=SECONDARY
        ),
        Transition(
            "close",
            _("Close"),
            {*OPEN, S.REPLIED},
            "public.close_message",
            S.CLOSED,
            style=SECONDARY,
        ),
        Transition(
            "convert", _("Convert"), NOT_HELD, "public.convert_message", style="outline-success"
        ),
        # The citizen, who has no account, rates the reply once; the service
        # checks the tracking code (see services.message_rate).
        Transition(
            "rate", _("Rate the reply"), ANSWERED, "public.rate_reply", guards=(not_yet_rated,)
        ),
    ],
)

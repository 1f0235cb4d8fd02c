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


MESSAGE_FLOW = Workflow(
    model=Message,
    event_model=MessageEvent,
    event_subject="message",
    audit_prefix="public.message",
    transitions=[
        Transition(
            "approve",
            _("Approve"),
            source={S.HELD},
            target=S.RECEIVED,
            permission="public.approve_message",
            style="warning",
        ),
        Transition(
            "assign",
            _("Assign"),
            source=OPEN,
            target=S.ASSIGNED,
            permission="public.assign_message",
            style="outline-primary",
        ),
        Transition(
            "reply",
            _("Reply"),
            source=OPEN,
            target=S.REPLIED,
            permission="public.reply_message",
        ),
        # A held message is closed by public staff only: the venue's members
        # do not see it before it is approved.
        Transition(
            "close",
            _("Close"),
            source={S.HELD},
            target=S.CLOSED,
            permission="public.close_held_message",
            style="outline-secondary",
        ),
        Transition(
            "close",
            _("Close"),
            source={*OPEN, S.REPLIED},
            target=S.CLOSED,
            permission="public.close_message",
            style="outline-secondary",
        ),
        Transition(
            "convert",
            _("Convert"),
            source=NOT_HELD,
            permission="public.convert_message",
            style="outline-success",
        ),
        # The citizen, who has no account, rates the reply once; the service
        # checks the tracking code (see services.message_rate).
        Transition(
            "rate",
            _("Rate the reply"),
            source=ANSWERED,
            permission="public.rate_reply",
            guards=(not_yet_rated,),
        ),
    ],
)

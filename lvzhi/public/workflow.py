"""The life of a citizen's message (docs/public.md).

held ──approve──▶ received ──assign──▶ assigned ──reply──▶ replied
  │                  │  ▲─────────────────┘ (reassign)        │
  └──close──▶ closed ◀┴──────────── close ◀──────────────────┘

A held message (its text contains a word of the committee's list) is seen
by staff only until approved. Rating a reply does not change the status.
"""

from __future__ import annotations

from lvzhi.public.models import Message

S = Message.Status

# Who may do each action: "staff" = office staff of the public area,
# "venue" = a member of the venue the message was sent to.
STAFF = "staff"
VENUE = "venue"

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.HELD, "approve"): S.RECEIVED,
    (S.HELD, "close"): S.CLOSED,
    (S.RECEIVED, "assign"): S.ASSIGNED,
    (S.ASSIGNED, "assign"): S.ASSIGNED,
    (S.RECEIVED, "reply"): S.REPLIED,
    (S.ASSIGNED, "reply"): S.REPLIED,
    (S.RECEIVED, "close"): S.CLOSED,
    (S.ASSIGNED, "close"): S.CLOSED,
    (S.REPLIED, "close"): S.CLOSED,
}

WHO: dict[str, frozenset[str]] = {
    "approve": frozenset({STAFF}),
    "assign": frozenset({STAFF, VENUE}),
    "reply": frozenset({STAFF, VENUE}),
    "close": frozenset({STAFF, VENUE}),
}


def next_status(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


def allowed_actions(status: str, roles: set[str]) -> list[str]:
    return [
        action
        for (from_status, action), _to in TRANSITIONS.items()
        if from_status == status and WHO[action] & roles
    ]

"""The proposal state table (DESIGN §5, Workflow): ``{(from, action): to}``, who may
do each action, and the deadline rules. Services look actions up here; a pair
missing from the table is refused with a Chinese message."""

from __future__ import annotations

import calendar as _calendar
from datetime import date

from lvzhi.core.calendar import add_working_days
from lvzhi.proposals.models import Proposal

S = Proposal.Status

# Who acts: "proposer" (the lead proposer), "staff" (office staff of the
# proposals area), "unit" (a user of an assigned unit, see UNIT_ROLES),
# "system" (the daily job).
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    # 提
    (S.DRAFT, "submit"): (S.SUBMITTED, "proposer"),
    (S.RETURNED, "submit"): (S.SUBMITTED, "proposer"),
    (S.DRAFT, "withdraw"): (S.WITHDRAWN, "proposer"),
    (S.RETURNED, "withdraw"): (S.WITHDRAWN, "proposer"),
    (S.SUBMITTED, "withdraw"): (S.WITHDRAWN, "proposer"),
    # 立
    (S.SUBMITTED, "register"): (S.REGISTERED, "staff"),
    (S.SUBMITTED, "decline"): (S.DECLINED, "staff"),
    (S.SUBMITTED, "return"): (S.RETURNED, "staff"),
    (S.SUBMITTED, "merge"): (S.MERGED, "staff"),
    # 办
    (S.REGISTERED, "assign"): (S.ASSIGNED, "staff"),
    (S.ASSIGNED, "accept"): (S.IN_HANDLING, "unit"),
    (S.ASSIGNED, "reassign"): (S.REGISTERED, "staff"),
    (S.IN_HANDLING, "reassign"): (S.REGISTERED, "staff"),
    (S.IN_HANDLING, "reply"): (S.REPLIED, "unit"),
    (S.REHANDLING, "reply"): (S.REPLIED, "unit"),
    # 评
    (S.REPLIED, "evaluate"): (S.EVALUATED, "proposer"),
    (S.REPLIED, "evaluate_dissatisfied"): (S.REHANDLING, "proposer"),
    (S.REPLIED, "not_evaluated"): (S.EVALUATED, "system"),
    (S.EVALUATED, "close"): (S.CLOSED, "staff"),
}

# Actions that do not move the state, and the states they are allowed in.
IN_PLACE: dict[str, tuple[set[str], str]] = {
    "cosign_answer": ({S.DRAFT, S.RETURNED}, "cosigner"),
    "convert": ({S.DECLINED}, "staff"),
    "precontact": ({S.ASSIGNED, S.IN_HANDLING, S.REHANDLING}, "unit"),
    "co_opinion": ({S.ASSIGNED, S.IN_HANDLING, S.REHANDLING}, "unit"),
    "request_extension": ({S.ASSIGNED, S.IN_HANDLING, S.REHANDLING}, "unit"),
    "decide_extension": ({S.ASSIGNED, S.IN_HANDLING, S.REHANDLING}, "staff"),
    "request_reassignment": ({S.ASSIGNED, S.IN_HANDLING}, "unit"),
    "refuse_reassignment": ({S.ASSIGNED, S.IN_HANDLING}, "staff"),
    "split_reply": ({S.IN_HANDLING, S.REHANDLING}, "unit"),
    "review_reply": ({S.REPLIED, S.EVALUATED, S.REHANDLING, S.CLOSED}, "staff"),
    "cosigner_evaluate": ({S.REPLIED, S.EVALUATED, S.REHANDLING}, "cosigner"),
    "rate_quality": ({S.IN_HANDLING, S.REPLIED, S.REHANDLING, S.EVALUATED, S.CLOSED}, "unit"),
    "mark_key": (
        {S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING},
        "leader",
    ),
    "supervise": ({S.ASSIGNED, S.IN_HANDLING, S.REHANDLING, S.REPLIED}, "leader"),
    "select_excellent": (
        {S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING, S.EVALUATED, S.CLOSED},
        "staff",
    ),
}

# States a proposal can be merged into (it must have been registered).
MERGE_TARGETS = {S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING}
# States in which the office sees the proposal (drafts are private).
OFFICE_VISIBLE = set(S.values) - {S.DRAFT, S.WITHDRAWN}
HANDLING = {S.ASSIGNED, S.IN_HANDLING, S.REHANDLING}

# Deadlines (DESIGN §6). Working days are counted with core.calendar.
REASSIGNMENT_WORKING_DAYS = 10
PRECONTACT_WORKING_DAYS = 15
REPLY_MONTHS = 3
EXTENSION_MAX_MONTHS = 6
REHANDLING_MONTHS = 1
EVALUATION_WORKING_DAYS = 15
# A proposal is handled again at most this many times after dissatisfaction.
MAX_REHANDLING = 1


def target(state: str, action: str) -> str | None:
    found = TRANSITIONS.get((state, action))
    return found[0] if found else None


def actor_kind(state: str, action: str) -> str | None:
    found = TRANSITIONS.get((state, action))
    if found:
        return found[1]
    in_place = IN_PLACE.get(action)
    if in_place and state in in_place[0]:
        return in_place[1]
    return None


def allowed(state: str, action: str) -> bool:
    return actor_kind(state, action) is not None


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day if shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return date(year, month, day)


def assignment_deadlines(assigned_on: date) -> dict[str, date]:
    return {
        "reassignment_due": add_working_days(assigned_on, REASSIGNMENT_WORKING_DAYS),
        "precontact_due": add_working_days(assigned_on, PRECONTACT_WORKING_DAYS),
        "reply_due": add_months(assigned_on, REPLY_MONTHS),
    }


def extension_limit(assigned_on: date) -> date:
    return add_months(assigned_on, EXTENSION_MAX_MONTHS)


def evaluation_due(replied_on: date) -> date:
    return add_working_days(replied_on, EVALUATION_WORKING_DAYS)


def rehandling_due(today: date) -> date:
    return add_months(today, REHANDLING_MONTHS)

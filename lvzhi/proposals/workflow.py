"""The proposal state tables (DESIGN §5, Workflow), written with core's types,
and the deadline rules.

Every status change goes through ``core.workflow.transition``; a pair missing
from a table is refused with a Chinese message. Each row names the permission
of ``rules.py`` that allows it. Actions with no target are logged on the
proposal's timeline while its state stays (a pre-contact, a co-unit opinion)."""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from lvzhi.core.calendar import add_working_days
from lvzhi.core.committee_settings import setting_value
from lvzhi.core.workflow import Transition, Workflow
from lvzhi.proposals import settings_defs as defs
from lvzhi.proposals.models import (
    Assignment,
    AssignmentEvent,
    CoSigner,
    CoSignerEvent,
    ExtensionRequest,
    ExtensionRequestEvent,
    Proposal,
    ProposalEvent,
    ReassignmentRequest,
    ReassignmentRequestEvent,
)

S = Proposal.Status
A = Assignment.State

# States in which the proposer edits the text and co-signers answer.
DRAFTING = {S.DRAFT, S.RETURNED}
# States a proposal can be merged into (it must have been registered).
MERGE_TARGETS = {S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING}
# States in which the office sees the proposal (drafts are private).
OFFICE_VISIBLE = set(S.values) - {S.DRAFT, S.WITHDRAWN}
# What the office may correct after the fact: the proposer can no longer edit it.
CORRIGIBLE = OFFICE_VISIBLE - DRAFTING
HANDLING = {S.ASSIGNED, S.IN_HANDLING, S.REHANDLING}
REPLYING = {S.IN_HANDLING, S.REHANDLING}
# Registered and not yet closed: leaders mark key proposals in these.
OPEN = {S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING}


def not_yet_forwarded(proposal: Proposal, actor: Any) -> str | None:
    if proposal.letter_unit_id is not None:
        return str(_("This proposal was already forwarded as a suggestion letter."))
    return None


# The permissions of rules.py the rows name more than once.
REVIEW = "proposals.review_proposal"
ASSIGN = "proposals.assign_proposal"
HANDLE = "proposals.handle_proposal"
EVALUATE = "proposals.evaluate_proposal"
ANSWER = "proposals.answer_cosigner"
# Before the unit's reply: the unit may ask to be relieved, the office relieves it.
RELIEVABLE = {S.ASSIGNED, S.IN_HANDLING}
C = CoSigner.State
# Both request models share these states (DecisionRequest.State).
D = ExtensionRequest.State


def logged(source: Iterable[str], permission: str, *steps: tuple[str, Any]) -> list[Transition]:
    """Rows of steps logged on the timeline while the state stays, all allowed
    from the same states by the same permission: (action, label) each."""
    return [Transition(action, label, source, permission) for action, label in steps]


# Each row: Transition(action, label, from states, permission, to state); no
# "to state": the state stays and the step is logged.
PROPOSAL_FLOW = Workflow(
    model=Proposal,
    event_model=ProposalEvent,
    event_subject="proposal",
    audit_prefix="proposal",
    transitions=[
        # 提
        Transition("submit", _("submitted"), DRAFTING, "proposals.submit_proposal", S.SUBMITTED),
        Transition(
            "withdraw",
            _("withdrawn"),
            {*DRAFTING, S.SUBMITTED},
            "proposals.withdraw_proposal",
            S.WITHDRAWN,
            style="outline-danger",
        ),
        Transition("cosign_answer", _("co-signer answered"), DRAFTING, "proposals.cosign_proposal"),
        # 立
        Transition(
            "register",
            _("registered"),
            {S.SUBMITTED},
            "proposals.register_proposal",
            S.REGISTERED,
            style="success",
        ),
        Transition(
            "decline", _("declined"), {S.SUBMITTED}, REVIEW, S.DECLINED, style="outline-danger"
        ),
        Transition(
            "return",
            _("returned for revision"),
            {S.SUBMITTED},
            REVIEW,
            S.RETURNED,
            style="outline-warning",
        ),
        Transition(
            "merge",
            _("merged into another proposal"),
            {S.SUBMITTED},
            REVIEW,
            S.MERGED,
            style="outline-secondary",
        ),
        Transition("merge_in", _("another proposal merged into this one"), MERGE_TARGETS, REVIEW),
        Transition(
            "convert",
            _("forwarded as a suggestion letter"),
            {S.DECLINED},
            REVIEW,
            guards=(not_yet_forwarded,),
        ),
        # 办
        Transition("assign", _("assigned"), {S.REGISTERED}, ASSIGN, S.ASSIGNED),
        Transition("accept", _("accepted by the unit"), {S.ASSIGNED}, HANDLE, S.IN_HANDLING),
        # A second split unit accepts a proposal already in handling.
        Transition("accept", _("accepted by the unit"), {S.IN_HANDLING}, HANDLE),
        *logged(
            HANDLING,
            HANDLE,
            ("precontact", _("proposer contacted")),
            ("request_extension", _("extension requested")),
        ),
        Transition("co_opinion", _("co-unit opinion sent"), HANDLING, "proposals.assist_proposal"),
        Transition("decide_extension", _("extension decided"), HANDLING, ASSIGN),
        Transition(
            "request_reassignment",
            _("reassignment requested"),
            RELIEVABLE,
            "proposals.relinquish_proposal",
        ),
        # Refused; or one of several replying units relieved, the others go on.
        *logged(
            RELIEVABLE,
            ASSIGN,
            ("refuse_reassignment", _("reassignment refused")),
            ("reassign_unit", _("one unit relieved")),
        ),
        # The last replying unit relieved: back to the office to assign again.
        Transition("reassign", _("reassigned"), RELIEVABLE, ASSIGN, S.REGISTERED),
        Transition("split_reply", _("one unit replied"), REPLYING, HANDLE),
        Transition("reply", _("replied"), REPLYING, HANDLE, S.REPLIED),
        Transition(
            "review_reply",
            _("class of the reply changed"),
            {S.REPLIED, S.EVALUATED, S.REHANDLING, S.CLOSED},
            REVIEW,
        ),
        Transition(
            "rate_quality",
            _("unit rated the proposal"),
            {S.IN_HANDLING, S.REPLIED, S.REHANDLING, S.EVALUATED, S.CLOSED},
            "proposals.rate_proposal",
        ),
        # 评
        Transition("evaluate", _("evaluated"), {S.REPLIED}, EVALUATE, S.EVALUATED),
        Transition(
            "evaluate_dissatisfied",
            _("dissatisfied: sent back for re-handling"),
            {S.REPLIED},
            EVALUATE,
            S.REHANDLING,
        ),
        Transition(
            "cosigner_evaluate",
            _("co-signer evaluated"),
            {S.REPLIED, S.EVALUATED, S.REHANDLING},
            "proposals.cosigner_evaluate_proposal",
        ),
        # The daily job (no user): transition(..., actor=None, check_permission=False).
        Transition(
            "not_evaluated",
            _("not evaluated in time"),
            {S.REPLIED},
            "proposals.expire_proposal",
            S.EVALUATED,
        ),
        Transition(
            "close",
            _("closed"),
            {S.EVALUATED},
            "proposals.close_proposal",
            S.CLOSED,
            style="secondary",
        ),
        # 督
        Transition("mark_key", _("key proposal setting"), OPEN, "proposals.mark_key_proposal"),
        Transition(
            "supervise",
            _("supervision note"),
            {S.ASSIGNED, S.IN_HANDLING, S.REHANDLING, S.REPLIED},
            "proposals.supervise_proposal",
        ),
        Transition(
            "select_excellent",
            _("excellent proposal selection"),
            {*OPEN, S.EVALUATED, S.CLOSED},
            "proposals.select_excellent_proposal",
        ),
    ],
)

ASSIGNMENT_FLOW = Workflow(
    model=Assignment,
    event_model=AssignmentEvent,
    event_subject="assignment",
    audit_prefix="proposal_assignment",
    state_field="state",
    transitions=[
        Transition(
            "reply", _("the unit replied"), {A.ACTIVE}, "proposals.reply_assignment", A.REPLIED
        ),
        # A co-unit's part ends with the lead unit's reply.
        Transition(
            "end",
            _("the co-unit's part ended with the lead unit's reply"),
            {A.ACTIVE},
            "proposals.end_assignment",
            A.REPLIED,
        ),
        Transition(
            "withdraw",
            _("taken from the unit"),
            {A.ACTIVE},
            "proposals.withdraw_assignment",
            A.WITHDRAWN,
        ),
        # The proposer's dissatisfied evaluation: the unit handles it again.
        Transition(
            "reopen",
            _("handled again after a dissatisfied evaluation"),
            {A.REPLIED},
            "proposals.reopen_assignment",
            A.ACTIVE,
        ),
    ],
)

COSIGNER_FLOW = Workflow(
    model=CoSigner,
    event_model=CoSignerEvent,
    event_subject="cosigner",
    audit_prefix="proposal_cosigner",
    state_field="state",
    transitions=[
        # While the draft is open a co-signer may change the answer.
        Transition(
            "confirm",
            _("co-signing confirmed"),
            {C.INVITED, C.REFUSED},
            ANSWER,
            C.CONFIRMED,
            style="success",
        ),
        Transition(
            "refuse",
            _("co-signing refused"),
            {C.INVITED, C.CONFIRMED},
            ANSWER,
            C.REFUSED,
            style="outline-danger",
        ),
    ],
)


def _decision_rows(permission: str) -> list[Transition]:
    return [
        Transition("approve", _("approved"), {D.PENDING}, permission, D.APPROVED, style="success"),
        Transition(
            "refuse", _("refused"), {D.PENDING}, permission, D.REFUSED, style="outline-danger"
        ),
    ]


def _decision_flow(model: Any, event_model: Any, audit_prefix: str, permission: str) -> Workflow:
    """The office's decision on a unit's request (an extension, a reassignment)."""
    return Workflow(
        model=model,
        event_model=event_model,
        event_subject="request",
        audit_prefix=audit_prefix,
        state_field="state",
        transitions=_decision_rows(permission),
    )


EXTENSION_FLOW = _decision_flow(
    ExtensionRequest, ExtensionRequestEvent, "proposal_extension", "proposals.decide_extension"
)
REASSIGNMENT_FLOW = _decision_flow(
    ReassignmentRequest,
    ReassignmentRequestEvent,
    "proposal_reassignment",
    "proposals.decide_reassignment",
)


# --- Deadlines (DESIGN §6): committee settings, counted with core.calendar ---------------


def _setting(committee: Any, definition: Any) -> int:
    if committee is None:
        return int(definition.default)
    return int(setting_value(committee, definition))


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day if shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return date(year, month, day)


def assignment_deadlines(assigned_on: date, committee: Any = None) -> dict[str, date]:
    """Stored on the assignment when it is made: a later change of the
    committee's settings applies to later assignments."""
    return {
        "reassignment_due": add_working_days(
            assigned_on, _setting(committee, defs.REASSIGNMENT_WORKING_DAYS)
        ),
        "precontact_due": add_working_days(
            assigned_on, _setting(committee, defs.PRECONTACT_WORKING_DAYS)
        ),
        "reply_due": add_months(assigned_on, _setting(committee, defs.REPLY_MONTHS)),
    }


def co_opinion_due(assigned_on: date, committee: Any = None) -> date:
    """When a co-unit's opinion to the lead unit is due (stored on its assignment)."""
    return add_months(assigned_on, _setting(committee, defs.CO_OPINION_MONTHS))


def extension_step_limit(current_due: date, committee: Any = None) -> date:
    """The latest date one extension request may ask for, from the current deadline."""
    return add_months(current_due, _setting(committee, defs.EXTENSION_STEP_MONTHS))


def extension_months(committee: Any = None) -> int:
    return _setting(committee, defs.EXTENSION_MAX_MONTHS)


def extension_limit(assigned_on: date, committee: Any = None) -> date:
    return add_months(assigned_on, extension_months(committee))


def evaluation_due(replied_on: date, committee: Any = None) -> date:
    return add_working_days(replied_on, _setting(committee, defs.EVALUATION_WORKING_DAYS))


def rehandling_due(today: date, committee: Any = None) -> date:
    return add_months(today, _setting(committee, defs.REHANDLING_MONTHS))


def max_rehandling(committee: Any = None) -> int:
    """How many times a proposal is handled again after dissatisfaction."""
    return _setting(committee, defs.MAX_REHANDLING)

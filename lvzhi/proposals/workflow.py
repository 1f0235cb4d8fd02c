"""The proposal state tables (DESIGN §5, Workflow), written with core's types,
and the deadline rules.

Every status change goes through ``core.workflow.transition``; a pair missing
from a table is refused with a Chinese message. Each row names the permission
of ``rules.py`` that allows it. Actions with no target are logged on the
proposal's timeline while its state stays (a pre-contact, a co-unit opinion)."""

from __future__ import annotations

import calendar as _calendar
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
HANDLING = {S.ASSIGNED, S.IN_HANDLING, S.REHANDLING}
REPLYING = {S.IN_HANDLING, S.REHANDLING}
# Registered and not yet closed: leaders mark key proposals in these.
OPEN = {S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING}


def not_yet_forwarded(proposal: Proposal, actor: Any) -> str | None:
    if proposal.letter_unit_id is not None:
        return str(_("This proposal was already forwarded as a suggestion letter."))
    return None


PROPOSAL_FLOW = Workflow(
    model=Proposal,
    event_model=ProposalEvent,
    event_subject="proposal",
    audit_prefix="proposal",
    transitions=[
        # 提
        Transition(
            "submit",
            _("submitted"),
            source=DRAFTING,
            target=S.SUBMITTED,
            permission="proposals.submit_proposal",
        ),
        Transition(
            "withdraw",
            _("withdrawn"),
            source={*DRAFTING, S.SUBMITTED},
            target=S.WITHDRAWN,
            permission="proposals.withdraw_proposal",
            style="outline-danger",
        ),
        Transition(
            "cosign_answer",
            _("co-signer answered"),
            source=DRAFTING,
            permission="proposals.cosign_proposal",
        ),
        # 立
        Transition(
            "register",
            _("registered"),
            source={S.SUBMITTED},
            target=S.REGISTERED,
            permission="proposals.register_proposal",
            style="success",
        ),
        Transition(
            "decline",
            _("declined"),
            source={S.SUBMITTED},
            target=S.DECLINED,
            permission="proposals.review_proposal",
            style="outline-danger",
        ),
        Transition(
            "return",
            _("returned for revision"),
            source={S.SUBMITTED},
            target=S.RETURNED,
            permission="proposals.review_proposal",
            style="outline-warning",
        ),
        Transition(
            "merge",
            _("merged into another proposal"),
            source={S.SUBMITTED},
            target=S.MERGED,
            permission="proposals.review_proposal",
            style="outline-secondary",
        ),
        Transition(
            "merge_in",
            _("another proposal merged into this one"),
            source=MERGE_TARGETS,
            permission="proposals.review_proposal",
        ),
        Transition(
            "convert",
            _("forwarded as a suggestion letter"),
            source={S.DECLINED},
            permission="proposals.review_proposal",
            guards=(not_yet_forwarded,),
        ),
        # 办
        Transition(
            "assign",
            _("assigned"),
            source={S.REGISTERED},
            target=S.ASSIGNED,
            permission="proposals.assign_proposal",
        ),
        Transition(
            "accept",
            _("accepted by the unit"),
            source={S.ASSIGNED},
            target=S.IN_HANDLING,
            permission="proposals.handle_proposal",
        ),
        # A second split unit accepts a proposal already in handling.
        Transition(
            "accept",
            _("accepted by the unit"),
            source={S.IN_HANDLING},
            permission="proposals.handle_proposal",
        ),
        Transition(
            "precontact",
            _("proposer contacted"),
            source=HANDLING,
            permission="proposals.handle_proposal",
        ),
        Transition(
            "co_opinion",
            _("co-unit opinion sent"),
            source=HANDLING,
            permission="proposals.assist_proposal",
        ),
        Transition(
            "request_extension",
            _("extension requested"),
            source=HANDLING,
            permission="proposals.handle_proposal",
        ),
        Transition(
            "decide_extension",
            _("extension decided"),
            source=HANDLING,
            permission="proposals.assign_proposal",
        ),
        Transition(
            "request_reassignment",
            _("reassignment requested"),
            source={S.ASSIGNED, S.IN_HANDLING},
            permission="proposals.relinquish_proposal",
        ),
        Transition(
            "refuse_reassignment",
            _("reassignment refused"),
            source={S.ASSIGNED, S.IN_HANDLING},
            permission="proposals.assign_proposal",
        ),
        # The last replying unit relieved: back to the office to assign again.
        Transition(
            "reassign",
            _("reassigned"),
            source={S.ASSIGNED, S.IN_HANDLING},
            target=S.REGISTERED,
            permission="proposals.assign_proposal",
        ),
        # One of several replying units relieved: the others go on.
        Transition(
            "reassign_unit",
            _("one unit relieved"),
            source={S.ASSIGNED, S.IN_HANDLING},
            permission="proposals.assign_proposal",
        ),
        Transition(
            "split_reply",
            _("one unit replied"),
            source=REPLYING,
            permission="proposals.handle_proposal",
        ),
        Transition(
            "reply",
            _("replied"),
            source=REPLYING,
            target=S.REPLIED,
            permission="proposals.handle_proposal",
        ),
        Transition(
            "review_reply",
            _("class of the reply changed"),
            source={S.REPLIED, S.EVALUATED, S.REHANDLING, S.CLOSED},
            permission="proposals.review_proposal",
        ),
        Transition(
            "rate_quality",
            _("unit rated the proposal"),
            source={S.IN_HANDLING, S.REPLIED, S.REHANDLING, S.EVALUATED, S.CLOSED},
            permission="proposals.rate_proposal",
        ),
        # 评
        Transition(
            "evaluate",
            _("evaluated"),
            source={S.REPLIED},
            target=S.EVALUATED,
            permission="proposals.evaluate_proposal",
        ),
        Transition(
            "evaluate_dissatisfied",
            _("dissatisfied: sent back for re-handling"),
            source={S.REPLIED},
            target=S.REHANDLING,
            permission="proposals.evaluate_proposal",
        ),
        Transition(
            "cosigner_evaluate",
            _("co-signer evaluated"),
            source={S.REPLIED, S.EVALUATED, S.REHANDLING},
            permission="proposals.cosigner_evaluate_proposal",
        ),
        # The daily job (no user): transition(..., actor=None, check_permission=False).
        Transition(
            "not_evaluated",
            _("not evaluated in time"),
            source={S.REPLIED},
            target=S.EVALUATED,
            permission="proposals.expire_proposal",
        ),
        Transition(
            "close",
            _("closed"),
            source={S.EVALUATED},
            target=S.CLOSED,
            permission="proposals.close_proposal",
            style="secondary",
        ),
        # 督
        Transition(
            "mark_key",
            _("key proposal setting"),
            source=OPEN,
            permission="proposals.mark_key_proposal",
        ),
        Transition(
            "supervise",
            _("supervision note"),
            source={S.ASSIGNED, S.IN_HANDLING, S.REHANDLING, S.REPLIED},
            permission="proposals.supervise_proposal",
        ),
        Transition(
            "select_excellent",
            _("excellent proposal selection"),
            source={*OPEN, S.EVALUATED, S.CLOSED},
            permission="proposals.select_excellent_proposal",
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
            "reply",
            _("the unit replied"),
            source={A.ACTIVE},
            target=A.REPLIED,
            permission="proposals.reply_assignment",
        ),
        # A co-unit's part ends with the lead unit's reply.
        Transition(
            "end",
            _("the co-unit's part ended with the lead unit's reply"),
            source={A.ACTIVE},
            target=A.REPLIED,
            permission="proposals.end_assignment",
        ),
        Transition(
            "withdraw",
            _("taken from the unit"),
            source={A.ACTIVE},
            target=A.WITHDRAWN,
            permission="proposals.withdraw_assignment",
        ),
        # The proposer's dissatisfied evaluation: the unit handles it again.
        Transition(
            "reopen",
            _("handled again after a dissatisfied evaluation"),
            source={A.REPLIED},
            target=A.ACTIVE,
            permission="proposals.reopen_assignment",
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
            source={CoSigner.State.INVITED, CoSigner.State.REFUSED},
            target=CoSigner.State.CONFIRMED,
            permission="proposals.answer_cosigner",
            style="success",
        ),
        Transition(
            "refuse",
            _("co-signing refused"),
            source={CoSigner.State.INVITED, CoSigner.State.CONFIRMED},
            target=CoSigner.State.REFUSED,
            permission="proposals.answer_cosigner",
            style="outline-danger",
        ),
    ],
)

# Both request models share these states.
D = ExtensionRequest.State


def _decision_rows(permission: str) -> list[Transition]:
    return [
        Transition(
            "approve",
            _("approved"),
            source={D.PENDING},
            target=D.APPROVED,
            permission=permission,
            style="success",
        ),
        Transition(
            "refuse",
            _("refused"),
            source={D.PENDING},
            target=D.REFUSED,
            permission=permission,
            style="outline-danger",
        ),
    ]


EXTENSION_FLOW = Workflow(
    model=ExtensionRequest,
    event_model=ExtensionRequestEvent,
    event_subject="request",
    audit_prefix="proposal_extension",
    state_field="state",
    transitions=_decision_rows("proposals.decide_extension"),
)

REASSIGNMENT_FLOW = Workflow(
    model=ReassignmentRequest,
    event_model=ReassignmentRequestEvent,
    event_subject="request",
    audit_prefix="proposal_reassignment",
    state_field="state",
    transitions=_decision_rows("proposals.decide_reassignment"),
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

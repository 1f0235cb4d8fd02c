"""The proposals endpoints of the JSON API (mounted by lvzhi.api at
``/proposals``), first slice: a member's own proposals, a proposal's detail
with its timeline (for whoever may see it on the pages), and the member's
buttons: submit, withdraw, answer a co-signing invitation; and a handling
unit's inbox (soonest deadline first) with its first step, 签收.

Thin, like the pages: the same selectors and the same named permission
(``proposals.view_proposal``), so another committee's proposal, or one the
caller may not see, is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from lvzhi.core.files import attachments_of
from lvzhi.core.web import acting_user, committee_for, object_for
from lvzhi.proposals import selectors, services
from lvzhi.proposals.models import (
    NOTE_MAX,
    TEXT_MAX,
    Assignment,
    CoUnitOpinion,
    ExtensionRequest,
    PreContact,
    Proposal,
    ProposalEvent,
    ReassignmentRequest,
    Reply,
)
from lvzhi.proposals.workflow import PROPOSAL_FLOW

router = Router(tags=["proposals"])
# Request bodies refuse fields they do not know (a client's typo is an
# error, not silently ignored).
STRICT = ConfigDict(extra="forbid")


class ProposalOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    created_at: dt.datetime

    @staticmethod
    def resolve_number(obj: Proposal) -> str:
        return obj.number_label  # "" until registered

    @staticmethod
    def resolve_kind_label(obj: Proposal) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Proposal) -> str:
        return str(obj.get_status_display())


class EventOut(Schema):
    action: str
    label: str
    from_state: str
    to_state: str
    note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_label(obj: ProposalEvent) -> str:
        return PROPOSAL_FLOW.label(obj.action)


class ProposalDetailOut(ProposalOut):
    reason: str
    suggestions: str
    timeline: list[EventOut]

    @staticmethod
    def resolve_timeline(obj: Proposal) -> list[ProposalEvent]:
        return list(obj.events.order_by("created_at", "id"))


@router.get("/mine", response=list[ProposalOut], summary="My proposals")
@paginate(PageNumberPagination, page_size=25)
def proposal_mine(request: HttpRequest) -> QuerySet[Proposal]:
    committee = committee_for(request, "proposals.file")
    return selectors.my_proposals(committee, acting_user(request))


class WithdrawIn(Schema):
    reason: str = Field(default="", max_length=500)


class CosignIn(Schema):
    confirm: bool


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    """A proposal the caller may see in the committee they act in; else 404.
    What they may do with it is checked by the service (403 / 409)."""
    return object_for(
        request,
        selectors.proposal_detail_qs(committee_for(request)),
        perm="proposals.view_proposal",
        pk=proposal_id,
    )


@router.get("/{int:proposal_id}", response=ProposalDetailOut, summary="A proposal and its timeline")
def proposal_detail(request: HttpRequest, proposal_id: int) -> Proposal:
    return _proposal(request, proposal_id)


@router.post("/{int:proposal_id}/submit", response=ProposalOut, summary="Submit my draft")
def proposal_submit(request: HttpRequest, proposal_id: int) -> Proposal:
    proposal = _proposal(request, proposal_id)
    return services.proposal_submit(actor=acting_user(request), proposal=proposal)


@router.post("/{int:proposal_id}/withdraw", response=ProposalOut, summary="Withdraw my proposal")
def proposal_withdraw(request: HttpRequest, proposal_id: int, body: WithdrawIn) -> Proposal:
    proposal = _proposal(request, proposal_id)
    return services.proposal_withdraw(
        actor=acting_user(request), proposal=proposal, reason=body.reason
    )


@router.post(
    "/{int:proposal_id}/cosign", response=ProposalOut, summary="Answer an invitation to co-sign"
)
def proposal_cosign(request: HttpRequest, proposal_id: int, body: CosignIn) -> Proposal:
    proposal = _proposal(request, proposal_id)
    services.cosigner_answer(actor=acting_user(request), proposal=proposal, confirm=body.confirm)
    return _proposal(request, proposal_id)


class AssignmentOut(Schema):
    id: int
    proposal: ProposalOut
    unit_name: str
    role: str
    role_label: str
    state: str
    assigned_on: dt.date
    reply_due: dt.date
    extended_due: dt.date | None
    co_opinion_due: dt.date | None

    @staticmethod
    def resolve_unit_name(obj: Assignment) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_role_label(obj: Assignment) -> str:
        return str(obj.get_role_display())


class PreContactIn(Schema):
    model_config = STRICT
    date: dt.date
    way: Literal["visit", "meeting", "phone", "online", "survey"]
    summary: str = Field(min_length=1, max_length=NOTE_MAX * 4)


class PreContactOut(Schema):
    id: int
    assignment_id: int
    date: dt.date
    way: str
    summary: str


class TextIn(Schema):
    model_config = STRICT
    text: str = Field(min_length=1, max_length=TEXT_MAX)


class CoOpinionOut(Schema):
    id: int
    assignment_id: int
    text: str
    created_at: dt.datetime


class ReplyOut(Schema):
    id: int
    assignment_id: int
    round: int
    text: str
    reply_class: str
    class_label: str
    solved: bool
    has_letter: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_has_letter(obj: Reply) -> bool:
        return attachments_of(obj, purpose=services.LETTER_PURPOSE).exists()


class ExtensionIn(Schema):
    model_config = STRICT
    requested_due: dt.date
    reason: str = Field(min_length=1, max_length=NOTE_MAX)


class ReasonIn(Schema):
    model_config = STRICT
    reason: str = Field(min_length=1, max_length=NOTE_MAX)


class UnitRequestOut(Schema):
    id: int
    assignment_id: int
    state: str
    reason: str
    created_at: dt.datetime


class ExtensionOut(UnitRequestOut):
    requested_due: dt.date


def _inbox(request: HttpRequest) -> QuerySet[Assignment]:
    committee = committee_for(request, "proposals.handle")
    return selectors.unit_assignments(committee, acting_user(request))


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    """An assignment of the caller's unit (a unit user or the unit's system
    credential); another unit's or committee's → 404."""
    return object_for(request, _inbox(request), pk=assignment_id)


@router.get("/assignments", response=list[AssignmentOut], summary="My unit's inbox")
@paginate(PageNumberPagination, page_size=25)
def assignment_inbox(request: HttpRequest) -> QuerySet[Assignment]:
    return _inbox(request)


@router.post(
    "/assignments/{int:assignment_id}/accept",
    response=AssignmentOut,
    summary="Sign for an assignment",
)
def assignment_accept(request: HttpRequest, assignment_id: int) -> Assignment:
    assignment = _assignment(request, assignment_id)
    services.assignment_accept(actor=acting_user(request), assignment=assignment)
    return _assignment(request, assignment_id)


@router.post(
    "/assignments/{int:assignment_id}/precontact",
    response=PreContactOut,
    summary="Record the contact with the proposer before replying (办前面商)",
)
def assignment_precontact(
    request: HttpRequest, assignment_id: int, body: PreContactIn
) -> PreContact:
    return services.assignment_precontact(
        actor=acting_user(request),
        assignment=_assignment(request, assignment_id),
        when=body.date,
        way=body.way,
        summary=body.summary,
    )


@router.post(
    "/assignments/{int:assignment_id}/co-opinion",
    response=CoOpinionOut,
    summary="Send a co-unit's opinion to the lead unit (会办意见)",
)
def assignment_co_opinion(request: HttpRequest, assignment_id: int, body: TextIn) -> CoUnitOpinion:
    return services.assignment_co_opinion(
        actor=acting_user(request), assignment=_assignment(request, assignment_id), text=body.text
    )


@router.post(
    "/assignments/{int:assignment_id}/reply",
    response=ReplyOut,
    summary="Reply with an answer class and the signed letter (multipart)",
)
def assignment_reply(
    request: HttpRequest,
    assignment_id: int,
    text: str = Form(..., min_length=1, max_length=TEXT_MAX),
    reply_class: str = Form(..., min_length=1, max_length=32),
    letter: UploadedFile | None = File(None),  # noqa: B008
) -> Reply:
    return services.assignment_reply(
        actor=acting_user(request),
        assignment=_assignment(request, assignment_id),
        text=text,
        reply_class=reply_class,
        letter=letter,
    )


@router.post(
    "/assignments/{int:assignment_id}/extension",
    response=ExtensionOut,
    summary="Ask for a later reply date (延期)",
)
def assignment_extension(
    request: HttpRequest, assignment_id: int, body: ExtensionIn
) -> ExtensionRequest:
    return services.extension_request(
        actor=acting_user(request),
        assignment=_assignment(request, assignment_id),
        requested_due=body.requested_due,
        reason=body.reason,
    )


@router.post(
    "/assignments/{int:assignment_id}/reassignment",
    response=UnitRequestOut,
    summary="Ask to be relieved of the assignment (退办)",
)
def assignment_reassignment(
    request: HttpRequest, assignment_id: int, body: ReasonIn
) -> ReassignmentRequest:
    return services.reassignment_request(
        actor=acting_user(request),
        assignment=_assignment(request, assignment_id),
        reason=body.reason,
    )

"""The proposals endpoints of the JSON API (mounted by lvzhi.api at
``/proposals``): a member's own proposals, drafts (with co-signers invited),
submit, withdraw, co-sign and evaluate; a proposal's detail with its
timeline (for whoever may see it on the pages); the office's review and
assignment; and a handling unit's inbox (soonest deadline first) with its
steps: 签收, 办前面商, 会办意见, 答复 with the letter, 延期 and 退办 — for a
unit's users and for its office system's credential alike.

Thin, like the pages: the same selectors, the same named permissions
(``proposals.view_proposal``; each service checks its own) and the same
services, so another committee's proposal, or one the caller may not see,
is a 404. Ids in a body are looked up among the committee's own choices
(the forms' querysets): another committee's is refused like a wrong choice."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.files import attachments_of
from lvzhi.core.web import acting_user, committee_for, object_for
from lvzhi.org.models import HandlingUnit
from lvzhi.org.selectors import member_of_user, sessions_of
from lvzhi.proposals import selectors, services
from lvzhi.proposals.models import (
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Assignment,
    CoSigner,
    CoUnitOpinion,
    Evaluation,
    ExtensionRequest,
    PreContact,
    Proposal,
    ProposalEvent,
    ReassignmentRequest,
    Reply,
    Satisfaction,
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
    model_config = STRICT
    reason: str = Field(default="", max_length=500)


class ReasonIn(Schema):
    model_config = STRICT
    reason: str = Field(min_length=1, max_length=NOTE_MAX)


class CosignIn(Schema):
    model_config = STRICT
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
    way: PreContact.Way
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


# --- A member's drafts and evaluation ---------------------------------------------------


class DraftIn(Schema):
    model_config = STRICT
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    kind: Proposal.Kind = Proposal.Kind.INDIVIDUAL
    category_id: int | None = None
    session_id: int | None = None
    reason: str = Field(default="", max_length=TEXT_MAX)
    suggestions: str = Field(default="", max_length=TEXT_MAX)
    on_behalf_of: str = Field(default="", max_length=64)
    cosigner_ids: list[int] = Field(default=[], max_length=50)
    token: uuid.UUID | None = None


class CoSignerOut(Schema):
    member_id: int
    name: str
    state: str

    @staticmethod
    def resolve_name(obj: CoSigner) -> str:
        return obj.member.person.name


class DraftOut(ProposalOut):
    reason: str
    suggestions: str
    cosigners: list[CoSignerOut]

    @staticmethod
    def resolve_cosigners(obj: Proposal) -> list[CoSigner]:
        return list(obj.cosigners.select_related("member__person").order_by("id"))


def _one_of(queryset: QuerySet[Any], pk: int | None, message: str) -> Any:
    """The chosen row among the committee's own choices; another committee's
    or an unknown id is refused like a wrong choice in the form."""
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise ValidationFailed(message)
    return row


def _draft_values(request: HttpRequest, body: DraftIn, proposal: Proposal | None) -> Any:
    committee = committee_for(request)
    proposer = proposal.proposer if proposal else member_of_user(acting_user(request), committee)
    candidates = selectors.cosigner_candidates(committee, exclude=proposer)
    cosigners = list(candidates.filter(pk__in=body.cosigner_ids))
    if len(cosigners) != len(set(body.cosigner_ids)):
        raise ValidationFailed(_("Choose co-signers among the members of this committee."))
    keep = proposal.category_id if proposal else None
    return {
        "actor": acting_user(request),
        "committee": committee,
        "title": body.title,
        "kind": body.kind,
        "category": _one_of(
            selectors.categories_of(committee, keep=keep),
            body.category_id,
            _("Choose a category of this committee."),
        ),
        "session": _one_of(
            sessions_of(committee),
            body.session_id,
            _("Choose a plenary session of this committee."),
        ),
        "reason": body.reason,
        "suggestions": body.suggestions,
        "on_behalf_of": body.on_behalf_of,
        "cosigners": cosigners,
    }


@router.post("/drafts", response=DraftOut, summary="Write a new draft (co-signers are invited)")
def draft_create(request: HttpRequest, body: DraftIn) -> Proposal:
    values = _draft_values(request, body, None)
    return services.proposal_draft_save(**values, token=body.token)


@router.put("/{int:proposal_id}", response=DraftOut, summary="Save changes to my draft")
def draft_update(request: HttpRequest, proposal_id: int, body: DraftIn) -> Proposal:
    proposal = _proposal(request, proposal_id)
    values = _draft_values(request, body, proposal)
    return services.proposal_draft_save(**values, proposal=proposal)


class EvaluationIn(Schema):
    model_config = STRICT
    contact: Satisfaction
    attitude: Satisfaction
    result: Satisfaction
    comments: str = Field(default="", max_length=NOTE_MAX)


class EvaluationOut(Schema):
    id: int
    proposal_id: int
    round: int
    contact: str
    attitude: str
    result: str
    comments: str
    created_at: dt.datetime


@router.post(
    "/{int:proposal_id}/evaluate", response=EvaluationOut, summary="Evaluate the reply (测评)"
)
def proposal_evaluate(request: HttpRequest, proposal_id: int, body: EvaluationIn) -> Evaluation:
    return services.proposal_evaluate(
        actor=acting_user(request),
        proposal=_proposal(request, proposal_id),
        contact=body.contact,
        attitude=body.attitude,
        result=body.result,
        comments=body.comments,
    )


# --- The proposal office's review and assignment ---------------------------------------------


class NoteIn(Schema):
    model_config = STRICT
    note: str = Field(default="", max_length=NOTE_MAX)


class DeclineIn(NoteIn):
    ground_id: int
    letter_unit_id: int | None = None


class AssignIn(Schema):
    model_config = STRICT
    lead_id: int | None = None
    co_unit_ids: list[int] = Field(default=[], max_length=20)
    split_unit_ids: list[int] = Field(default=[], max_length=20)


@router.post("/{int:proposal_id}/register", response=ProposalOut, summary="Register (立案)")
def proposal_register(request: HttpRequest, proposal_id: int, body: NoteIn) -> Proposal:
    return services.proposal_register(
        actor=acting_user(request), proposal=_proposal(request, proposal_id), note=body.note
    )


@router.post("/{int:proposal_id}/decline", response=ProposalOut, summary="Decline (不予立案)")
def proposal_decline(request: HttpRequest, proposal_id: int, body: DeclineIn) -> Proposal:
    proposal = _proposal(request, proposal_id)
    committee = committee_for(request)
    return services.proposal_decline(
        actor=acting_user(request),
        proposal=proposal,
        ground=_one_of(
            selectors.grounds_of(committee), body.ground_id, _("Choose a ground of this committee.")
        ),
        note=body.note,
        letter_unit=_one_of(
            selectors.units_for_assignment(committee),
            body.letter_unit_id,
            _("Choose a handling unit of this committee."),
        ),
    )


@router.post(
    "/{int:proposal_id}/return", response=ProposalOut, summary="Return for revision (退回修改)"
)
def proposal_return(request: HttpRequest, proposal_id: int, body: ReasonIn) -> Proposal:
    return services.proposal_return(
        actor=acting_user(request), proposal=_proposal(request, proposal_id), reason=body.reason
    )


def _units(request: HttpRequest, ids: list[int]) -> list[HandlingUnit]:
    units = list(selectors.units_for_assignment(committee_for(request)).filter(pk__in=ids))
    if len(units) != len(set(ids)):
        raise ValidationFailed(_("Choose a handling unit of this committee."))
    return units


@router.post(
    "/{int:proposal_id}/assign", response=list[AssignmentOut], summary="Assign to units (交办)"
)
def proposal_assign(request: HttpRequest, proposal_id: int, body: AssignIn) -> list[Assignment]:
    proposal = _proposal(request, proposal_id)
    lead = _units(request, [body.lead_id]) if body.lead_id is not None else []
    made = services.proposal_assign(
        actor=acting_user(request),
        proposal=proposal,
        lead=lead[0] if lead else None,
        co_units=_units(request, body.co_unit_ids),
        split_units=_units(request, body.split_unit_ids),
    )
    return list(
        Assignment.objects.filter(pk__in=[a.pk for a in made]).select_related(
            "proposal__category", "unit"
        )
    )

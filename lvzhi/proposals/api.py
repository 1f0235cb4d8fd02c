"""The proposals endpoints of the JSON API (mounted by lvzhi.api at
``/proposals``), first slice: a member's own proposals and a proposal's
detail with its timeline, for whoever may see it on the pages.

Thin, like the pages: the same selectors and the same named permission
(``proposals.view_proposal``), so another committee's proposal, or one the
caller may not see, is a 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from lvzhi.core.web import acting_user, committee_for, object_for
from lvzhi.proposals import selectors
from lvzhi.proposals.models import Proposal, ProposalEvent
from lvzhi.proposals.workflow import PROPOSAL_FLOW

router = Router(tags=["proposals"])


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


@router.get("/{proposal_id}", response=ProposalDetailOut, summary="A proposal and its timeline")
def proposal_detail(request: HttpRequest, proposal_id: int) -> Proposal:
    committee = committee_for(request)
    return object_for(
        request,
        selectors.proposal_detail_qs(committee),
        perm="proposals.view_proposal",
        pk=proposal_id,
    )

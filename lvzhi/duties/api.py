"""The duties endpoints of the JSON API (mounted by lvzhi.api at ``/duties``):
a member's invitations, signing up, asking leave, checking in with the QR
code and their duty records.

Thin, like the pages: load through the same selectors and permissions
(``my_member``, ``object_for``), call the same services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from lvzhi.core.web import acting_user, object_for
from lvzhi.duties import selectors, services
from lvzhi.duties.models import DutyRecord, Invitation
from lvzhi.duties.views.common import my_member

router = Router(tags=["duties"])


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    place: str
    start_at: dt.datetime
    end_at: dt.datetime
    state: str


class InvitationOut(Schema):
    id: int
    activity: ActivityOut
    state: str
    state_label: str
    leave_reason: str
    checked_in_at: dt.datetime | None

    @staticmethod
    def resolve_state_label(obj: Invitation) -> str:
        return str(obj.get_state_display())


class LeaveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class RecordOut(Schema):
    id: int
    kind: str
    kind_label: str
    category: str
    date: dt.date
    share: Decimal
    title: str

    @staticmethod
    def resolve_kind_label(obj: DutyRecord) -> str:
        return str(obj.get_kind_display())


def _my_invitation(request: HttpRequest, activity_id: int) -> Invitation:
    """The user's invitation to the activity, in the committee they act in
    (another committee's activity, or one they are not invited to: 404)."""
    committee, member = my_member(request)
    return object_for(
        request,
        Invitation.objects.filter(member=member, activity__committee=committee),
        perm="duties.answer_invitation",
        activity_id=activity_id,
    )


@router.get("/activities", response=list[InvitationOut], summary="My invitations to activities")
@paginate(PageNumberPagination, page_size=25)
def activity_list(request: HttpRequest) -> QuerySet[Invitation]:
    _committee, member = my_member(request)
    return selectors.invitations_of_member(member)


@router.post("/activities/{activity_id}/signup", response=InvitationOut, summary="Sign up")
def activity_sign_up(request: HttpRequest, activity_id: int) -> Invitation:
    invitation = _my_invitation(request, activity_id)
    return services.invitation_sign_up(invitation=invitation, actor=acting_user(request))


@router.post("/activities/{activity_id}/leave", response=InvitationOut, summary="Ask for leave")
def activity_leave(request: HttpRequest, activity_id: int, payload: LeaveIn) -> Invitation:
    invitation = _my_invitation(request, activity_id)
    return services.invitation_request_leave(
        invitation=invitation, actor=acting_user(request), reason=payload.reason
    )


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")
    slot: int = Field(ge=0)
    token: str = Field(min_length=1, max_length=64)


@router.post(
    "/activities/{activity_id}/checkin",
    response=InvitationOut,
    summary="Check in with the scanned QR code (slot and token of its URL)",
)
def activity_check_in(request: HttpRequest, activity_id: int, body: CheckInIn) -> Invitation:
    invitation = _my_invitation(request, activity_id)
    return services.invitation_check_in(
        activity=invitation.activity, actor=acting_user(request), slot=body.slot, token=body.token
    )


@router.get("/records", response=list[RecordOut], summary="My duty records")
@paginate(PageNumberPagination, page_size=25)
def record_list(request: HttpRequest) -> QuerySet[DutyRecord]:
    committee, member = my_member(request)
    return selectors.live_records(committee).filter(member=member).order_by("-date", "-id")

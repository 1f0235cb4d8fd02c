"""The public channel's endpoints of the JSON API (mounted by lvzhi.api at
``/public``), for a mini-program front end: a venue's page data, sending a
message, tracking it by its code and rating the reply.

These are the only operations a caller without an account may use
(``auth=None``), like the citizen's pages: the venue's QR code and the
tracking code are the credentials, and the same hourly limits and the same
brute-force guard on tracking codes apply (public.services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from lvzhi.core.committee_settings import setting_value
from lvzhi.core.context import client_ip
from lvzhi.public import codes, selectors, services
from lvzhi.public import settings_defs as limits
from lvzhi.public.models import Message

router = Router(tags=["public"], auth=None)


class MemberOut(Schema):
    name: str
    sector: str


class RecentReplyOut(Schema):
    category_label: str
    text: str
    reply: str
    replied_at: dt.datetime | None


class VenueOut(Schema):
    code: str
    kind: str
    name: str
    theme: str
    introduction: str
    opening_hours: str
    address: str
    lead: str
    lead_label: str
    members: list[MemberOut]
    recent_replies: list[RecentReplyOut]
    max_length: int


class MessageIn(Schema):
    model_config = ConfigDict(extra="forbid")
    category: Message.Category
    text: str = Field(min_length=1, max_length=5000)
    form_token: str = Field(min_length=1, max_length=64)
    name: str = Field(default="", max_length=32)
    mobile: str = Field(default="", max_length=20)
    consent: bool = False


class SentOut(Schema):
    code: str
    created: bool
    status: str


class TrackOut(Schema):
    code: str
    venue: str
    category: str
    category_label: str
    status: str
    status_label: str
    sent_at: dt.datetime
    deadline: dt.date | None
    reply: str
    replied_at: dt.datetime | None
    rating: str
    may_rate: bool


class RateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    rating: Message.Rating
    comment: str = Field(default="", max_length=300)


def _venue(code: str) -> Any:
    venue = selectors.active_venue(code)
    if venue is None:
        raise Http404
    return venue


@router.get("/venues/{code}", response=VenueOut, summary="A venue's page (码上商), by its QR code")
def venue_page(request: HttpRequest, code: str) -> dict[str, Any]:
    venue = _venue(code)
    data = selectors.venue_page_data(venue)
    lead = data["lead"]
    return {
        "code": venue.code,
        "kind": venue.kind,
        "name": venue.display_name,
        "theme": data["theme"],
        "introduction": data["introduction"],
        "opening_hours": data["opening_hours"],
        "address": data["address"],
        "lead": lead.person.name if lead is not None else "",
        "lead_label": str(data["lead_label"]),
        "members": [
            {"name": m.person.name, "sector": m.sector.name if m.sector else ""}
            for m in data["members"]
        ],
        "recent_replies": [
            {
                "category_label": str(m.get_category_display()),
                "text": m.text,
                "reply": m.reply,
                "replied_at": m.replied_at,
            }
            for m in data["replies"]
        ],
        "max_length": setting_value(venue.committee, limits.MAX_LENGTH),
    }


@router.post(
    "/venues/{code}/messages",
    response=SentOut,
    summary="Send a question or suggestion; answers the tracking code",
)
def message_send(request: HttpRequest, code: str, body: MessageIn) -> dict[str, Any]:
    sent = services.message_submit(
        venue=_venue(code),
        category=body.category,
        text=body.text,
        form_token=body.form_token,
        name=body.name,
        mobile=body.mobile,
        consent=body.consent,
        ip=client_ip(request),
    )
    return {
        "code": codes.display(sent.code),
        "created": sent.created,
        "status": sent.message.status,
    }


def _tracked(request: HttpRequest, code: str) -> Message:
    ip = client_ip(request)
    if services.track_misses_exceeded(ip=ip):
        raise services.RateLimited(
            _(
                "Too many wrong tracking codes from your network in the last hour. Please "
                "try again in an hour."
            )
        )
    message = services.message_by_code(code)
    if message is None:
        services.track_miss_count(ip=ip)
        raise Http404
    return message


def _track_out(message: Message, code: str) -> dict[str, Any]:
    return {
        "code": codes.display(codes.normalise(code)),
        "venue": message.venue.display_name,
        "category": message.category,
        "category_label": str(message.get_category_display()),
        "status": message.status,
        "status_label": str(message.get_status_display()),
        "sent_at": message.created_at,
        "deadline": message.deadline,
        "reply": message.reply,
        "replied_at": message.replied_at,
        "rating": message.rating,
        "may_rate": bool(message.reply) and not message.rating,
    }


@router.get("/track/{code}", response=TrackOut, summary="A message by its tracking code")
def track(request: HttpRequest, code: str) -> dict[str, Any]:
    return _track_out(_tracked(request, code), code)


@router.post("/track/{code}/rating", response=TrackOut, summary="Rate the reply, once")
def rate(request: HttpRequest, code: str, body: RateIn) -> dict[str, Any]:
    _tracked(request, code)
    rated = services.message_rate(code=code, rating=body.rating, comment=body.comment)
    return _track_out(rated, code)

"""The consultation endpoints of the JSON API (mounted by lvzhi.api at
``/consultations``): the consultations the caller may see, one with its
online posts (云协商), and posting or replying while the window is open.

Thin, like the pages: ``consultation_list`` / ``consultation_detail`` /
``posts_of``, the named permission ``consultations.view_consultation``, and
``post_create`` (which checks ``consultations.post_in_consultation``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from lvzhi.consultations import selectors, services
from lvzhi.consultations.models import Consultation, Post
from lvzhi.core.web import acting_user, committee_for, object_for

router = Router(tags=["consultations"])


class ConsultationOut(Schema):
    id: int
    year: int
    title: str
    format: str
    format_label: str
    state: str
    state_label: str
    meeting_date: dt.date | None
    venue: str

    @staticmethod
    def resolve_format_label(obj: Consultation) -> str:
        return str(obj.get_format_display())

    @staticmethod
    def resolve_state_label(obj: Consultation) -> str:
        return str(obj.get_state_display())


class ReplyOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime
    hidden: bool

    @staticmethod
    def resolve_author(obj: Post) -> str:
        # A hidden post keeps its place in the thread, not its words.
        return obj.member.person.name if obj.member is not None else str(obj.author)

    @staticmethod
    def resolve_text(obj: Post) -> str:
        return "" if obj.hidden_at else obj.text

    @staticmethod
    def resolve_hidden(obj: Post) -> bool:
        return obj.hidden_at is not None


class PostOut(ReplyOut):
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(obj: Post) -> list[Post]:
        return list(obj.replies.all())


class ConsultationDetailOut(ConsultationOut):
    description: str
    online_window: str
    posts: list[PostOut]

    @staticmethod
    def resolve_online_window(obj: Consultation) -> str:
        return selectors.online_window_state(obj)

    @staticmethod
    def resolve_posts(obj: Consultation) -> list[Post]:
        return list(selectors.posts_of(obj))


class PostIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2000)
    parent_id: int | None = None
    token: str = Field(default="", max_length=64)


@router.get("", response=list[ConsultationOut], summary="Consultations I may see")
@paginate(PageNumberPagination, page_size=25)
def consultation_list(request: HttpRequest) -> QuerySet[Consultation]:
    committee = committee_for(request, "consultations.view_section")
    return selectors.consultation_list(acting_user(request), committee)


def _consultation(request: HttpRequest, consultation_id: int) -> Consultation:
    committee = committee_for(request, "consultations.view_section")
    return object_for(
        request,
        selectors.consultation_detail(acting_user(request), committee),
        perm="consultations.view_consultation",
        pk=consultation_id,
    )


@router.get(
    "/{int:consultation_id}",
    response=ConsultationDetailOut,
    summary="A consultation with its online posts",
)
def consultation_detail(request: HttpRequest, consultation_id: int) -> Consultation:
    return _consultation(request, consultation_id)


@router.post(
    "/{int:consultation_id}/posts",
    response=ReplyOut,
    summary="Post in the online consultation, or reply to a post",
)
def post_create(request: HttpRequest, consultation_id: int, body: PostIn) -> Post:
    consultation = _consultation(request, consultation_id)
    parent = None
    if body.parent_id is not None:  # as the page: a post of this consultation, else 404
        parent = object_for(
            request, Post.objects.filter(consultation=consultation), pk=body.parent_id
        )
    return services.post_create(
        actor=acting_user(request),
        consultation=consultation,
        text=body.text,
        parent=parent,
        token=body.token,
    )

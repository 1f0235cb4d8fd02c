"""The points endpoint of the JSON API (mounted by lvzhi.api at ``/points``):
the member's score of a year and the required duties met, read through
``standing_of`` (the home page's figures), and the sources of the points,
itemised by ``scoring.explain`` as on the "my points" page."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lvzhi.core.web import FIRST_YEAR, LAST_YEAR, acting_user, committee_for, this_year
from lvzhi.duties.views.common import my_member
from lvzhi.points import scoring
from lvzhi.points.selectors import Standing, standing_of

router = Router(tags=["points"])


class YearIn(Schema):
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)


class StandingOut(Schema):
    year: int
    has_policy: bool
    score: Decimal | None
    required_met: int
    required: int


@router.get("/mine", response=StandingOut, summary="My points and required duties of a year")
def points_mine(request: HttpRequest, query: Query[YearIn]) -> dict[str, object]:
    committee = committee_for(request, "points.view_own")
    year = query.year or this_year()
    standing: Standing | None = standing_of(committee, acting_user(request), year)
    return {
        "year": year,
        "has_policy": standing is not None,
        "score": standing.score if standing else None,
        "required_met": standing.met if standing else 0,
        "required": standing.required if standing else 0,
    }


class SourceOut(Schema):
    record_id: int
    date: str
    kind: str
    kind_label: str
    title: str
    share: Decimal
    points: Decimal


class CategoryOut(Schema):
    category: str
    label: str
    earned: Decimal
    cap: Decimal | None
    counted: Decimal
    sources: list[SourceOut]


class SourcesOut(Schema):
    year: int
    has_policy: bool
    base: Decimal | None = None
    score: Decimal | None = None
    grade: str = ""
    grade_label: str = ""
    categories: list[CategoryOut] = []
    penalties: list[SourceOut] = []
    penalty_total: Decimal | None = None


def _source(line: scoring.Line) -> dict[str, object]:
    record = line.record
    return {
        "record_id": record.pk,
        "date": str(record.date),
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
        "title": record.title,
        "share": record.share,
        "points": line.points,
    }


@router.get(
    "/mine/sources",
    response=SourcesOut,
    summary="The duty records behind my points of a year, with the points each earned",
)
def points_mine_sources(request: HttpRequest, query: Query[YearIn]) -> dict[str, object]:
    committee, member = my_member(request, "points.view_own")
    year = query.year or this_year()
    policy = scoring.active_policy(committee.pk, year)
    if policy is None:
        return {"year": year, "has_policy": False}
    explanation = scoring.explain(policy, member)
    return {
        "year": year,
        "has_policy": True,
        "base": explanation.base,
        "score": explanation.score,
        "grade": explanation.grade,
        "grade_label": explanation.grade_label,
        "categories": [
            {
                "category": cat.category,
                "label": str(cat.label),
                "earned": cat.earned,
                "cap": cat.cap,
                "counted": cat.counted,
                "sources": [_source(line) for line in cat.lines],
            }
            for cat in explanation.categories
        ],
        "penalties": [_source(line) for line in explanation.penalties],
        "penalty_total": explanation.penalty_total,
    }

"""The points endpoint of the JSON API (mounted by lvzhi.api at ``/points``):
the member's score of a year and the required duties met, read through
``standing_of`` (the home page's figures).

The itemised sources of the points are not served yet: the page builds them
in its view, and points has no selector for them to share."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lvzhi.core.web import FIRST_YEAR, LAST_YEAR, acting_user, committee_for, this_year
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

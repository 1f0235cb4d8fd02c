"""The member's standing on the home page (org.home.register_todos): this
year's points and how many of the required duties ("六个一") are met, both
from one read (selectors.standing_of) and linking to "My points"; for a
sector's convener, the members below the year's line with no talk yet,
linking to the sector page."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.web import this_year
from lvzhi.org.home import Figure, Todo, per_request, register_todos
from lvzhi.org.http import AuthedRequest
from lvzhi.points import selectors


@per_request
def _standing(request: AuthedRequest) -> selectors.Standing | None:
    return selectors.standing_of(request.committee, request.user, this_year())


def _score(request: AuthedRequest) -> str | None:
    standing = _standing(request)
    if standing is None:
        return None
    return _("%(score)s points") % {"score": floatformat(standing.score, -2)}


def _required(request: AuthedRequest) -> str | None:
    standing = _standing(request)
    if standing is None or not standing.required:
        return None
    return _("%(met)s of %(required)s met") % {
        "met": standing.met,
        "required": standing.required,
    }


def _below_without_talk(request: AuthedRequest) -> Any:
    return selectors.below_without_talk(request.committee, request.user, this_year())


def register() -> None:
    register_todos(
        "member",
        Figure(
            gettext_lazy("My points this year"),
            "points:my_points",
            _score,
            "points.view_own",
            icon="trophy",
        ),
        Figure(
            gettext_lazy("Required duties"),
            "points:my_points",
            _required,
            "points.view_own",
            icon="list-check",
        ),
        Todo(
            gettext_lazy("Below the line, no talk yet"),
            "points:sectors",
            _below_without_talk,
            "points.view_convened",
            icon="chat-dots",
            anchor="below",
        ),
    )

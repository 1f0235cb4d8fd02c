"""The convener's sector page (界别召集人): the sector's members in office
with the year's stored points and grade, those below the policy's
"not competent" line with the talks (谈话记录) that follow them up, and the
sector's rotation work. Thin: selectors read, rules decide, the service writes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.permissions import has_perm
from lvzhi.core.web import (
    acting_user,
    committee_for,
    form_page,
    object_for,
    posted,
    this_year,
    year_param,
)
from lvzhi.org.models import Committee, Member, Sector
from lvzhi.points import forms, selectors, services
from lvzhi.points.models import Grade
from lvzhi.points.sector_work import sector_work

# The members of a sector shown at once (a sector has a few dozen).
MEMBERS_SHOWN = 300
TALKS_SHOWN = 30


def _sector(request: HttpRequest, pk: int) -> tuple[Committee, Sector]:
    committee = committee_for(request)
    return committee, object_for(
        request, selectors.sectors_of(committee), perm="points.view_sector", pk=pk
    )


def _shown(members: Any) -> None:
    """Each row's grade as its label (rows stored before schemes named grades carry none)."""
    labels = dict(Grade.choices)
    for m in members:
        m.grade_shown = m.grade_text or labels.get(m.grade_code, "")


@login_required
def sector_list(request: HttpRequest) -> HttpResponse:
    """The sectors the user may open: a convener's own (the one sector opened
    straight away), or every sector for duties staff and leaders."""
    committee = committee_for(request)
    if has_perm(request.user, "points.view_rankings", committee):
        sectors = selectors.sectors_of(committee).order_by("order", "id")
    elif has_perm(request.user, "points.view_convened", committee):
        sectors = selectors.sectors_convened(committee, request.user)
        if len(sectors) == 1:
            return redirect("points:sector", pk=sectors[0].pk)
    else:
        raise PermissionDenied
    return render(request, "points/sector_list.html", {"sectors": sectors})


@login_required
def sector(request: HttpRequest, pk: int) -> HttpResponse:
    committee, sector = _sector(request, pk)
    year = year_param(request, this_year())
    lines = selectors.lines_of(committee.pk, year, year - 1)
    line, previous = lines[year], lines[year - 1]
    members = selectors.sector_members(committee, year, line, previous).filter(sector=sector)
    # A sector has a few dozen members: bounded reads, the same count of
    # queries whatever its size.
    rows = list(members[: MEMBERS_SHOWN + 1])
    more = len(rows) > MEMBERS_SHOWN
    rows = rows[:MEMBERS_SHOWN]
    lowest_first = F("score_value").asc(nulls_first=True)
    below = list(
        members.filter(below=True).order_by(lowest_first, "pk")[:MEMBERS_SHOWN]  # type: ignore[misc]
    )
    _shown(rows)
    _shown(below)
    talks = list(selectors.talks_of_sector(sector, year)[: TALKS_SHOWN + 1])
    context = {
        "sector": sector,
        "year": year,
        "years": range(this_year(), this_year() - 3, -1),
        "line": line,
        "rows": rows,
        "members_more": more,
        "below": below,
        "talks": talks[:TALKS_SHOWN],
        "talks_more": len(talks) > TALKS_SHOWN,
        "work": sector_work(sector, year),
    }
    return render(request, "points/sector.html", context)


@login_required
def talk_add(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    committee, sector = _sector(request, pk)
    year = year_param(request, this_year())
    member = object_for(
        request,
        Member.objects.filter(committee=committee, sector=sector).select_related("person"),
        perm="points.record_talk",
        pk=member_pk,
    )
    back = reverse("points:sector", args=[sector.pk]) + f"?year={year}"
    return form_page(
        request,
        forms.TalkRecordForm(posted(request)),
        title=_("Record a talk with %(name)s") % {"name": member.person.name},
        cancel_url=back,
        save=lambda data: services.talk_record_add(
            actor=acting_user(request),
            member=member,
            year=year,
            date=data["date"],
            summary=data["summary"],
            next_step=data["next_step"],
        ),
        success=back,
        message=_("The talk is recorded."),
        intro=_(
            "A talk about the %(year)s grade: what was said and the next step agreed. "
            "It is shown on the member's line of the sector page."
        )
        % {"year": year},
        breadcrumbs=[(sector.name, back)],
        form_id="talk-form",
    )

"""Reads of the studios app, always scoped to one committee."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lvzhi.org.models import Committee, Member, Station, Studio
from lvzhi.studios.models import (
    Activity,
    DutyWeek,
    MemberArea,
    RotationPlan,
    RoundTableLead,
    ServiceProject,
    StarRating,
    StationLeader,
)


def studios_overview(committee: Committee, year: int) -> QuerySet[Studio]:
    """Active studios with the year's activity count and their rating of the year."""
    return (
        Studio.objects.filter(committee=committee)
        .select_related("lead__person")
        .annotate(
            member_count=Count("members", distinct=True),
            activity_count=Count(
                "activities", filter=Q(activities__date__year=year), distinct=True
            ),
            project_count=Count("service_projects", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "star_ratings",
                queryset=StarRating.objects.filter(year__in=[year, year - 1]),
                to_attr="recent_ratings",
            )
        )
        .order_by("-is_active", "id")
    )


def studio_of(committee: Committee) -> QuerySet[Studio]:
    return (
        Studio.objects.filter(committee=committee)
        .select_related("lead__person")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.select_related("person", "sector")),
            Prefetch("service_projects", queryset=ServiceProject.objects.order_by("-id")),
        )
    )


def activities_of(
    committee: Committee, *, studio: Studio | None = None, station: Station | None = None
) -> QuerySet[Activity]:
    qs = (
        Activity.objects.filter(committee=committee)
        .select_related("project")
        .prefetch_related(
            Prefetch("participants", queryset=Member.objects.select_related("person"))
        )
    )
    if studio is not None:
        qs = qs.filter(studio=studio)
    if station is not None:
        qs = qs.filter(station=station)
    return qs.order_by("-date", "-id")


def running_projects(studio: Studio) -> QuerySet[ServiceProject]:
    """The studio's service projects an activity can still be recorded under."""
    return ServiceProject.objects.filter(studio=studio, status=ServiceProject.Status.ACTIVE)


def projects_of(committee: Committee) -> QuerySet[ServiceProject]:
    return ServiceProject.objects.filter(committee=committee).select_related("studio")


def ratings_of(committee: Committee, year: int) -> QuerySet[StarRating]:
    return (
        StarRating.objects.filter(committee=committee, year=year)
        .select_related("studio", "adjusted_by")
        .order_by("studio_id")
    )


def stations_overview(committee: Committee) -> QuerySet[Station]:
    return (
        Station.objects.filter(committee=committee)
        .select_related("master__person")
        .annotate(
            member_count=Count("members", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        .prefetch_related(
            Prefetch("leaders", queryset=StationLeader.objects.select_related("member__person"))
        )
        .order_by("-is_active", "id")
    )


def station_of(committee: Committee) -> QuerySet[Station]:
    return (
        Station.objects.filter(committee=committee)
        .select_related("master__person")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Member.objects.select_related("person", "sector", "area_profile"),
            ),
            Prefetch("leaders", queryset=StationLeader.objects.select_related("member__person")),
        )
    )


def assignable_members(committee: Committee, station: Station) -> list[dict[str, Any]]:
    """Members in office with their area, those living in the station's area
    first (the suggestion), then the rest; each marked if already assigned."""
    assigned = set(station.members.values_list("pk", flat=True))
    members = (
        Member.objects.filter(
            committee=committee, status=Member.Status.IN_OFFICE, term__is_current=True
        )
        .select_related("person", "sector", "area_profile")
        .order_by("sector__order", "id")
    )
    rows = []
    for m in members:
        profile = getattr(m, "area_profile", None)
        area = profile.area if profile is not None else ""
        rows.append(
            {
                "member": m,
                "area": area,
                "nearby": bool(
                    station.area and area and (station.area in area or area in station.area)
                ),
                "assigned": m.pk in assigned,
            }
        )
    rows.sort(key=lambda r: (not r["nearby"], not r["assigned"]))
    return rows


def member_areas(committee: Committee) -> dict[int, str]:
    return dict(MemberArea.objects.filter(committee=committee).values_list("member_id", "area"))


def plan_of(committee: Committee) -> QuerySet[RotationPlan]:
    return RotationPlan.objects.filter(committee=committee)


def duty_weeks_of(plan: RotationPlan) -> QuerySet[DutyWeek]:
    return (
        DutyWeek.objects.filter(plan=plan)
        .select_related("sector", "sector__cluster")
        .order_by("week_start", "sector__order", "sector_id")
    )


def leads_of(plan: RotationPlan) -> QuerySet[RoundTableLead]:
    return (
        RoundTableLead.objects.filter(plan=plan)
        .select_related("cluster", "sector")
        .order_by("cluster__order", "cluster_id", "number")
    )


def upcoming_duty(member: Member, today: date | None = None) -> dict[str, Any]:
    """The member's sector's duty weeks from this week on, and the round tables it leads."""
    today = today or timezone.localdate()
    if member.sector_id is None:
        return {"weeks": [], "leads": []}
    from datetime import timedelta

    monday = today - timedelta(days=today.weekday())
    weeks = list(
        DutyWeek.objects.filter(
            committee_id=member.committee_id, sector_id=member.sector_id, week_start__gte=monday
        ).order_by("week_start")[:5]
    )
    leads = list(
        RoundTableLead.objects.filter(
            committee_id=member.committee_id, sector_id=member.sector_id, plan__year__gte=today.year
        )
        .select_related("cluster", "plan")
        .order_by("plan__year", "number")[:8]
    )
    return {"weeks": weeks, "leads": leads}

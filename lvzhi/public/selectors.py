"""Reads of the public channel, scoped to a committee and the user."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import Area, Role, RoleAssignment
from lvzhi.org.models import Committee, Member, Station, Studio
from lvzhi.org.selectors import member_of_user
from lvzhi.public.models import Conversion, Message, Venue
from lvzhi.studios.models import ServiceProject


def venues_of(committee: Committee) -> QuerySet[Venue]:
    return (
        Venue.objects.filter(committee=committee)
        .select_related("studio", "station")
        .annotate(message_count=Count("messages", distinct=True))
        .order_by("kind", "id")
    )


def venue_member_ids(venue: Venue) -> set[int]:
    """The members behind a venue: its studio's, its station's or the room's own."""
    if venue.kind == Venue.Kind.STUDIO and venue.studio_id:
        return set(
            Studio.members.through.objects.filter(studio_id=venue.studio_id).values_list(
                "member_id", flat=True
            )
        )
    if venue.kind == Venue.Kind.STATION and venue.station_id:
        return set(
            Station.members.through.objects.filter(station_id=venue.station_id).values_list(
                "member_id", flat=True
            )
        )
    return set(venue.members.values_list("pk", flat=True))


def venue_members(venue: Venue) -> list[Member]:
    return list(
        Member.objects.filter(pk__in=venue_member_ids(venue)).select_related("person", "sector")
    )


def public_staff_users(committee_id: int) -> list[Any]:
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            committee_id=committee_id, role=Role.STAFF, area=Area.PUBLIC
        ).select_related("user")
    ]


def venue_member_venue_ids(user: Any, committee: Committee) -> tuple[Member | None, set[int]]:
    """The user's seat and the venues they sit in (studio, station or room)."""
    member = member_of_user(user, committee)
    if member is None or member.status != Member.Status.IN_OFFICE:
        return None, set()
    studio_ids = Studio.members.through.objects.filter(member_id=member.pk).values("studio_id")
    station_ids = Station.members.through.objects.filter(member_id=member.pk).values("station_id")
    ids = set(
        Venue.objects.filter(committee=committee)
        .filter(Q(studio_id__in=studio_ids) | Q(station_id__in=station_ids) | Q(members=member))
        .values_list("pk", flat=True)
    )
    return member, ids


def inbox_for(user: Any, committee: Committee) -> QuerySet[Message]:
    """Messages the user may see: all of the committee for public staff and
    leaders; a member's own venues' (and those assigned to them) otherwise,
    never the held ones."""
    qs = Message.objects.filter(committee=committee).select_related(
        "venue", "venue__studio", "venue__station", "assigned_to__person"
    )
    if user.has_perm("public.handle_all", committee) or user.has_perm(
        "public.view_report", committee
    ):
        return qs
    member, venue_ids = venue_member_venue_ids(user, committee)
    if member is None:
        return qs.none()
    return qs.filter(Q(venue_id__in=venue_ids) | Q(assigned_to=member)).exclude(
        status=Message.Status.HELD
    )


def message_detail(qs: QuerySet[Message]) -> QuerySet[Message]:
    return qs.select_related("replied_by").prefetch_related(
        "events__actor",
        Prefetch("conversions", queryset=Conversion.objects.order_by("id")),
    )


def public_replies(venue: Venue, limit: int = 10) -> list[Message]:
    """Recent replies staff chose to show on the venue's page (never held ones)."""
    return list(
        Message.objects.filter(venue=venue, reply_public=True, replied_at__isnull=False)
        .exclude(status=Message.Status.HELD)
        .order_by("-replied_at")[:limit]
    )


def report(committee: Committee, year: int | None = None) -> dict[str, Any]:
    """How many messages came in, in which state, and what they became (GROUP BY)."""
    messages = Message.objects.filter(committee=committee)
    if year:
        messages = messages.filter(created_at__year=year)
    by_status = dict(messages.values_list("status").annotate(n=Count("id")).order_by())
    by_venue_kind = dict(messages.values_list("venue__kind").annotate(n=Count("id")).order_by())
    conversions = list(
        messages.filter(conversions__isnull=False)
        .values("conversions__target_kind", "conversions__target_label")
        .annotate(messages=Count("id", distinct=True), items=Count("conversions", distinct=True))
        .order_by("conversions__target_kind")
    )
    ratings = dict(
        messages.exclude(rating="").values_list("rating").annotate(n=Count("id")).order_by()
    )
    totals = messages.aggregate(
        total=Count("id"),
        replied=Count("id", filter=Q(replied_at__isnull=False)),
        on_time=Count(
            "id", filter=Q(replied_at__isnull=False, replied_at__date__lte=F("deadline"))
        ),
    )
    totals["converted"] = messages.filter(conversions__isnull=False).distinct().count()
    return {
        "by_status": by_status,
        "by_venue_kind": by_venue_kind,
        "conversions": conversions,
        "ratings": ratings,
        "totals": totals,
    }


def studio_message_figures(committee: Any, year: int, studio_ids: Iterable[int]) -> dict[int, Any]:
    """The star rating's message figures per studio (one grouped query)."""
    rows = (
        Message.objects.filter(
            committee=committee,
            venue__studio_id__in=list(studio_ids),
            created_at__year=year,
        )
        .exclude(status=Message.Status.HELD)
        .values("venue__studio_id")
        .annotate(
            messages=Count("id"),
            on_time=Count(
                "id", filter=Q(replied_at__isnull=False, replied_at__date__lte=F("deadline"))
            ),
            rated=Count("id", filter=~Q(rating="")),
            satisfied=Sum(
                Case(
                    When(rating=Message.Rating.SATISFIED, then=Value(1)),
                    When(rating=Message.Rating.BASIC, then=Value(0.5)),
                    default=Value(0),
                    output_field=DecimalField(max_digits=8, decimal_places=1),
                )
            ),
        )
        .order_by()
    )
    return {
        row["venue__studio_id"]: {
            "messages": row["messages"],
            "on_time": row["on_time"],
            "rated": row["rated"],
            "satisfied": float(row["satisfied"] or 0),
        }
        for row in rows
    }


# --- What waits for whom (the home page's to-dos, the inbox's status filter) ---------

WAITING = (Message.Status.RECEIVED, Message.Status.ASSIGNED)


def waiting_for_reply(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Messages received or assigned and not yet replied to."""
    return messages.filter(status__in=WAITING)


def past_reply_deadline(
    messages: QuerySet[Message], *, today: date | None = None
) -> QuerySet[Message]:
    """Messages still waiting for a reply after their reply-by date."""
    today = today or timezone.localdate()
    return waiting_for_reply(messages).filter(deadline__lt=today)


# --- The citizen's pages (and the mini-program's API) ---------------------------------------


def active_venue(code: str) -> Venue | None:
    """The venue a QR code names, if it takes messages."""
    return (
        Venue.objects.select_related("studio__lead__person", "station__master__person", "committee")
        .filter(code=code.lower(), is_active=True)
        .first()
    )


def venue_page_data(venue: Venue) -> dict[str, Any]:
    """Who is behind the venue: members, theme, services and opening times."""
    members = venue_members(venue)
    theme = opening_hours = address = ""
    lead = None
    lead_label = _("Lead member")
    projects: list[ServiceProject] = []
    if venue.studio is not None:
        theme, opening_hours, address = (
            venue.studio.theme,
            venue.studio.opening_hours,
            venue.studio.venue,
        )
        lead = venue.studio.lead
        projects = list(
            ServiceProject.objects.filter(
                studio=venue.studio, status=ServiceProject.Status.ACTIVE
            ).order_by("-id")[:10]
        )
    elif venue.station is not None:
        theme, address = venue.station.area, venue.station.address
        lead, lead_label = venue.station.master, _("Station master")
    return {
        "venue": venue,
        "members": members,
        "lead": lead,
        "lead_label": lead_label,
        "theme": theme,
        "introduction": venue.introduction,
        "opening_hours": venue.opening_hours or opening_hours,
        "address": venue.address or address,
        "projects": projects,
        "replies": public_replies(venue),
        "instructor": venue.station.instructor if venue.station is not None else "",
    }

"""Reads of the organisation, always scoped to what the user may see.

Every function takes the committee the user works in and returns rows of
that committee only: a view that loads an object through one of these
querysets answers 404 for another committee's object."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from lvzhi.accounts.models import Role, RoleAssignment
from lvzhi.accounts.roles import assignments_of
from lvzhi.org.models import (
    Committee,
    HandlingUnit,
    Member,
    PlenarySession,
    Sector,
    SectorCluster,
    SpecialCommittee,
    Station,
    Studio,
    Term,
)

G = TypeVar("G", Studio, Station)
_MEMBER_CACHE_ATTR = "_lvzhi_member_committee_ids"
_CONVENER_CACHE_ATTR = "_lvzhi_convened_committee_ids"


def _seats_in_office(user: Any) -> QuerySet[Member]:
    """The user's seats that make a member: in office, in the current term."""
    return Member.objects.filter(
        person__user=user,
        status=Member.Status.IN_OFFICE,
        term__is_current=True,
        committee__is_active=True,
    )


def member_committee_ids(user: Any) -> set[int]:
    """Committees where the user sits as a member in office in the current term
    (cached per request): a seat of an ended term no longer makes a member."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, _MEMBER_CACHE_ATTR, None)
    if cached is None:
        cached = set(_seats_in_office(user).values_list("committee_id", flat=True))
        setattr(user, _MEMBER_CACHE_ATTR, cached)
    return cached


def convened_committee_ids(user: Any) -> set[int]:
    """Committees where the user convenes a sector (界别召集人) through a seat in
    office (cached per request; filled by ``working_committees``'s query)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, _CONVENER_CACHE_ATTR, None)
    if cached is None:
        convened = Sector.objects.filter(conveners__in=_seats_in_office(user))
        cached = set(convened.values_list("committee_id", flat=True))
        setattr(user, _CONVENER_CACHE_ATTR, cached)
    return cached


def committees_for(user: Any) -> QuerySet[Committee]:
    """Every committee the user works in, by a role or a seat; each row says
    whether it is by a seat (``has_seat``) and whether the user convenes a
    sector there (``convenes``)."""
    if not user.is_authenticated:
        return Committee.objects.none()
    role_ids = {a.committee_id for a in assignments_of(user)}
    seats = _seats_in_office(user)
    has_seat = Exists(seats.filter(committee=OuterRef("pk")))
    convenes = Exists(Sector.objects.filter(committee=OuterRef("pk"), conveners__in=seats))
    return (
        Committee.objects.annotate(has_seat=has_seat, convenes=convenes)
        .filter(Q(pk__in=role_ids) | Q(has_seat=True), is_active=True)
        .order_by("level", "id")
    )


def working_committees(user: Any) -> list[Committee]:
    """``committees_for`` read once per request by the committee middleware:
    the same query fills the seat caches of ``member_committee_ids`` and
    ``convened_committee_ids``, so a logged-in page pays no separate query
    for the user's seats or sectors."""
    committees = list(committees_for(user))
    if user.is_authenticated:
        setattr(
            user, _MEMBER_CACHE_ATTR, {c.pk for c in committees if getattr(c, "has_seat", False)}
        )
        setattr(
            user,
            _CONVENER_CACHE_ATTR,
            {c.pk for c in committees if getattr(c, "convenes", False)},
        )
    return committees


def member_of_user(user: Any, committee: Committee) -> Member | None:
    """The user's own seat in the committee, if any (current term first); none
    for the system (``None``, a command or job) or an anonymous visitor."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Member.objects.filter(person__user=user, committee=committee)
        .select_related("person", "sector", "term")
        .order_by("-term__number")
        .first()
    )


# --- Committee, terms and sessions ------------------------------------------------


def committee_overview(committee: Committee) -> Committee:
    """The committee with its upper committee and its active lower committees."""
    return (
        Committee.objects.select_related("parent")
        .prefetch_related(
            Prefetch("children", queryset=Committee.objects.filter(is_active=True).order_by("id"))
        )
        .get(pk=committee.pk)
    )


def current_term(committee: Committee) -> Term | None:
    return Term.objects.filter(committee=committee, is_current=True).order_by("-number").first()


def terms_of(committee: Committee) -> QuerySet[Term]:
    """Terms, newest first, each with its plenary sessions in order."""
    return Term.objects.filter(committee=committee).prefetch_related(
        Prefetch("sessions", queryset=PlenarySession.objects.order_by("number"))
    )


def sessions_of(committee: Committee) -> QuerySet[PlenarySession]:
    return PlenarySession.objects.filter(committee=committee).select_related("term")


# --- Sectors, clusters, special committees ------------------------------------------


def _in_office_now() -> Q:
    """Seats in office in the committee's current term (relative to ``members``)."""
    return Q(members__status=Member.Status.IN_OFFICE, members__term__is_current=True)


def clusters_of(committee: Committee) -> QuerySet[SectorCluster]:
    return (
        SectorCluster.objects.filter(committee=committee)
        .annotate(sector_count=Count("sectors", distinct=True))
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("order", "id")))
        .order_by("order", "id")
    )


def sectors_of(committee: Committee) -> QuerySet[Sector]:
    return (
        Sector.objects.filter(committee=committee)
        .select_related("cluster")
        .prefetch_related(
            Prefetch("conveners", queryset=Member.objects.select_related("person").order_by("id"))
        )
        .annotate(member_count=Count("members", filter=_in_office_now(), distinct=True))
        .order_by("order", "id")
    )


def special_committees_of(committee: Committee) -> QuerySet[SpecialCommittee]:
    return (
        SpecialCommittee.objects.filter(committee=committee)
        .annotate(member_count=Count("members", filter=_in_office_now(), distinct=True))
        .order_by("order", "id")
    )


# --- Members ---------------------------------------------------------------------


def members_of(committee: Committee) -> QuerySet[Member]:
    """Every seat of the committee, with what a detail page shows."""
    return (
        Member.objects.filter(committee=committee)
        .select_related("person", "sector", "sector__cluster", "term")
        .prefetch_related(
            "special_committees",
            Prefetch("studios", queryset=Studio.objects.order_by("id")),
            Prefetch("stations", queryset=Station.objects.order_by("id")),
            "convened_sectors",
            "led_studios",
            "mastered_stations",
        )
    )


def member_list(committee: Committee) -> QuerySet[Member]:
    """The roster in its order; one query a page whatever its size (plus one
    for the special committees of the page's rows). ``filters.MemberFilter``
    narrows it."""
    return (
        Member.objects.filter(committee=committee)
        .select_related("person", "sector", "term")
        .prefetch_related(
            Prefetch("special_committees", queryset=SpecialCommittee.objects.order_by("order"))
        )
        .order_by("sector__order", "sector_id", "id")
    )


def eligible_members(committee: Committee, *, include: Iterable[int] = ()) -> QuerySet[Member]:
    """Members who may be chosen as conveners, studio or station members: in
    office in the current term (or any term if none is marked current), plus
    those already chosen so an edit never drops them silently."""
    term = current_term(committee)
    eligible = Q(status=Member.Status.IN_OFFICE)
    if term is not None:
        eligible &= Q(term=term)
    include = list(include)
    if include:
        eligible |= Q(pk__in=include)
    return (
        Member.objects.filter(committee=committee)
        .filter(eligible)
        .select_related("person", "sector")
        .order_by("sector__order", "sector_id", "id")
    )


def seats_of_person(committee: Committee, member: Member) -> QuerySet[Member]:
    """Every seat the member's person held in this committee, newest term first."""
    return (
        Member.objects.filter(committee=committee, person_id=member.person_id)
        .select_related("term", "sector")
        .order_by("-term__number")
    )


# --- Handling units, studios, stations --------------------------------------------------


def units_of(committee: Committee, *, active: bool | None = None) -> QuerySet[HandlingUnit]:
    """The committee's handling units; ``active=True`` those that may still be
    chosen (the list page filters with ``filters.UnitFilter``)."""
    qs = HandlingUnit.objects.filter(committee=committee)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("-is_active", "kind", "id")


def unit_accounts(unit: HandlingUnit) -> QuerySet[RoleAssignment]:
    """The logins that act for the unit (its contacts in the system)."""
    return (
        RoleAssignment.objects.filter(committee_id=unit.committee_id, role=Role.UNIT, unit=unit)
        .select_related("user")
        .order_by("id")
    )


def _groups_of(model: type[G], committee: Committee, leader: str) -> QuerySet[G]:
    return (
        model._default_manager.filter(committee=committee)
        .select_related(f"{leader}__person")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("-is_active", "id")
    )


def studios_of(committee: Committee) -> QuerySet[Studio]:
    """Studios with their lead and member count, those in use first."""
    return _groups_of(Studio, committee, "lead")


def stations_of(committee: Committee) -> QuerySet[Station]:
    """Liaison stations with their master and member count, those in use first."""
    return _groups_of(Station, committee, "master")


def _member_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=Member.objects.select_related("person", "sector").order_by(
            "sector__order", "sector_id", "id"
        ),
    )


def studio_detail(committee: Committee) -> QuerySet[Studio]:
    return studios_of(committee).prefetch_related(_member_prefetch())


def station_detail(committee: Committee) -> QuerySet[Station]:
    return stations_of(committee).prefetch_related(_member_prefetch())

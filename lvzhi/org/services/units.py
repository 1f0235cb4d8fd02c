"""Handling units, studios and stations (``org.change_structure``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed
from lvzhi.org.models import Committee, HandlingUnit, Member, Station, Studio
from lvzhi.org.services._common import (
    Check,
    check_members_eligible,
    deactivate,
    named_create,
    named_update,
)

# --- Handling units -------------------------------------------------------------------


def unit_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
) -> HandlingUnit:
    unit: HandlingUnit = named_create(
        HandlingUnit,
        actor=actor,
        committee=committee,
        action="unit_created",
        fields={
            "name": name,
            "kind": kind,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "address": address,
        },
    )
    return unit


def unit_update(
    *,
    actor: Any,
    unit: HandlingUnit,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    is_active: bool = True,
) -> HandlingUnit:
    updated: HandlingUnit = named_update(
        unit,
        actor=actor,
        action="unit_updated",
        fields={
            "name": name,
            "kind": kind,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "address": address,
            "is_active": is_active,
        },
    )
    return updated


def unit_deactivate(*, actor: Any, unit: HandlingUnit) -> HandlingUnit:
    """A unit no longer receives proposals; its past assignments stay."""
    result: HandlingUnit = deactivate(unit, action="unit_deactivated", actor=actor)
    return result


# --- Studios and stations ---------------------------------------------------------------


def _group_check(leader: Member | None, members: Sequence[Member], leader_message: str) -> Check:
    """A studio's or a station's members are eligible and its leader is one of them."""

    def check(committee: Committee, already: list[int]) -> None:
        check_members_eligible(committee, members, already)
        if leader is not None and leader.pk not in {m.pk for m in members}:
            raise ValidationFailed(leader_message)

    return check


def _studio_check(lead: Member | None, members: Sequence[Member]) -> Check:
    return _group_check(lead, members, _("The lead member must be one of the studio's members."))


def _station_check(master: Member | None, members: Sequence[Member]) -> Check:
    return _group_check(
        master, members, _("The station master must be one of the station's members.")
    )


def studio_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    theme: str = "",
    venue: str = "",
    opening_hours: str = "",
    lead: Member | None = None,
    members: Sequence[Member] = (),
) -> Studio:
    studio: Studio = named_create(
        Studio,
        actor=actor,
        committee=committee,
        action="studio_created",
        fields={
            "name": name,
            "theme": theme,
            "venue": venue,
            "opening_hours": opening_hours,
            "lead": lead,
        },
        chosen=("members", members),
        check=_studio_check(lead, members),
    )
    return studio


def studio_update(
    *,
    actor: Any,
    studio: Studio,
    name: str,
    theme: str = "",
    venue: str = "",
    opening_hours: str = "",
    lead: Member | None = None,
    members: Sequence[Member] = (),
    is_active: bool = True,
) -> Studio:
    updated: Studio = named_update(
        studio,
        actor=actor,
        action="studio_updated",
        fields={
            "name": name,
            "theme": theme,
            "venue": venue,
            "opening_hours": opening_hours,
            "lead": lead,
            "is_active": is_active,
        },
        chosen=("members", members),
        check=_studio_check(lead, members),
    )
    return updated


def studio_deactivate(*, actor: Any, studio: Studio) -> Studio:
    result: Studio = deactivate(studio, action="studio_deactivated", actor=actor)
    return result


def station_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    address: str = "",
    area: str = "",
    instructor: str = "",
    master: Member | None = None,
    members: Sequence[Member] = (),
) -> Station:
    station: Station = named_create(
        Station,
        actor=actor,
        committee=committee,
        action="station_created",
        fields={
            "name": name,
            "address": address,
            "area": area,
            "instructor": instructor,
            "master": master,
        },
        chosen=("members", members),
        check=_station_check(master, members),
    )
    return station


def station_update(
    *,
    actor: Any,
    station: Station,
    name: str,
    address: str = "",
    area: str = "",
    instructor: str = "",
    master: Member | None = None,
    members: Sequence[Member] = (),
    is_active: bool = True,
) -> Station:
    updated: Station = named_update(
        station,
        actor=actor,
        action="station_updated",
        fields={
            "name": name,
            "address": address,
            "area": area,
            "instructor": instructor,
            "master": master,
            "is_active": is_active,
        },
        chosen=("members", members),
        check=_station_check(master, members),
    )
    return updated


def station_deactivate(*, actor: Any, station: Station) -> Station:
    result: Station = deactivate(station, action="station_deactivated", actor=actor)
    return result

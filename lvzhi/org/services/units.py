"""Handling units, studios and stations (``org.change_structure``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.org.models import Committee, HandlingUnit, Member, Station, Studio
from lvzhi.org.services._common import (
    apply_changes,
    audit,
    check_members_eligible,
    deactivate,
    refuse_duplicate_name,
    save_or_conflict,
)

CHANGE_STRUCTURE = "org.change_structure"


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
    require_perm(actor, CHANGE_STRUCTURE, committee)
    with transaction.atomic():
        refuse_duplicate_name(HandlingUnit, committee.pk, name)
        unit = HandlingUnit(
            committee=committee,
            name=name,
            kind=kind,
            contact_name=contact_name,
            contact_phone=contact_phone,
            address=address,
        )
        save_or_conflict(unit)
        audit("unit_created", actor=actor, obj=unit, committee=committee)
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
    require_perm(actor, CHANGE_STRUCTURE, unit)
    with transaction.atomic():
        unit = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
        refuse_duplicate_name(HandlingUnit, unit.committee_id, name, unit.pk)
        changed = apply_changes(
            unit,
            {
                "name": name,
                "kind": kind,
                "contact_name": contact_name,
                "contact_phone": contact_phone,
                "address": address,
                "is_active": is_active,
            },
        )
        if changed:
            save_or_conflict(unit, update_fields=changed)
        audit(
            "unit_updated",
            actor=actor,
            obj=unit,
            committee=unit.committee_id,
            fields=",".join(changed),
        )
    return unit


def unit_deactivate(*, actor: Any, unit: HandlingUnit) -> HandlingUnit:
    """A unit no longer receives proposals; its past assignments stay."""
    result: HandlingUnit = deactivate(
        HandlingUnit, unit, action="unit_deactivated", actor=actor, perm=CHANGE_STRUCTURE
    )
    return result


# --- Studios and stations ---------------------------------------------------------------


def _check_group(
    committee: Committee,
    *,
    leader: Member | None,
    members: Sequence[Member],
    already: Iterable[int],
    leader_message: str,
) -> None:
    check_members_eligible(committee, members, already)
    if leader is not None and leader.pk not in {m.pk for m in members}:
        raise ValidationFailed(leader_message)


def _group_create(
    model: Any,
    *,
    actor: Any,
    committee: Committee,
    fields: dict[str, Any],
    leader_field: str,
    members: Sequence[Member],
    leader_message: str,
    action: str,
) -> Any:
    """Create a studio or a station: a named group of members with a leader."""
    with transaction.atomic():
        refuse_duplicate_name(model, committee.pk, fields["name"])
        _check_group(
            committee,
            leader=fields[leader_field],
            members=members,
            already=(),
            leader_message=leader_message,
        )
        group = model(committee=committee, **fields)
        save_or_conflict(group)
        group.members.set(members)
        audit(action, actor=actor, obj=group, committee=committee)
    return group


def _group_update(
    model: Any,
    group: Any,
    *,
    actor: Any,
    fields: dict[str, Any],
    leader_field: str,
    members: Sequence[Member],
    leader_message: str,
    action: str,
) -> Any:
    """Update a studio or a station under a row lock; audit what changed."""
    with transaction.atomic():
        group = (
            model.objects.select_for_update(of=("self",))
            .select_related("committee")
            .get(pk=group.pk)
        )
        refuse_duplicate_name(model, group.committee_id, fields["name"], group.pk)
        already = list(group.members.values_list("pk", flat=True))
        _check_group(
            group.committee,
            leader=fields[leader_field],
            members=members,
            already=already,
            leader_message=leader_message,
        )
        changed = apply_changes(group, fields)
        if changed:
            save_or_conflict(group, update_fields=changed)
        if set(already) != {m.pk for m in members}:
            group.members.set(members)
            changed.append("members")
        audit(
            action,
            actor=actor,
            obj=group,
            committee=group.committee,
            fields=",".join(changed),
        )
    return group


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
    require_perm(actor, CHANGE_STRUCTURE, committee)
    studio: Studio = _group_create(
        Studio,
        actor=actor,
        committee=committee,
        fields={
            "name": name,
            "theme": theme,
            "venue": venue,
            "opening_hours": opening_hours,
            "lead": lead,
        },
        leader_field="lead",
        members=members,
        leader_message=_("The lead member must be one of the studio's members."),
        action="studio_created",
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
    require_perm(actor, CHANGE_STRUCTURE, studio)
    updated: Studio = _group_update(
        Studio,
        studio,
        actor=actor,
        fields={
            "name": name,
            "theme": theme,
            "venue": venue,
            "opening_hours": opening_hours,
            "lead": lead,
            "is_active": is_active,
        },
        leader_field="lead",
        members=members,
        leader_message=_("The lead member must be one of the studio's members."),
        action="studio_updated",
    )
    return updated


def studio_deactivate(*, actor: Any, studio: Studio) -> Studio:
    result: Studio = deactivate(
        Studio, studio, action="studio_deactivated", actor=actor, perm=CHANGE_STRUCTURE
    )
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
    require_perm(actor, CHANGE_STRUCTURE, committee)
    station: Station = _group_create(
        Station,
        actor=actor,
        committee=committee,
        fields={
            "name": name,
            "address": address,
            "area": area,
            "instructor": instructor,
            "master": master,
        },
        leader_field="master",
        members=members,
        leader_message=_("The station master must be one of the station's members."),
        action="station_created",
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
    require_perm(actor, CHANGE_STRUCTURE, station)
    updated: Station = _group_update(
        Station,
        station,
        actor=actor,
        fields={
            "name": name,
            "address": address,
            "area": area,
            "instructor": instructor,
            "master": master,
            "is_active": is_active,
        },
        leader_field="master",
        members=members,
        leader_message=_("The station master must be one of the station's members."),
        action="station_updated",
    )
    return updated


def station_deactivate(*, actor: Any, station: Station) -> Station:
    result: Station = deactivate(
        Station, station, action="station_deactivated", actor=actor, perm=CHANGE_STRUCTURE
    )
    return result

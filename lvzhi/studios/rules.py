"""Who may see and do what with studios, stations and the sector rotation:
the one statement of it (services, views, menus and templates ask these)."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_leader, is_staff, is_staff_in
from lvzhi.org.rules import is_member

is_public_staff = is_staff_in(Area.PUBLIC)
is_org_staff = is_staff_in(Area.ORG)


@rules.predicate
def is_member_of_venue(user: Any, obj: Any = None) -> bool:
    """The user sits in this studio or station (a member of its roster); for
    a service project or an activity, in the studio or station it belongs to."""
    if obj is None or not user.is_authenticated:
        return False
    if obj._meta.label in ("org.Studio", "org.Station"):
        venue = obj
    else:
        venue = getattr(obj, "studio", None) or getattr(obj, "station", None)
    return bool(venue is not None and venue.members.filter(person__user=user).exists())


# Reading studio and station work: staff, leaders and members of the committee.
rules.add_perm("studios.view", is_staff | is_leader | is_member)
# Keeping studios and stations: public-channel staff (the 码上商 office).
rules.add_perm("studios.manage", is_public_staff)
# Recording an activity or a service project: staff, or a member of that studio/station.
rules.add_perm("studios.record_activity", is_public_staff | is_member_of_venue)
rules.add_perm("studios.create_service_project", is_public_staff | is_member_of_venue)
rules.add_perm("studios.finish_service_project", is_public_staff | is_member_of_venue)
# The star rating: public-channel staff compute, adjust and set the criteria.
rules.add_perm("studios.rate", is_public_staff)
rules.add_perm("studios.adjust_rating", is_public_staff)
rules.add_perm("studios.configure", is_public_staff)
rules.add_perm("studios.view_ratings", is_public_staff | is_leader)
# Stations: their leaders and members (by the members' areas).
rules.add_perm("studios.assign_station_members", is_public_staff | is_org_staff)
# The sector rotation: plans, blocked weeks, duty weeks and round-table leads.
rules.add_perm("studios.plan_rotation", is_public_staff | is_org_staff)
rules.add_perm("studios.view_rotation", is_staff | is_leader | is_member)
rules.add_perm("studios.view_own_duty", is_member)

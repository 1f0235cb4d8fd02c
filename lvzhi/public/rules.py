"""Who may handle the public channel's messages (docs/public.md)."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_leader, is_staff_in
from lvzhi.org.rules import is_member
from lvzhi.org.selectors import member_of_user

is_public_staff = is_staff_in(Area.PUBLIC)


@rules.predicate
def is_venue_member(user: Any, message: Any = None) -> bool:
    """A member (in office) of the venue the message was sent to."""
    if message is None or not user.is_authenticated or not hasattr(message, "venue"):
        return False
    from lvzhi.public.services import venue_member_ids

    member = member_of_user(user, message.committee)
    return bool(
        member is not None
        and member.status == member.Status.IN_OFFICE
        and member.pk in venue_member_ids(message.venue)
    )


@rules.predicate
def is_venue_member_of_venue(user: Any, venue: Any = None) -> bool:
    if venue is None or not user.is_authenticated:
        return False
    from lvzhi.public.services import venue_member_ids

    member = member_of_user(user, venue.committee)
    return bool(member is not None and member.pk in venue_member_ids(venue))


# The inbox: public staff see every message, leaders read them, members
# the messages of their venues (the selector narrows the list).
rules.add_perm("public.view_inbox", is_public_staff | is_leader | is_member)
rules.add_perm("public.handle_all", is_public_staff)
rules.add_perm("public.view_message", is_public_staff | is_leader | is_venue_member)
rules.add_perm("public.view_mobile", is_public_staff)
rules.add_perm("public.manage_venues", is_public_staff)
rules.add_perm("public.print_poster", is_public_staff | is_venue_member_of_venue)
rules.add_perm("public.view_report", is_public_staff | is_leader)
rules.add_perm("public.change_settings", is_public_staff)
# 三听三转: staff convert into anything; the venue's members into a service
# project of their studio or a proposal lead / report draft for themselves.
rules.add_perm("public.convert_to_service_project", is_public_staff | is_venue_member)
rules.add_perm("public.convert_to_proposal", is_public_staff | is_venue_member)
rules.add_perm("public.convert_to_opinion", is_public_staff | is_venue_member)
rules.add_perm("public.convert_to_consultation_topic", is_public_staff)

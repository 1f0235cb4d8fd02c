"""Who may do what in the public channel (docs/public.md): the one statement.

Committee-level permissions take the committee as the object; object-level
ones are named ``public.<verb>_<object>`` and take the message or venue.
Citizens have no account: what they may do (send a message, read and rate
their own) rests on the venue's code and their tracking code, checked in
the services, not here."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_leader, is_staff_in
from lvzhi.org.rules import is_member
from lvzhi.org.selectors import member_of_user
from lvzhi.public.selectors import venue_member_ids

is_public_staff = is_staff_in(Area.PUBLIC)


def _sits_in(user: Any, venue: Any) -> bool:
    member = member_of_user(user, venue.committee)
    return bool(
        member is not None
        and member.status == member.Status.IN_OFFICE
        and member.pk in venue_member_ids(venue)
    )


@rules.predicate
def is_venue_member(user: Any, message: Any = None) -> bool:
    """A member (in office) of the venue the message was sent to."""
    if message is None or not user.is_authenticated or not hasattr(message, "venue"):
        return False
    return _sits_in(user, message.venue)


@rules.predicate
def is_not_held(_user: Any, message: Any = None) -> bool:
    """Held messages are for public staff (and leaders, who read all) until approved."""
    return message is not None and not getattr(message, "is_held", True)


@rules.predicate
def is_venue_member_of_venue(user: Any, venue: Any = None) -> bool:
    if venue is None or not user.is_authenticated or not hasattr(venue, "code"):
        return False
    return _sits_in(user, venue)


handles_it = is_public_staff | (is_venue_member & is_not_held)

# --- The committee's channel -------------------------------------------------------
# The inbox: public staff see every message, leaders read them, members
# the messages of their venues (the selector narrows the list).
rules.add_perm("public.view_inbox", is_public_staff | is_leader | is_member)
rules.add_perm("public.handle_all", is_public_staff)
rules.add_perm("public.view_mobile", is_public_staff)
rules.add_perm("public.manage_venues", is_public_staff)
rules.add_perm("public.view_report", is_public_staff | is_leader)
rules.add_perm("public.configure", is_public_staff)

# --- One message ---------------------------------------------------------------------
rules.add_perm("public.view_message", is_public_staff | is_leader | (is_venue_member & is_not_held))
rules.add_perm("public.approve_message", is_public_staff)
rules.add_perm("public.close_held_message", is_public_staff)
rules.add_perm("public.assign_message", handles_it)
rules.add_perm("public.reply_message", handles_it)
rules.add_perm("public.close_message", handles_it)
rules.add_perm("public.convert_message", handles_it)
# Nobody with an account: the citizen rates with the tracking code alone.
rules.add_perm("public.rate_reply", rules.always_deny)

# --- 三听三转: what a message may become ---------------------------------------------
# Staff convert into anything; the venue's members into a service project of
# their studio or a proposal lead / report draft for themselves.
rules.add_perm("public.convert_to_service_project", handles_it)
rules.add_perm("public.convert_to_proposal", handles_it)
rules.add_perm("public.convert_to_opinion", handles_it)
rules.add_perm("public.convert_to_consultation_topic", is_public_staff)

# --- One venue --------------------------------------------------------------------------
rules.add_perm("public.print_poster", is_public_staff | is_venue_member_of_venue)
rules.add_perm("public.edit_venue", is_public_staff)

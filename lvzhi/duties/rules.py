"""Who may do what with duty activities and the duties members record.

The only statement of it: the workflow tables name these permissions, the
services check them first, the views load objects through them and the
pages ask them (``{% can %}``, ``{% actions_of %}``).

Committee-level permissions take the committee as the object; object-level
ones (``duties.<verb>_<object>``) take the object, whose committee decides
whose staff may act."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_leader, is_staff_in
from lvzhi.org.rules import is_member

is_duties_staff = is_staff_in(Area.DUTIES)


def _is_user_of_member(user: Any, member: Any) -> bool:
    return bool(
        member is not None
        and getattr(user, "is_authenticated", False)
        and member.person.user_id == user.pk
    )


@rules.predicate
def is_own_seat(user: Any, member: Any = None) -> bool:
    """The member record is the user's own seat."""
    return _is_user_of_member(user, member)


@rules.predicate
def is_own_entry(user: Any, obj: Any = None) -> bool:
    """The invitation, note, item or project belongs to the user's own seat."""
    return obj is not None and _is_user_of_member(user, obj.member)


@rules.predicate
def is_invited(user: Any, activity: Any = None) -> bool:
    """The user has an invitation to the activity."""
    return bool(
        activity is not None
        and getattr(user, "is_authenticated", False)
        and activity.invitations.filter(member__person__user=user).exists()
    )


# --- Committee level: pages and lists --------------------------------------------
# Office staff of the duties area run activities, decide leave, mark
# attendance, register speeches and confirm services; leaders read.
rules.add_perm("duties.manage_activities", is_duties_staff)
rules.add_perm("duties.view_activities", is_duties_staff | is_leader)
rules.add_perm("duties.review_duties", is_duties_staff)
# Members see their invitations and record their own duties.
rules.add_perm("duties.take_part", is_member)

# --- Activities and invitations --------------------------------------------------
rules.add_perm("duties.manage_activity", is_duties_staff)
rules.add_perm("duties.view_activity", is_duties_staff | is_leader | (is_member & is_invited))
# The invited member answers their own invitation: sign up, ask leave, check in.
rules.add_perm("duties.answer_invitation", is_member & is_own_entry)
rules.add_perm("duties.decide_leave", is_duties_staff)
# Staff mark attendance by hand; closing an activity decides the open invitations.
rules.add_perm("duties.mark_attendance", is_duties_staff)
# After closing, staff correct attendance (with a reason; the points follow).
rules.add_perm("duties.correct_attendance", is_duties_staff)

# --- Duties members record themselves, and staff review ----------------------------
# On a member record: the member writes notes, reports services, declares projects.
rules.add_perm("duties.record_duty", is_member & is_own_seat)
rules.add_perm("duties.change_note", is_member & is_own_entry)
rules.add_perm("duties.view_contribution", is_duties_staff | is_own_entry)
rules.add_perm("duties.review_contribution", is_duties_staff)
rules.add_perm("duties.change_project", is_member & is_own_entry)
rules.add_perm("duties.review_project", is_duties_staff)
# On a member record: staff register a plenary speech; on a speech: remove it.
rules.add_perm("duties.register_speech", is_duties_staff)
rules.add_perm("duties.remove_speech", is_duties_staff)
# The committee's duty settings (check-in window).
rules.add_perm("duties.configure", is_duties_staff)

"""Who may see and change points, assessments and bulletins: the one
statement of it (services, views, menus and templates all ask these)."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.rules import is_leader
from lvzhi.duties.rules import is_duties_staff
from lvzhi.org.models import Member, Sector
from lvzhi.org.rules import is_member, is_own_member_record
from lvzhi.org.selectors import convened_committee_ids

_CONVENED_ATTR = "_lvzhi_convened_sectors"


def convened_sectors(user: Any) -> dict[int, int]:
    """The sectors the user convenes through a seat in office in the current
    term, as {sector id: committee id}; read once per request (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CONVENED_ATTR, None)
    if cached is None:
        cached = dict(
            Sector.objects.filter(
                conveners__person__user=user,
                conveners__status=Member.Status.IN_OFFICE,
                conveners__term__is_current=True,
            ).values_list("pk", "committee_id")
        )
        setattr(user, _CONVENED_ATTR, cached)
    return cached


@rules.predicate
def is_convener(user: Any, committee: Any = None) -> bool:
    """界别召集人 of some sector of the committee (the object is the committee);
    read from the request's committee query (org.selectors), no query of its own."""
    committee_id = getattr(committee, "pk", None)
    return committee_id is not None and committee_id in convened_committee_ids(user)


@rules.predicate
def convenes_sector(user: Any, sector: Any = None) -> bool:
    """The user convenes this sector."""
    return sector is not None and sector.pk in convened_sectors(user)


@rules.predicate
def convenes_members_sector(user: Any, member: Any = None) -> bool:
    """The user convenes the sector of this member."""
    return member is not None and member.sector_id in convened_sectors(user)


@rules.predicate
def is_own_assessment(user: Any, assessment: Any = None) -> bool:
    """The assessment is of the user's own member record."""
    if assessment is None or not user.is_authenticated:
        return False
    return bool(assessment.member.person.user_id == user.pk)


@rules.predicate
def is_published(user: Any, obj: Any = None) -> bool:
    return bool(obj is not None and obj.published_at is not None)


# Committee level. Members see their own score and rank only; duties staff
# keep the policy, open and review assessments and publish bulletins;
# leaders read rankings, duty files and published bulletins.
rules.add_perm("points.view_own", is_member)
rules.add_perm("points.manage", is_duties_staff)
rules.add_perm("points.view_rankings", is_duties_staff | is_leader)

# Policies: only drafts change (the workflow table says when).
rules.add_perm("points.change_policy", is_duties_staff)
rules.add_perm("points.activate_policy", is_duties_staff)
rules.add_perm("points.copy_policy", is_duties_staff)

# Assessments: the member writes the self-report, staff review and publish.
rules.add_perm("points.submit_assessment", is_own_assessment)
rules.add_perm("points.review_assessment", is_duties_staff)
rules.add_perm("points.publish_assessment", is_duties_staff)

# Bulletins: staff draft and publish; leaders read them once published.
rules.add_perm("points.generate_bulletin", is_duties_staff)
rules.add_perm("points.publish_bulletin", is_duties_staff)
rules.add_perm("points.view_bulletin", is_duties_staff | (is_leader & is_published))

# A member's duty file: the member, staff and leaders of the committee.
rules.add_perm("points.view_duty_file", is_own_member_record | is_duties_staff | is_leader)

# The convener's sector page (界别): the sector's conveners, duties staff and
# leaders of its committee. ``view_convened`` (the committee) puts the page in
# the convener's menu and home.
rules.add_perm("points.view_convened", is_convener)
rules.add_perm("points.view_sector", convenes_sector | is_duties_staff | is_leader)
# The follow-up of a grade below the competent line (谈话记录); a convener
# below the line is talked to by staff, not by themself.
rules.add_perm(
    "points.record_talk", (convenes_members_sector & ~is_own_member_record) | is_duties_staff
)

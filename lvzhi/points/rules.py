"""Who may see and change points, assessments and bulletins: the one
statement of it (services, views, menus and templates all ask these)."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.rules import is_leader
from lvzhi.duties.rules import is_duties_staff
from lvzhi.org.rules import is_member, is_own_member_record


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

"""Who may see and change points, assessments and bulletins."""

from __future__ import annotations

import rules

from lvzhi.accounts.rules import is_leader
from lvzhi.duties.rules import is_duties_staff
from lvzhi.org.rules import is_member

# Members see their own score and rank only; duties staff keep the policy,
# review assessments and publish bulletins; leaders read rankings.
rules.add_perm("points.view_own", is_member)
rules.add_perm("points.manage", is_duties_staff)
rules.add_perm("points.view_rankings", is_duties_staff | is_leader)

"""Who may use the assistance (django-rules). What a search or a similar
list shows is decided by the owning apps' selectors (``scope.py``); these
permissions only open the pages."""

from __future__ import annotations

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_gov_leader, is_leader, is_staff, is_staff_in, is_unit
from lvzhi.org.rules import is_member

is_proposals_staff = is_staff_in(Area.PROPOSALS)
is_public_staff = is_staff_in(Area.PUBLIC)

# Committee-level permissions (object: the committee). The administrators and
# the auditor hold no business role, so they have no search over business rows.
rules.add_perm("assist.search", is_staff | is_leader | is_unit | is_gov_leader | is_member)
# Similar past proposals and the draft check: while drafting, reviewing, assigning.
rules.add_perm("assist.view_similar", is_member | is_proposals_staff | is_leader)
rules.add_perm("assist.suggest_units", is_proposals_staff)
# 三听三转: the public-channel office sees citizens' messages grouped by matter.
rules.add_perm("assist.group_messages", is_public_staff)

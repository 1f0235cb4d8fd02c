"""Who may do what with duty activities and the duties members record."""

from __future__ import annotations

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_leader, is_staff_in
from lvzhi.org.rules import is_member

is_duties_staff = is_staff_in(Area.DUTIES)

# Office staff of the duties area run activities, decide leave, mark
# attendance, register speeches and confirm services; leaders read.
rules.add_perm("duties.manage_activities", is_duties_staff)
rules.add_perm("duties.view_activities", is_duties_staff | is_leader)
rules.add_perm("duties.review_duties", is_duties_staff)
# Members see their invitations and record their own duties.
rules.add_perm("duties.take_part", is_member)

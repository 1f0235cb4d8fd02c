"""Who may do what with consultations and supervision (DESIGN §1).

Staff of the "consultations" area manage everything; leaders read and
approve the plan; members propose topics and see the published plan and the
consultations they take part in; a department's unit users see only the
outcomes and findings sent to their department; party/government leaders
propose topics (党政点题) and read the outcomes sent to party and government.
Which objects each may see is decided in selectors.py."""

from __future__ import annotations

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.rules import is_gov_leader, is_leader, is_staff_in, is_unit
from lvzhi.org.rules import is_member

is_consultation_staff = is_staff_in(Area.CONSULTATIONS)

rules.add_perm("consultations.manage", is_consultation_staff)
rules.add_perm("consultations.view_section", is_consultation_staff | is_leader | is_member)
rules.add_perm(
    "consultations.view_plans", is_consultation_staff | is_leader | is_member | is_gov_leader
)
rules.add_perm("consultations.view_draft_plans", is_consultation_staff | is_leader)
rules.add_perm("consultations.approve_plan", is_consultation_staff | is_leader)
rules.add_perm("consultations.propose_topic", is_consultation_staff | is_member | is_gov_leader)
rules.add_perm("consultations.view_unit_inbox", is_unit)
rules.add_perm("consultations.view_gov_outcomes", is_gov_leader | is_leader | is_consultation_staff)
rules.add_perm("consultations.view_supervision", is_consultation_staff | is_leader)

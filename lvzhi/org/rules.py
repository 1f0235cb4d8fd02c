"""Who may see and change the organisation and the roster."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.models import Area
from lvzhi.accounts.roles import committee_id_of
from lvzhi.accounts.rules import is_leader, is_staff, is_staff_in
from lvzhi.org import selectors


@rules.predicate
def is_member(user: Any, obj: Any = None) -> bool:
    """委员 of the object's committee (in office)."""
    return committee_id_of(obj) in selectors.member_committee_ids(user)


@rules.predicate
def is_own_member_record(user: Any, member: Any = None) -> bool:
    return bool(member is not None and user.is_authenticated and member.person.user_id == user.pk)


is_org_staff = is_staff_in(Area.ORG)

# Staff of the "org" area keep the organisation and the roster; other staff
# and the chairpersons' meeting read them. The three administrator roles do
# not see the roster at all (separation of duties, DESIGN §1 and §9).
rules.add_perm("org.view_home", rules.is_authenticated)
rules.add_perm("org.view_roster", is_staff | is_leader)
rules.add_perm("org.change_roster", is_org_staff)
rules.add_perm("org.import_roster", is_org_staff)
rules.add_perm("org.export_roster", is_org_staff | is_leader)
# Full ID and mobile numbers: org staff only, through the audited reveal
# action. The security administrator manages accounts, not personal data.
rules.add_perm("org.view_full_personal_data", is_org_staff)
# A bulk export of full numbers is a permission of its own (issue 11): org
# staff only, with a stated purpose and a confirmation (roster_export_full).
rules.add_perm("org.export_full_personal_data", is_org_staff)
# The full birth date: org staff and the member themself; others see the year.
rules.add_perm("org.view_full_birth_date", is_org_staff | is_own_member_record)
rules.add_perm("org.view_structure", is_staff | is_leader)
rules.add_perm("org.change_structure", is_org_staff)
rules.add_perm("org.view_own_profile", is_member)

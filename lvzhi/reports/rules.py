"""Who may read which report (docs/reports.md): leaders read every section,
staff the section of their area, a unit its own record, a member their own
profile. Reports only read; nothing here allows a change."""

from __future__ import annotations

import operator
from functools import reduce

import rules

from lvzhi.accounts.rules import is_leader, is_staff_in, is_unit
from lvzhi.org.rules import is_member
from lvzhi.reports.figures import SECTIONS

is_section_staff = reduce(operator.or_, (is_staff_in(spec.area) for spec in SECTIONS.values()))

rules.add_perm("reports.view_dashboard", is_leader | is_section_staff)
for _spec in SECTIONS.values():
    rules.add_perm(f"reports.view_{_spec.key}", is_leader | is_staff_in(_spec.area))
rules.add_perm("reports.view_unit_record", is_unit)
rules.add_perm("reports.view_profile", is_member)

"""Role predicates (DESIGN §1) and the permissions of the accounts app."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts import roles
from lvzhi.accounts.models import Role


def _role(role: str, area: str | None = None) -> Any:
    name = f"has_role_{role}" + (f"_{area}" if area else "")

    @rules.predicate(name=name)
    def predicate(user: Any, obj: Any = None) -> bool:
        return roles.has_role(user, obj, role, area)

    return predicate


is_staff = _role(Role.STAFF)
is_leader = _role(Role.LEADER)
is_unit = _role(Role.UNIT)
is_gov_leader = _role(Role.GOV_LEADER)
is_sysadmin = _role(Role.SYSADMIN)
is_secadmin = _role(Role.SECADMIN)
is_auditor = _role(Role.AUDITOR)


def is_staff_in(area: str) -> Any:
    """Office staff of one functional area (机关职能处室)."""
    return _role(Role.STAFF, area)


rules.add_perm("accounts.manage_roles", is_secadmin)
rules.add_perm("accounts.reset_password", is_secadmin)
rules.add_perm("core.view_audit", is_auditor)
rules.add_perm("core.change_holiday", is_sysadmin)

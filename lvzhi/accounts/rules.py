"""Role predicates (DESIGN §1) and the permissions of the accounts app."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts import roles, tree
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


# Committee-level: the object is the committee (pages, creating accounts,
# granting roles; a role assignment answers for its committee).
rules.add_perm("accounts.manage_roles", is_secadmin)
rules.add_perm("accounts.reset_password", is_secadmin)
rules.add_perm("core.view_audit", is_auditor)
# The system's health and the hub of the committee's settings pages.
rules.add_perm("core.view_system", is_sysadmin)


@rules.predicate
def manages_account(actor: Any, user: Any = None) -> bool:
    """Security administrator over every committee the account works in
    (its roles, seats and home committee are all at or below the
    administrator's committee); administrators' accounts only from the top
    (lvzhi/accounts/tree.py)."""
    if user is None or not getattr(actor, "is_authenticated", False):
        return False
    return tree.may_manage(actor, user)


@rules.predicate
def at_the_top(_user: Any, committee: Any = None) -> bool:
    """The committee (the permission's object) has no upper committee: data
    shared by the whole platform, such as the holiday calendar, is edited
    only there."""
    return committee is not None and getattr(committee, "parent_id", 0) is None


@rules.predicate
def is_self(actor: Any, user: Any = None) -> bool:
    return bool(user is not None and getattr(actor, "pk", None) == user.pk)


rules.add_perm("core.change_holiday", is_sysadmin & at_the_top)
# Services ask these for one account (the object is the User).
rules.add_perm("accounts.manage_account", manages_account)
rules.add_perm("accounts.reset_user_password", manages_account)
# The account holder's own settings (the object is the User itself).
rules.add_perm("accounts.change_own_password", rules.is_authenticated & is_self)
rules.add_perm("accounts.enable_own_totp", rules.is_authenticated & is_self)

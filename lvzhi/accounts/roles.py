"""Which roles a user holds in which committee. Read once per request and
cached on the user object, so permission checks in a page cost one query."""

from __future__ import annotations

from typing import Any

from lvzhi.accounts.models import ADMIN_ROLES, RoleAssignment

_CACHE_ATTR = "_lvzhi_role_assignments"


def committee_id_of(obj: Any) -> int | None:
    """The committee an object belongs to; a Committee is its own."""
    if obj is None:
        return None
    if isinstance(obj, int):
        return obj
    committee_id = getattr(obj, "committee_id", None)
    if committee_id is not None:
        return int(committee_id)
    if obj._meta.label == "org.Committee":
        return int(obj.pk)
    return None


def assignments_of(user: Any) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user, committee__is_active=True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_fix(user: Any, assignments: list[RoleAssignment]) -> None:
    """The caller holds these roles (unsaved rows) for this request, whatever
    the table says: a handling unit's system credential grants its unit role
    to its own account and nothing else (lvzhi.api.auth)."""
    setattr(user, _CACHE_ATTR, list(assignments))


def forget_roles(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user: Any, obj: Any, role: str, area: str | None = None) -> bool:
    committee_id = committee_id_of(obj)
    if committee_id is None:
        return False
    return any(
        a.committee_id == committee_id and a.role == role and (area is None or a.area == area)
        for a in assignments_of(user)
    )


def unit_ids_of(user: Any, obj: Any) -> set[int]:
    """Handling units the user acts for in the object's committee."""
    committee_id = committee_id_of(obj)
    return {
        a.unit_id
        for a in assignments_of(user)
        if a.committee_id == committee_id and a.role == "unit" and a.unit_id
    }


def is_any_admin(user: Any) -> bool:
    return any(a.role in ADMIN_ROLES for a in assignments_of(user))


# Roles whose holders must use a second factor when settings.REQUIRE_TOTP is on
# (on by default with HTTPS=1): everyone who decides or handles, not members.
SECOND_FACTOR_ROLES = frozenset({"staff", "leader", "unit", "gov_leader", *ADMIN_ROLES})


def needs_second_factor(user: Any) -> bool:
    return any(a.role in SECOND_FACTOR_ROLES for a in assignments_of(user))

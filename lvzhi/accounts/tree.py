"""Authority over accounts across the committee tree (DESIGN §9).

A committee's security administrator manages an account only if every role
and seat of that account is in its committee or below it, so a district's
administrator can never take over an account that also works in the city.
Accounts that hold an administrator role are managed only from the top of
the tree, for committees below it, never by a peer; the top's own
administrators are managed with the host command ``manage.py admin_account``.

The tree is read through the role table's foreign key to the committee
(accounts sits below org, DESIGN §4). A tree is at most four levels deep
(national → provincial → city → county), so walking it costs at most four
small queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model

from lvzhi.accounts.models import ADMIN_ROLES, Role, RoleAssignment, User

# Roles of the committee's business; none of them may sit with the auditor's.
BUSINESS_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.UNIT, Role.GOV_LEADER})
_MAX_DEPTH = 8  # a guard against a cycle typed into the tree by hand


def _committees() -> Any:
    committee: type[Model] = RoleAssignment._meta.get_field("committee").related_model  # type: ignore[assignment]
    return committee._default_manager


def subtree_ids(committee_ids: Iterable[int]) -> set[int]:
    """The committees given and every committee below them."""
    found = set(committee_ids)
    frontier = set(found)
    for _level in range(_MAX_DEPTH):
        if not frontier:
            break
        children = set(_committees().filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = children - found
        found |= frontier
    return found


def top_ids() -> set[int]:
    """The committees at the top of a tree (no upper committee)."""
    return set(_committees().filter(parent__isnull=True).values_list("pk", flat=True))


def account_committee_ids(user: User) -> set[int]:
    """Every committee the account works in: its roles, its seats as a
    member, and the committee that created it."""
    ids = set(RoleAssignment.objects.filter(user=user).values_list("committee_id", flat=True))
    ids |= set(
        User.objects.filter(pk=user.pk, person__memberships__isnull=False).values_list(
            "person__memberships__committee_id", flat=True
        )
    )
    if user.home_committee_id:
        ids.add(user.home_committee_id)
    return ids


def secadmin_committee_ids(actor: Any) -> set[int]:
    from lvzhi.accounts.roles import assignments_of

    return {a.committee_id for a in assignments_of(actor) if a.role == Role.SECADMIN}


def may_manage(actor: Any, user: User) -> bool:
    """Whether ``actor`` (a security administrator) may manage ``user``."""
    own = secadmin_committee_ids(actor)
    if not own or getattr(actor, "pk", None) == user.pk:
        return False
    held = account_committee_ids(user)
    if not held or not held <= subtree_ids(own):
        return False
    admin_at = set(
        RoleAssignment.objects.filter(user=user, role__in=ADMIN_ROLES).values_list(
            "committee_id", flat=True
        )
    )
    if not admin_at:
        return True
    return admin_authority(own, admin_at)


def admin_authority(own: set[int], admin_committee_ids: set[int]) -> bool:
    """An administrator's account (or grant) in ``admin_committee_ids`` is
    managed only by the security administrator of a top committee above
    those committees, never at the top committee itself (that is a peer)."""
    tops = own & top_ids()
    if not tops or admin_committee_ids & tops:
        return False
    return admin_committee_ids <= subtree_ids(tops)

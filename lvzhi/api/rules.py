"""Who may hold and revoke API access tokens and units' system credentials."""

from __future__ import annotations

from typing import Any

import rules

from lvzhi.accounts.rules import is_staff_in, is_sysadmin, is_unit
from lvzhi.org.models import HandlingUnit
from lvzhi.org.selectors import committees_for
from lvzhi.proposals.selectors import unit_users


@rules.predicate
def works_in(user: Any, committee: Any = None) -> bool:
    """The user holds a role or a seat in the committee."""
    return bool(
        committee is not None
        and getattr(user, "is_authenticated", False)
        and committees_for(user).filter(pk=committee.pk).exists()
    )


@rules.predicate
def is_own_token(user: Any, token: Any = None) -> bool:
    return bool(
        token is not None and getattr(user, "is_authenticated", False) and token.user_id == user.pk
    )


# A token acts as its user in one committee: anyone who works there may make one.
rules.add_perm("api.create_token", works_in)
rules.add_perm("api.revoke_token", is_own_token)

# A unit's office system is connected by the proposal office (it assigns to
# the unit) or the system administrator; on a unit, a credential or the committee.
rules.add_perm("api.manage_unit_credentials", is_staff_in("proposals") | is_sysadmin)


@rules.predicate
def works_for_unit(user: Any, obj: Any = None) -> bool:
    """The user is one of the handling unit's own accounts; on a committee
    (its pages), one of some unit's there."""
    if not isinstance(obj, HandlingUnit):
        return bool(is_unit(user, obj))
    return bool(
        getattr(user, "is_authenticated", False) and unit_users(obj).filter(pk=user.pk).exists()
    )


# A unit's webhook addresses: the office that connects its system, or the unit itself.
rules.add_perm("api.manage_unit_webhooks", is_staff_in("proposals") | is_sysadmin | works_for_unit)

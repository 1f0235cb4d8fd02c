"""Authorization, once (DESIGN §5): the named permissions of each app's
``rules.py`` decide; this module only asks them.

- Services call ``require_perm(actor, "proposals.register_proposal", proposal)``
  first, so a service is safe with no view in front of it (API, jobs,
  converters call the same services).
- Views call ``committee_for`` and ``object_for`` (lvzhi.core.access), which
  load through a selector's queryset and check the same permission.
- Templates ask ``{% can "perm" obj %}`` or use a workflow's action list."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lvzhi.core.errors import PermissionDenied


def is_system(actor: Any) -> bool:
    """The platform itself acting: a job, a command or the demo seeder, with no
    user. Never true inside a web or API request, where an actor of None is
    an anonymous caller and is refused like any other."""
    from lvzhi.core.context import PEOPLE_CHANNELS, current

    return actor is None and current().channel not in PEOPLE_CHANNELS


def user_or_none(actor: Any) -> Any:
    """The acting user to store on a row (``created_by``, an event's actor),
    or None for the system and for anonymous visitors."""
    return actor if getattr(actor, "is_authenticated", False) else None


def has_perm(actor: Any, perm: str, obj: Any = None) -> bool:
    if actor is None or not getattr(actor, "is_active", False):
        return False
    return bool(actor.has_perm(perm, obj))


def denial_log(actor: Any, perm: str, obj: Any = None) -> None:
    """One audit row for a refused attempt (DESIGN §9: every denial is logged)."""
    from lvzhi.core.audit import PERMISSION_DENIED, audit_log
    from lvzhi.core.models import AuditEvent

    target = obj if hasattr(obj, "_meta") and getattr(obj, "pk", None) else None
    audit_log(
        action=PERMISSION_DENIED,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        obj=target,
        committee=getattr(obj, "committee_id", None) or _committee_pk(obj),
        result=AuditEvent.Result.DENIED,
        permission=perm,
    )


def _committee_pk(obj: Any) -> int | None:
    if obj is not None and getattr(getattr(obj, "_meta", None), "label", "") == "org.Committee":
        return int(obj.pk)
    return None


def require_perm(
    actor: Any, perm: str, obj: Any = None, *, message: str | Promise | None = None
) -> None:
    """Raise PermissionDenied (a DomainError with a Chinese message) unless the
    actor holds ``perm`` on ``obj`` or is the system (``is_system``). The
    refusal is audited."""
    if is_system(actor) or has_perm(actor, perm, obj):
        return
    denial_log(actor, perm, obj)
    raise PermissionDenied(str(message) if message else _("You may not do this."))

"""What the org services share: the audit row, change detection, unique
names, and the member-eligibility check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.org.models import Committee, HandlingUnit, Member, Station, Studio


def audit(
    action: str,
    *,
    actor: Any,
    obj: models.Model,
    committee: Committee | int,
    **detail: Any,
) -> None:
    audit_log(action=action, actor=actor, obj=obj, committee=committee, **detail)


def apply_changes(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values on obj; return the names of the fields that changed."""
    changed = []
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    return changed


def name_taken(
    model: type[models.Model], committee_id: int, name: str, exclude_pk: int | None = None
) -> bool:
    qs = model._default_manager.filter(committee_id=committee_id, name=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def refuse_duplicate_name(
    model: type[models.Model], committee_id: int, name: str, exclude_pk: int | None = None
) -> None:
    if name_taken(model, committee_id, name, exclude_pk):
        raise Conflict(_("The name “%(name)s” is already used in this committee.") % {"name": name})


def save_or_conflict(obj: models.Model, **kwargs: Any) -> None:
    """Save; a unique constraint hit by a concurrent write becomes a clear error."""
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError as exc:
        raise Conflict(_("This record duplicates one that already exists.")) from exc


def check_members_eligible(
    committee: Committee, members: Iterable[Member], already: Iterable[int] = ()
) -> None:
    """Chosen members belong to the committee and are in office (or were chosen before)."""
    from lvzhi.org.selectors import eligible_members

    chosen = {m.pk for m in members}
    if not chosen:
        return
    allowed = set(
        eligible_members(committee, include=already)
        .filter(pk__in=chosen)
        .values_list("pk", flat=True)
    )
    if chosen - allowed:
        raise ValidationFailed(
            _("Only members of this committee in office in the current term can be chosen.")
        )


def deactivate(
    model: type[HandlingUnit] | type[Studio] | type[Station],
    obj: HandlingUnit | Studio | Station,
    *,
    action: str,
    actor: Any,
    perm: str,
) -> Any:
    require_perm(actor, perm, obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        if not locked.is_active:
            raise Conflict(_("This has already been deactivated."))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit(action, actor=actor, obj=locked, committee=locked.committee_id)
    return locked

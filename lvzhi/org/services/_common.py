"""What the org services share: the audit row, change detection, unique
names, the member-eligibility check, and the one way a named row of the
committee's structure (a cluster, a sector, a special committee, a handling
unit, a studio, a station) is created, updated and deactivated."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.org.models import Committee, HandlingUnit, Member, Station, Studio

CHANGE_STRUCTURE = "org.change_structure"
# A check of the chosen members, given the committee and the members chosen
# before (empty for a new row); it raises a DomainError to refuse.
Check = Callable[[Committee, list[int]], None]


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


def save_changes(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values and save the fields that changed; their names."""
    changed = apply_changes(obj, values)
    if changed:
        save_or_conflict(obj, update_fields=changed)
    return changed


def audit_changes(action: str, *, actor: Any, obj: Any, changed: list[str]) -> None:
    """The audit row of an edit, naming the fields it changed."""
    audit(action, actor=actor, obj=obj, committee=obj.committee_id, fields=",".join(changed))


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


def deactivate(obj: HandlingUnit | Studio | Station, *, action: str, actor: Any) -> Any:
    """The row is no longer offered; what refers to it stays."""
    require_perm(actor, CHANGE_STRUCTURE, obj)
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if not locked.is_active:
            raise Conflict(_("This has already been deactivated."))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit(action, actor=actor, obj=locked, committee=locked.committee_id)
    return locked


def named_create(
    model: type[Any],
    *,
    actor: Any,
    committee: Committee,
    action: str,
    fields: dict[str, Any],
    chosen: tuple[str, Sequence[Member]] | None = None,
    check: Check | None = None,
) -> Any:
    """A new named row of the committee's structure, with its chosen members
    (``chosen``: the many-to-many's name and the members) when it has some."""
    require_perm(actor, CHANGE_STRUCTURE, committee)
    with transaction.atomic():
        refuse_duplicate_name(model, committee.pk, fields["name"])
        if check is not None:
            check(committee, [])
        obj = model(committee=committee, **fields)
        save_or_conflict(obj)
        if chosen is not None:
            getattr(obj, chosen[0]).set(chosen[1])
        audit(action, actor=actor, obj=obj, committee=committee)
    return obj


def named_update(
    obj: Any,
    *,
    actor: Any,
    action: str,
    fields: dict[str, Any],
    chosen: tuple[str, Sequence[Member]] | None = None,
    check: Check | None = None,
) -> Any:
    """Change a named row under a row lock; the audit row lists what changed."""
    require_perm(actor, CHANGE_STRUCTURE, obj)
    with transaction.atomic():
        obj = (
            type(obj)
            ._default_manager.select_for_update(of=("self",))
            .select_related("committee")
            .get(pk=obj.pk)
        )
        refuse_duplicate_name(type(obj), obj.committee_id, fields["name"], obj.pk)
        already = (
            list(getattr(obj, chosen[0]).values_list("pk", flat=True)) if chosen is not None else []
        )
        if check is not None:
            check(obj.committee, already)
        changed = save_changes(obj, fields)
        if chosen is not None and set(already) != {m.pk for m in chosen[1]}:
            getattr(obj, chosen[0]).set(chosen[1])
            changed.append(chosen[0])
        audit_changes(action, actor=actor, obj=obj, changed=changed)
    return obj

"""Corrections after the fact (DESIGN §12): staff put right a record that is
already past the step where it could be edited (a proposal's title after
registration, attendance after an activity closed, …). The record gets the
new values; each changed field leaves a ``Correction`` row with the value it
had, so the original stays readable, and one audit row carries the before and
after. Points that move are the calling service's business (it withdraws and
records duty rows in the same transaction).

A service does, inside its own ``transaction.atomic()`` and after locking the row::

    before = field_values(obj, FIELDS)
    ... assign the new values, obj.save(update_fields=...) ...
    corrections_record(obj, before=before, actor=actor, reason=reason,
                       audit_action=codes.PROPOSAL_CORRECTED)

``correction_reason(reason)`` checks the reason first (before anything is
written); pages show the history with ``{% include "core/_corrections.html"
with corrections=... %}`` from ``corrections_of(obj)``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.models import Correction

REASON_MAX = 300


def correction_reason(reason: str) -> str:
    """The stripped reason, or a refusal in Chinese when it is missing or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Enter the reason for the correction."))
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason may have at most %(max)d characters.") % {"max": REASON_MAX}
        )
    return reason


def _field(obj: models.Model, name: str) -> models.Field[Any, Any]:
    """A concrete field of the object's model (a correction never names a reverse relation)."""
    field = obj._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name!r} is not a field of {obj._meta.label}")
    return field


def field_values(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` (foreign keys by id), taken before a correction."""
    return {name: getattr(obj, _field(obj, name).attname) for name in fields}


def _shown(obj: models.Model, name: str, value: Any) -> str:
    """A value as people read it: a choice's label, a related row's name."""
    field = _field(obj, name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        # As the pages show times: local, to the minute (not ISO in UTC).
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    return str(value)


def corrections_record(
    obj: models.Model,
    *,
    before: Mapping[str, Any],
    actor: Any,
    reason: str,
    audit_action: str,
) -> list[Correction]:
    """Record what changed between ``before`` and the object as it is now:
    one ``Correction`` per changed field and one audit row. Nothing changed
    is refused, so a correction always says something."""
    reason = correction_reason(reason)
    after = field_values(obj, before)
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        raise ValidationFailed(_("Nothing was changed."))
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    rows = [
        Correction(
            committee_id=obj.committee_id,  # type: ignore[attr-defined]
            content_type=content_type,
            object_id=obj.pk,
            field=name,
            label=str(_field(obj, name).verbose_name)[:100],
            original=_shown(obj, name, before[name]),
            corrected=_shown(obj, name, after[name]),
            reason=reason,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for name in changed
    ]
    Correction.objects.bulk_create(rows)
    audit_log(
        action=audit_action,
        actor=actor,
        obj=obj,
        reason=reason,
        changes={r.field: {"before": r.original, "after": r.corrected} for r in rows},
    )
    return rows


def corrections_of(obj: models.Model) -> models.QuerySet[Correction]:
    """The corrections of one record, oldest first (one query)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return Correction.objects.filter(
        committee_id=obj.committee_id,  # type: ignore[attr-defined]
        content_type=content_type,
        object_id=obj.pk,
    ).select_related("actor")

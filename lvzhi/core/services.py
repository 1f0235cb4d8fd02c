"""Writes of the shared kernel: the holiday table (节假日安排).

The table is global (the State Council's schedule holds for every committee);
a system administrator keeps it, acting in a committee where they hold the
role (``core.change_holiday`` on ``committee``, checked first). Every change
is audited as ``holiday_changed`` with the operation and the old and new
values."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.audit import Category, audit_log, register_audit_action
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.models import Holiday
from lvzhi.core.permissions import require_perm

CHANGE_HOLIDAY = "core.change_holiday"
HOLIDAY_CHANGED = register_audit_action(
    "holiday_changed", gettext_lazy("holiday calendar changed"), Category.CONFIG
)
NAME_MAX_LENGTH = 64

# Shared with the form, which shows them next to the field before the service runs.
WORKDAY_ON_WEEKDAY = gettext_lazy(
    "A make-up working day must be a Saturday or a Sunday: weekdays are working days anyway."
)
DUPLICATE_DATE = gettext_lazy(
    "%(date)s is already in the holiday calendar: edit that entry instead."
)


def _check(*, day: date, kind: str, name: str) -> str:
    """The cleaned name, or ValidationFailed with every problem found."""
    errors: list[str] = []
    name = (name or "").strip()
    if kind not in Holiday.Kind.values:
        errors.append(_("Choose whether the day is a holiday or a make-up working day."))
    elif kind == Holiday.Kind.WORKDAY and day.weekday() < 5:
        errors.append(str(WORKDAY_ON_WEEKDAY))
    if not name:
        errors.append(_("Enter the name of the holiday."))
    elif len(name) > NAME_MAX_LENGTH:
        errors.append(_("The name is too long (at most 64 characters)."))
    if errors:
        raise ValidationFailed(errors[0], errors)
    return name


def _duplicate(day: date) -> Conflict:
    return Conflict(str(DUPLICATE_DATE) % {"date": day.isoformat()})


def _snapshot(holiday: Holiday, prefix: str = "") -> dict[str, str]:
    """Flat audit detail (the audit trail stores strings)."""
    return {
        f"{prefix}date": holiday.date.isoformat(),
        f"{prefix}kind": holiday.kind,
        f"{prefix}name": holiday.name,
    }


def _holiday_write(
    *, actor: Any, holiday: Holiday | None, day: date, kind: str, name: str, committee: Any
) -> Holiday:
    """Add a day (``holiday`` None) or change one, under a row lock; one day
    is in the calendar once."""
    require_perm(actor, CHANGE_HOLIDAY, committee)
    name = _check(day=day, kind=kind, name=name)
    try:
        with transaction.atomic():
            others = Holiday.objects.filter(date=day)
            if holiday is not None:
                holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
                others = others.exclude(pk=holiday.pk)
            if others.exists():
                raise _duplicate(day)
            if holiday is None:
                holiday = Holiday.objects.create(date=day, kind=kind, name=name)
                operation, old = "create", {}
            else:
                operation, old = "update", _snapshot(holiday, prefix="old_")
                holiday.date, holiday.kind, holiday.name = day, kind, name
                holiday.save(update_fields=["date", "kind", "name"])
            audit_log(
                action=HOLIDAY_CHANGED,
                actor=actor,
                obj=holiday,
                operation=operation,
                **old,
                **_snapshot(holiday),
            )
    except IntegrityError:
        # Someone else gave the same date between our check and our write.
        raise _duplicate(day) from None
    return holiday


def holiday_create(
    *, actor: Any, day: date, kind: str, name: str, committee: Any = None
) -> Holiday:
    return _holiday_write(
        actor=actor, holiday=None, day=day, kind=kind, name=name, committee=committee
    )


def holiday_update(
    *,
    actor: Any,
    holiday: Holiday,
    day: date,
    kind: str,
    name: str,
    committee: Any = None,
) -> Holiday:
    return _holiday_write(
        actor=actor, holiday=holiday, day=day, kind=kind, name=name, committee=committee
    )


def holiday_delete(*, actor: Any, holiday: Holiday, committee: Any = None) -> None:
    require_perm(actor, CHANGE_HOLIDAY, committee)
    with transaction.atomic():
        locked = Holiday.objects.select_for_update().filter(pk=holiday.pk).first()
        if locked is None:
            return  # already gone: deleting twice changes nothing
        audit_log(
            action=HOLIDAY_CHANGED,
            actor=actor,
            obj=locked,
            operation="delete",
            **_snapshot(locked),
        )
        locked.delete()

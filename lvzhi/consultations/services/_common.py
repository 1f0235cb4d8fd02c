"""What every service of the app shares: text checks, committee checks, row
locks and the first event row of a new object."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import Role, RoleAssignment
from lvzhi.consultations.workflow import CREATE
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import Workflow, refuse_state
from lvzhi.org.models import Committee, HandlingUnit, Member

TITLE_MAX = 200
TEXT_MAX = 4000
POST_MAX = 2000


def clean_text(value: str, *, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%(field)s must not be empty.") % {"field": label})
    if len(value) > max_length:
        raise ValidationFailed(
            _("%(field)s may have at most %(max)d characters.")
            % {"field": label, "max": max_length}
        )
    return value


def one_of(value: str, choices: Any, message: str) -> str:
    """``value`` if it is one of the ``choices`` (a TextChoices), else the refusal."""
    if value not in choices.values:
        raise ValidationFailed(message)
    return value


def clean_year(year: int) -> int:
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("The year is not valid."))
    return int(year)


def clean_month(month: int) -> int:
    if not 1 <= int(month) <= 12:
        raise ValidationFailed(_("The month must be between 1 and 12."))
    return int(month)


def same_committee(obj: Any, committee: Committee, message: str) -> None:
    if obj is not None and obj.committee_id != committee.pk:
        raise ValidationFailed(message)


def in_office_member(member: Member | None, committee: Committee) -> None:
    if member is None:
        return
    same_committee(member, committee, _("The member is not a member of this committee."))
    if member.status != Member.Status.IN_OFFICE:
        raise ValidationFailed(_("%(name)s is no longer in office.") % {"name": member})


def active_unit(unit: HandlingUnit | None, committee: Committee) -> None:
    if unit is None:
        return
    same_committee(unit, committee, _("The department does not belong to this committee."))
    if not unit.is_active:
        raise ValidationFailed(_("The department %(name)s is no longer active.") % {"name": unit})


def unit_users(unit_ids: Iterable[int]) -> list[Any]:
    return [
        a.user
        # The assignment must be in the unit's own committee (defence in depth:
        # the accounts service already refuses a unit of another committee).
        for a in RoleAssignment.objects.filter(
            role=Role.UNIT, unit_id__in=list(unit_ids), committee_id=F("unit__committee_id")
        )
        .select_related("user")
        .order_by("id")
    ]


def locked(model: Any, pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


def save_fields(obj: Model, **values: Any) -> None:
    """Set ``values`` on a row already locked and save only those fields."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(values))


def chosen(
    rows: Iterable[Any], committee: Committee, check: Callable[[Any, Committee], None], empty: str
) -> list[Any]:
    """The rows a form chose (departments, members): at least one (else
    ``empty``), each passing ``check`` for the committee."""
    rows = list(rows)
    if not rows:
        raise ValidationFailed(empty)
    for row in rows:
        check(row, committee)
    return rows


def today() -> date:
    return timezone.localdate()


def expect(flow: Workflow, obj: Any, action: str) -> None:
    """Conflict (naming the present state) unless the table allows ``action`` now:
    checked before a use case writes anything besides the transition."""
    if not flow.allowed(obj, action):
        raise refuse_state(flow, obj)


def current(flow: Workflow, obj: Any, action: str) -> Any:
    """The object's row, locked, if the table allows ``action`` in its present
    state (else Conflict). A use case checks this before its own writes, then
    calls ``transition`` with the caller's instance, which it updates."""
    row = locked(type(obj), obj.pk)
    expect(flow, row, action)
    return row


def created_event(flow: Workflow, obj: Model, actor: Any) -> None:
    """The first event row of a new object: "create", from nothing to its first state."""
    flow.event_model._default_manager.create(
        **{flow.event_subject: obj},
        from_state="",
        to_state=flow.state_of(obj),
        action=CREATE,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@dataclass(frozen=True)
class YearlyPlanKind:
    """协商计划 or 民主监督计划: the state table, who may draft one, its audit
    code, and the refusal when the year has one (takes ``%(year)d``)."""

    flow: Workflow
    permission: str
    audit_code: str
    exists_message: Any


def yearly_plan_create(
    kind: YearlyPlanKind, actor: Any, committee: Committee, year: int, title: str
) -> Any:
    """A plan of the year, one per committee and year, drafted with its first
    event row and an audit row."""
    require_perm(actor, kind.permission, committee)
    title = clean_text(title, label=_("Title"), max_length=TITLE_MAX)
    year = clean_year(year)
    model: Any = kind.flow.model
    exists = Conflict(kind.exists_message % {"year": year})
    if model.objects.filter(committee=committee, year=year).exists():
        raise exists
    try:
        with transaction.atomic():
            plan = model.objects.create(committee=committee, year=year, title=title)
            created_event(kind.flow, plan, actor)
            audit_log(action=kind.audit_code, actor=actor, obj=plan, year=year)
    except IntegrityError:
        raise exists from None
    return plan

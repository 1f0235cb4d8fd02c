"""The committee's proposal lists (the settings page): categories and
decline grounds. The deadlines are committee settings (settings_defs.py),
changed with core.committee_settings."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.org.models import Committee
from lvzhi.proposals.audit import CATEGORY_CHANGED, DECLINE_GROUND_CHANGED
from lvzhi.proposals.models import DeclineGround, Proposal, ProposalCategory
from lvzhi.proposals.services._common import ONLY_OFFICE, clean_text

# --- Configuration ------------------------------------------------------------------------------

DEFAULT_CATEGORIES = ("经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设", "其他")
DEFAULT_DECLINE_GROUNDS = (
    "不属于政协提案范围",
    "涉及党政机关内部事务",
    "属于学术研究或个人见解",
    "涉及个人或家庭事务",
    "涉及国家秘密",
    "内容空泛、无具体建议",
    "已在办理中或已经解决",
    "一事多案，已并入其他提案",
)


def defaults_ensure(committee: Committee) -> bool:
    """The default categories and decline grounds of a committee, for a list
    that has no row yet. A list that has any row (active or not) is left
    alone, so a default the office renamed or deleted does not come back
    (idempotent). For seeding and for ``config_defaults_add``; never on GET.
    Whether anything was added."""
    added = False
    if not ProposalCategory.objects.filter(committee=committee).exists():
        added = True
        for order, name in enumerate(DEFAULT_CATEGORIES):
            ProposalCategory.objects.get_or_create(
                committee=committee, name=name, defaults={"order": order}
            )
    if not DeclineGround.objects.filter(committee=committee).exists():
        added = True
        for order, text in enumerate(DEFAULT_DECLINE_GROUNDS):
            DeclineGround.objects.get_or_create(
                committee=committee, text=text, defaults={"order": order}
            )
    return added


def config_defaults_add(*, actor: Any, committee: Committee) -> bool:
    """The office fills an empty list with the default rows (the settings page's button)."""
    require_perm(actor, "proposals.configure", committee, message=_(ONLY_OFFICE))
    with transaction.atomic():
        added = defaults_ensure(committee)
        if added:
            audit_log(action=CATEGORY_CHANGED, actor=actor, committee=committee, change="defaults")
    return added


# The two configurable lists (settings page): categories and decline grounds.
# Rows are never deleted once a proposal uses them; deactivated rows are not
# offered in forms but old proposals still show them.

ConfigRow = ProposalCategory | DeclineGround
ConfigModel = type[ProposalCategory] | type[DeclineGround]


def config_field(model: ConfigModel) -> tuple[str, int]:
    """The name column of a list and its length limit (the column's max_length)."""
    field = "name" if model is ProposalCategory else "text"
    return field, int(getattr(model._meta.get_field(field), "max_length", 0) or 0)


def _config_label(model: ConfigModel) -> str:
    return _("Category name") if model is ProposalCategory else _("Ground for declining")


def _config_value(model: ConfigModel, committee_id: int, value: str, exclude: int | None) -> str:
    field, limit = config_field(model)
    value = clean_text(value, _config_label(model), required=True, limit=limit)
    same = model.objects.filter(committee_id=committee_id, **{field: value})  # type: ignore[attr-defined]
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationFailed(_("“%(name)s” is already in the list.") % {"name": value})
    return value


def _config_audit(row: ConfigRow, actor: Any, change: str, **detail: Any) -> None:
    action = CATEGORY_CHANGED if isinstance(row, ProposalCategory) else DECLINE_GROUND_CHANGED
    audit_log(
        action=action,
        actor=actor,
        obj=row,
        committee=row.committee,
        change=change,
        name=str(row),
        **detail,
    )


def _config_lock(row: ConfigRow) -> ConfigRow:
    return type(row).objects.select_for_update().get(pk=row.pk)  # type: ignore[attr-defined, no-any-return]


def _config_locked_list(model: ConfigModel, committee_id: int) -> list[ConfigRow]:
    return list(
        model.objects.select_for_update()  # type: ignore[attr-defined]
        .filter(committee_id=committee_id)
        .order_by("order", "id")
    )


def _config_save(row: ConfigRow, fields: list[str], duplicate_name: str) -> None:
    try:
        with transaction.atomic():
            row.save(update_fields=fields)
    except IntegrityError:
        # Another request took the same name in between.
        raise ValidationFailed(
            _("“%(name)s” is already in the list.") % {"name": duplicate_name}
        ) from None


def config_row_add(*, actor: Any, committee: Committee, model: ConfigModel, name: str) -> ConfigRow:
    """Add a category or decline ground at the end of the committee's list."""
    require_perm(actor, "proposals.configure", committee, message=_(ONLY_OFFICE))
    with transaction.atomic():
        rows = _config_locked_list(model, committee.pk)
        value = _config_value(model, committee.pk, name, None)
        field, _limit = config_field(model)
        row = model(committee=committee, order=max((r.order for r in rows), default=-1) + 1)
        setattr(row, field, value)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationFailed(
                _("“%(name)s” is already in the list.") % {"name": value}
            ) from None
        _config_audit(row, actor, "add")
    return row


def config_row_rename(*, actor: Any, row: ConfigRow, name: str) -> ConfigRow:
    """Rename a row; proposals that use it show the new name."""
    require_perm(actor, "proposals.configure", row, message=_(ONLY_OFFICE))
    with transaction.atomic():
        row = _config_lock(row)
        model = type(row)
        field, _limit = config_field(model)
        value = _config_value(model, row.committee_id, name, row.pk)
        old = getattr(row, field)
        if value == old:
            return row
        setattr(row, field, value)
        _config_save(row, [field], value)
        _config_audit(row, actor, "rename", old=old)
    return row


def config_row_set_active(*, actor: Any, row: ConfigRow, active: bool) -> ConfigRow:
    """Deactivate (no longer offered in forms) or reactivate a row; a repeat changes nothing."""
    require_perm(actor, "proposals.configure", row, message=_(ONLY_OFFICE))
    with transaction.atomic():
        row = _config_lock(row)
        if row.is_active == active:
            return row
        row.is_active = active
        row.save(update_fields=["is_active"])
        _config_audit(row, actor, "activate" if active else "deactivate")
    return row


def config_row_move(*, actor: Any, row: ConfigRow, up: bool) -> ConfigRow:
    """Swap a row with its neighbour above (``up``) or below; the list is renumbered 0, 1, 2…"""
    require_perm(actor, "proposals.configure", row, message=_(ONLY_OFFICE))
    with transaction.atomic():
        rows = _config_locked_list(type(row), row.committee_id)
        index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(rows):
            return rows[index]
        rows[index], rows[other] = rows[other], rows[index]
        changed = []
        for order, r in enumerate(rows):
            if r.order != order:
                r.order = order
                changed.append(r)
        type(row).objects.bulk_update(changed, ["order"])  # type: ignore[attr-defined, arg-type]
        moved = rows[other]
        _config_audit(moved, actor, "move_up" if up else "move_down", order=moved.order)
    return moved


def config_row_delete(*, actor: Any, row: ConfigRow) -> None:
    """Delete a row no proposal uses (a typo just added); one in use is refused:
    deactivate it instead."""
    require_perm(actor, "proposals.configure", row, message=_(ONLY_OFFICE))
    with transaction.atomic():
        row = _config_lock(row)
        if isinstance(row, ProposalCategory):
            used = Proposal.objects.filter(category=row).exists()
        else:
            used = Proposal.objects.filter(decline_ground=row).exists()
        if used:
            raise Conflict(
                _("“%(name)s” is used by proposals and cannot be deleted; deactivate it instead.")
                % {"name": str(row)}
            )
        _config_audit(row, actor, "delete")
        row.delete()

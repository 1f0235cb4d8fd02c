"""What became of a published item: forwarded (报送), adopted at a level
(采用) or instructed on by a leader (批示) — each noted in its reports'
history and, for adoptions and instructions, earning the credited
submitters a duty record (share 1/n); each correctable or withdrawable with
its duty records."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_records_withdraw
from lvzhi.opinions.models import (
    Adoption,
    EditedItem,
    Forwarding,
    ForwardTarget,
    Instruction,
    Level,
    NationalMode,
    Report,
)
from lvzhi.opinions.selectors import item_credits
from lvzhi.opinions.services._common import (
    REASON_MAX,
    credit_members,
    history,
    lock_item,
    notify_submitters,
)

Outcome = TypeVar("Outcome", Forwarding, Adoption, Instruction)

ADOPTION_KINDS: dict[str, str] = {
    Level.NATIONAL: DutyKind.OPINION_ADOPTED_NATIONAL,
    Level.PROVINCIAL: DutyKind.OPINION_ADOPTED_PROVINCIAL,
    Level.CITY: DutyKind.OPINION_ADOPTED_CITY,
    Level.COUNTY: DutyKind.OPINION_ADOPTED_COUNTY,
}


def check_published(item: EditedItem) -> EditedItem:
    item = lock_item(item)
    if not item.is_published:
        raise Conflict(
            _("Only an item published in an issue can be forwarded, adopted or instructed on.")
        )
    return item


def _check_date(date: dt.date | None) -> dt.date:
    if date is None:
        raise ValidationFailed(_("Enter the date."))
    if date > timezone.localdate():
        raise ValidationFailed(_("The date cannot be in the future."))
    return date


def _outcome_create(model: type[Outcome], item: EditedItem, actor: Any, **fields: Any) -> Outcome:
    """A forwarding, adoption or instruction of the item, written by the actor."""
    return model.objects.create(  # type: ignore[attr-defined,no-any-return]
        committee_id=item.committee_id, item=item, created_by=actor, **fields
    )


def _recorded(
    outcome: Any, *, action: str, audit: str, actor: Any, note: str, message: str, **detail: Any
) -> None:
    """An outcome noted in each report of its item, the submitters told, the audit row written."""
    reports = Report.objects.filter(item=outcome.item).select_related("committee").order_by("id")
    for report in reports:
        history(report, action, actor, note)
        notify_submitters(report, actor, message, note)
    audit_log(action=audit, obj=outcome, committee=outcome.committee, **detail)


def item_forward(
    *,
    actor: Any,
    item: EditedItem,
    target: str,
    date: dt.date,
    target_name: str = "",
    note: str = "",
) -> Forwarding:
    """Record that a published item was sent to an upper committee, the party
    committee or the government."""
    require_perm(actor, "opinions.forward_item", item)
    if target not in ForwardTarget.values:
        raise ValidationFailed(_("Choose where the item was sent."))
    _check_date(date)
    with transaction.atomic():
        item = check_published(item)
        forwarding = _outcome_create(
            Forwarding,
            item,
            actor,
            date=date,
            target=target,
            target_name=target_name.strip()[:100],
            note=note.strip()[:200],
        )
        label = f"{ForwardTarget(target).label} {forwarding.target_name}".strip()
        _recorded(
            forwarding,
            action="forward",
            audit="opinions.item_forward",
            actor=actor,
            note=f"{label} {date:%Y-%m-%d}",
            message=_("Your report was sent on to %(to)s") % {"to": label},
        )
    return forwarding


def _check_adoption(level: str, national_mode: str) -> str:
    if level not in Level.values:
        raise ValidationFailed(_("Choose the level that adopted the item."))
    if level == Level.NATIONAL:
        if national_mode not in NationalMode.values:
            raise ValidationFailed(
                _("Say whether the national CPPCC adopted it on its own or combined.")
            )
        return national_mode
    return ""


def _record_adoption_duties(adoption: Adoption, actor: Any) -> None:
    credit_members(
        item_credits(adoption.item),
        kind=ADOPTION_KINDS[adoption.level],
        date=adoption.date,
        source=adoption,
        actor=actor,
        title=adoption.item.title,
    )


def adoption_record(
    *,
    actor: Any,
    item: EditedItem,
    level: str,
    date: dt.date,
    national_mode: str = "",
    text: str = "",
) -> Adoption:
    """Record an adoption at a level; each credited submitter earns the
    level's duty record (share 1/n). One live adoption per item and level."""
    require_perm(actor, "opinions.adopt_item", item)
    national_mode = _check_adoption(level, national_mode)
    _check_date(date)
    with transaction.atomic():
        item = check_published(item)
        if item.adoptions.filter(level=level, withdrawn_at__isnull=True).exists():
            raise Conflict(_("An adoption at this level is already recorded for this item."))
        try:
            with transaction.atomic():
                adoption = _outcome_create(
                    Adoption,
                    item,
                    actor,
                    date=date,
                    level=level,
                    national_mode=national_mode,
                    text=text.strip(),
                )
        except IntegrityError:
            raise Conflict(
                _("An adoption at this level is already recorded for this item.")
            ) from None
        _record_adoption_duties(adoption, actor)
        label = str(Level(level).label)
        _recorded(
            adoption,
            action="adopt",
            audit="opinions.adoption_record",
            actor=actor,
            note=f"{label} {date:%Y-%m-%d}",
            message=_("Your report was adopted: %(level)s") % {"level": label},
            level=level,
        )
    return adoption


def adoption_correct(
    *,
    actor: Any,
    adoption: Adoption,
    level: str,
    date: dt.date,
    national_mode: str = "",
    text: str = "",
) -> Adoption:
    """Correct an adoption: a new level or date withdraws the duty records it
    earned and records the right ones."""
    require_perm(actor, "opinions.correct_adoption", adoption)
    national_mode = _check_adoption(level, national_mode)
    _check_date(date)
    with transaction.atomic():
        adoption = (
            Adoption.objects.select_for_update(of=("self",))
            .select_related("item")
            .get(pk=adoption.pk)
        )
        if adoption.withdrawn_at is not None:
            raise Conflict(_("This adoption has been withdrawn."))
        if (
            level != adoption.level
            and adoption.item.adoptions.filter(level=level, withdrawn_at__isnull=True).exists()
        ):
            raise Conflict(_("An adoption at this level is already recorded for this item."))
        old = adoption.label
        ledger_changes = level != adoption.level or date != adoption.date
        if ledger_changes:
            duty_records_withdraw(source=adoption, actor=actor, reason=_("Adoption corrected"))
        adoption.level, adoption.national_mode, adoption.date, adoption.text = (
            level,
            national_mode,
            date,
            text.strip(),
        )
        adoption.save(update_fields=["level", "national_mode", "date", "text"])
        if ledger_changes:
            _record_adoption_duties(adoption, actor)
        new = adoption.label
        _recorded(
            adoption,
            action="adoption_correct",
            audit="opinions.adoption_correct",
            actor=actor,
            note=f"{old} → {new}",
            message=_("The adoption of your report was corrected: %(level)s") % {"level": new},
            old=old,
            new=new,
        )
    return adoption


def _outcome_withdraw(
    outcome: Adoption | Instruction, *, actor: Any, reason: str, already: str, notice: str
) -> Any:
    """Withdraw an adoption or an instruction recorded by mistake, with the
    duty records it earned; the row stays, marked withdrawn. The permission
    is ``opinions.withdraw_<adoption|instruction>``, the history's action and
    the audit code ``<adoption|instruction>_withdraw``."""
    model = type(outcome)
    kind = model._meta.model_name
    require_perm(actor, f"opinions.withdraw_{kind}", outcome)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Enter the reason for the withdrawal."))
    with transaction.atomic():
        outcome = (
            model.objects.select_for_update(of=("self",)).select_related("item").get(pk=outcome.pk)
        )
        if outcome.withdrawn_at is not None:
            raise Conflict(already)
        outcome.withdrawn_at, outcome.withdrawn_reason = timezone.now(), reason[:REASON_MAX]
        outcome.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        duty_records_withdraw(source=outcome, actor=actor, reason=reason)
        _recorded(
            outcome,
            action=f"{kind}_withdraw",
            audit=f"opinions.{kind}_withdraw",
            actor=actor,
            note=f"{outcome.label}: {reason}",
            message=notice,
            reason=reason,
        )
    return outcome


def adoption_withdraw(*, actor: Any, adoption: Adoption, reason: str) -> Adoption:
    """Withdraw an adoption recorded by mistake; its duty records are withdrawn too."""
    already = _("This adoption has been withdrawn.")
    notice = _("An adoption of your report was withdrawn: %(level)s") % {"level": adoption.label}
    withdrawn: Adoption = _outcome_withdraw(
        adoption, actor=actor, reason=reason, already=already, notice=notice
    )
    return withdrawn


def instruction_record(
    *,
    actor: Any,
    item: EditedItem,
    level: str,
    leader_title: str,
    date: dt.date,
    text: str = "",
) -> Instruction:
    """Staff record a leader's instruction (批示) given on paper; each credited
    submitter earns an ``opinion_instruction`` duty record (share 1/n)."""
    require_perm(actor, "opinions.instruct_item", item)
    if level not in Level.values:
        raise ValidationFailed(_("Choose the level of the leader."))
    _check_date(date)
    return _instruction_save(
        actor=actor, item=item, level=level, leader_title=leader_title, date=date, text=text
    )


def instruction_write(*, actor: Any, item: EditedItem, leader_title: str, text: str) -> Instruction:
    """A party or government leader writes an instruction (批示) in the app on
    an item of an issue sent to them: dated today, at the level of the
    leader's committee, credited to the submitters like a recorded one."""
    require_perm(actor, "opinions.write_instruction", item)
    if not text.strip():
        raise ValidationFailed(_("Write the instruction."))
    return _instruction_save(
        actor=actor,
        item=item,
        level=item.committee.level,
        leader_title=leader_title,
        date=timezone.localdate(),
        text=text,
    )


def _instruction_save(
    *, actor: Any, item: EditedItem, level: str, leader_title: str, date: dt.date, text: str
) -> Instruction:
    leader_title = leader_title.strip()
    if not leader_title:
        raise ValidationFailed(_("Enter the leader's title."))
    if len(leader_title) > 100:
        raise ValidationFailed(_("The leader's title is too long (at most 100 characters)."))
    with transaction.atomic():
        item = check_published(item)
        instruction = _outcome_create(
            Instruction,
            item,
            actor,
            date=date,
            level=level,
            leader_title=leader_title,
            text=text.strip(),
        )
        credit_members(
            item_credits(item),
            kind=DutyKind.OPINION_INSTRUCTION,
            date=date,
            source=instruction,
            actor=actor,
            title=item.title,
        )
        label = f"{Level(level).label} {leader_title}"
        _recorded(
            instruction,
            action="instruction",
            audit="opinions.instruction_record",
            actor=actor,
            note=f"{label} {date:%Y-%m-%d}",
            message=_("A leader gave an instruction on your report: %(leader)s")
            % {"leader": label},
        )
    return instruction


def instruction_withdraw(*, actor: Any, instruction: Instruction, reason: str) -> Instruction:
    """Withdraw an instruction recorded by mistake; its duty records are withdrawn too."""
    leader = {"leader": instruction.leader_title}
    withdrawn: Instruction = _outcome_withdraw(
        instruction,
        actor=actor,
        reason=reason,
        already=_("This instruction has been withdrawn."),
        notice=_("An instruction on your report was withdrawn: %(leader)s") % leader,
    )
    return withdrawn

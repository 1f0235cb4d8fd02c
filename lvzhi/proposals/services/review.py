"""立: the office registers, declines, returns or merges a submitted proposal."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties.models import DutyKind
from lvzhi.org.models import HandlingUnit
from lvzhi.proposals import selectors
from lvzhi.proposals.models import NOTE_MAX, DeclineGround, NumberCounter, Proposal
from lvzhi.proposals.services._common import (
    ONLY_OFFICE,
    clean_text,
    lock,
    notify_on,
    proposer_users,
    record_lead,
    require_allowed,
    same_committee,
)
from lvzhi.proposals.workflow import MERGE_TARGETS, PROPOSAL_FLOW, not_yet_forwarded


def _next_number(proposal: Proposal) -> int:
    """The next number of the committee's term, from a counter row locked until
    the transaction ends: concurrent registrations queue, numbers never repeat
    and a rolled-back registration leaves no gap."""
    try:
        with transaction.atomic():
            counter, _created = NumberCounter.objects.get_or_create(
                committee_id=proposal.committee_id, term_id=proposal.term_id
            )
    except IntegrityError:
        counter = NumberCounter.objects.get(
            committee_id=proposal.committee_id, term_id=proposal.term_id
        )
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def proposal_register(*, actor: Any, proposal: Proposal, note: str = "") -> Proposal:
    """立案: give the proposal its number; the lead proposer earns proposal_registered."""
    require_perm(actor, "proposals.register_proposal", proposal, message=_(ONLY_OFFICE))
    note = clean_text(note, _("Note"), required=False, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = lock(proposal)
        require_allowed(PROPOSAL_FLOW, proposal, "register")
        transition(
            proposal,
            "register",
            actor=actor,
            note=note,
            changes={"number": _next_number(proposal), "registered_at": timezone.now()},
        )
        record_lead(proposal, DutyKind.PROPOSAL_REGISTERED, actor)
        notify_on(
            proposal,
            proposer_users(proposal),
            _("Your proposal was registered as No. %(number)s")
            % {"number": f"{proposal.number:04d}"},
            proposal.title,
        )
    return proposal


def proposal_decline(
    *,
    actor: Any,
    proposal: Proposal,
    ground: DeclineGround | None,
    note: str = "",
    letter_unit: HandlingUnit | None = None,
) -> Proposal:
    """不予立案 with a standard ground; optionally forwarded as a suggestion letter.

    The duty record of filing stays (the member did file it); no registration."""
    require_perm(actor, "proposals.review_proposal", proposal, message=_(ONLY_OFFICE))
    note = clean_text(note, _("Note"), required=False, limit=NOTE_MAX)
    if ground is None:
        raise ValidationFailed(_("Choose a ground for declining."))
    with transaction.atomic():
        proposal = lock(proposal)
        same_committee(ground, proposal.committee_id, _("Choose a ground of this committee."))
        if not DeclineGround.objects.filter(pk=ground.pk, is_active=True).exists():
            raise ValidationFailed(_("This ground is no longer in use; choose another."))
        transition(
            proposal,
            "decline",
            actor=actor,
            note=f"{ground.text}{'：' + note if note else ''}",
            changes={"decline_ground": ground},
        )
        notify_on(
            proposal,
            proposer_users(proposal),
            _("Your proposal was not registered: %(title)s") % {"title": proposal.title},
            ground.text,
        )
        if letter_unit is not None:
            _convert(proposal, letter_unit, actor)
    return proposal


def _convert(proposal: Proposal, unit: HandlingUnit, actor: Any) -> None:
    same_committee(unit, proposal.committee_id, _("Choose a handling unit of this committee."))
    already = not_yet_forwarded(proposal, actor)
    if already:
        raise Conflict(already)
    transition(proposal, "convert", actor=actor, note=unit.name, changes={"letter_unit": unit})
    notify_on(
        proposal,
        selectors.unit_users(unit),
        _("A suggestion letter was forwarded to your unit: %(title)s") % {"title": proposal.title},
    )


def proposal_convert(*, actor: Any, proposal: Proposal, unit: HandlingUnit) -> Proposal:
    """转为建议函: forward a declined proposal to a unit as a suggestion letter."""
    require_perm(actor, "proposals.review_proposal", proposal, message=_(ONLY_OFFICE))
    with transaction.atomic():
        proposal = lock(proposal)
        _convert(proposal, unit, actor)
    return proposal


def proposal_return(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    """退回修改: back to the proposer with a reason; they edit and submit again."""
    require_perm(actor, "proposals.review_proposal", proposal, message=_(ONLY_OFFICE))
    reason = clean_text(reason, _("Reason for return"), required=True, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = lock(proposal)
        transition(proposal, "return", actor=actor, note=reason, changes={"return_reason": reason})
        notify_on(
            proposal,
            [proposal.proposer.person.user],
            _("Your proposal was returned for revision: %(title)s") % {"title": proposal.title},
            reason,
        )
    return proposal


def proposal_merge(*, actor: Any, proposal: Proposal, into: Proposal, note: str = "") -> Proposal:
    """并案: merge a submitted proposal into a registered one. Its proposers are
    credited with proposal_registered (source: the merged proposal)."""
    require_perm(actor, "proposals.review_proposal", proposal, message=_(ONLY_OFFICE))
    note = clean_text(note, _("Note"), required=False, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = lock(proposal)
        if into.committee_id != proposal.committee_id:
            raise ValidationFailed(_("A proposal can only be merged into one of this committee."))
        target = lock(into)
        if target.pk == proposal.pk or target.status not in MERGE_TARGETS:
            raise ValidationFailed(_("Merge only into another registered proposal."))
        require_allowed(PROPOSAL_FLOW, proposal, "merge")
        label = f"{target.number_label} {target.title}"
        transition(
            proposal,
            "merge",
            actor=actor,
            note=label + (f"：{note}" if note else ""),
            changes={"merged_into": target},
        )
        transition(
            target,
            "merge_in",
            actor=actor,
            note=f"{proposal.title}（{proposal.proposer.person.name}）",
        )
        record_lead(proposal, DutyKind.PROPOSAL_REGISTERED, actor)
        notify_on(
            proposal,
            proposer_users(proposal),
            _("Your proposal was merged into %(number)s %(title)s")
            % {"number": target.number_label, "title": target.title},
        )
    return proposal

"""督: key proposals and supervision notes; 优秀提案: the year's excellent proposals."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import has_perm, require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties.models import DutyKind
from lvzhi.org.models import Committee
from lvzhi.proposals import selectors
from lvzhi.proposals.audit import EXCELLENT_PUBLISH
from lvzhi.proposals.models import NOTE_MAX, Assignment, ExcellentList, Proposal, SupervisionNote
from lvzhi.proposals.services._common import (
    ONLY_LEADER,
    ONLY_OFFICE,
    clean_text,
    duty_withdraw,
    lock,
    notify_on,
    proposer_users,
    record_lead,
    record_shared,
    require_allowed,
    url_of,
)
from lvzhi.proposals.workflow import PROPOSAL_FLOW


def proposal_mark_key(
    *, actor: Any, proposal: Proposal, supervisor: Any | None, is_key: bool = True
) -> Proposal:
    """重点提案: a leader marks it key with a supervising leader (or unmarks it).
    The lead proposer earns proposal_key; unmarking withdraws it."""
    require_perm(actor, "proposals.mark_key_proposal", proposal, message=_(ONLY_LEADER))
    with transaction.atomic():
        proposal = lock(proposal)
        if is_key:
            # The supervisor must be able to mark it too: a leader of this committee.
            if supervisor is None or not has_perm(
                supervisor, "proposals.mark_key_proposal", proposal
            ):
                raise ValidationFailed(
                    _("Choose a supervising leader of this committee's chairpersons' meeting.")
                )
        elif not proposal.is_key:
            raise Conflict(_("This proposal is not a key proposal."))
        transition(
            proposal,
            "mark_key",
            actor=actor,
            note=str(supervisor) if is_key else str(_("no longer a key proposal")),
            changes={"is_key": is_key, "supervisor": supervisor if is_key else None},
        )
        if is_key:
            record_lead(proposal, DutyKind.PROPOSAL_KEY, actor)
            notify_on(
                proposal,
                [supervisor],
                _("You supervise the key proposal: %(title)s") % {"title": proposal.title},
            )
        else:
            duty_withdraw(proposal, DutyKind.PROPOSAL_KEY, actor, _("No longer a key proposal"))
    return proposal


def supervision_note_add(*, actor: Any, proposal: Proposal, text: str) -> SupervisionNote:
    """督办: a leader or the office urges the units; they are notified."""
    require_perm(
        actor,
        "proposals.supervise_proposal",
        proposal,
        message=_("Only leaders and the proposal office may supervise."),
    )
    text = clean_text(text, _("Note"), required=True, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = lock(proposal)
        transition(proposal, "supervise", actor=actor, note=text)
        note = SupervisionNote.objects.create(proposal=proposal, text=text, author=actor)
        for assignment in proposal.assignments.filter(state=Assignment.State.ACTIVE).select_related(
            "unit"
        ):
            notify_on(
                proposal,
                selectors.unit_users(assignment.unit),
                _("Supervision note on: %(title)s") % {"title": proposal.title},
                text,
            )
    return note


def _published(year: int) -> Conflict:
    return Conflict(_("The list of %(year)s has been published.") % {"year": year})


def excellent_select(
    *, actor: Any, proposal: Proposal, year: int, selected: bool = True
) -> Proposal:
    """优秀提案: the office selects (or unselects) a registered proposal for a year's
    list, before the list is published. Duty: lead 1, co-signers share 1."""
    require_perm(actor, "proposals.select_excellent_proposal", proposal, message=_(ONLY_OFFICE))
    with transaction.atomic():
        proposal = lock(proposal)
        if ExcellentList.objects.filter(committee_id=proposal.committee_id, year=year).exists():
            raise _published(year)
        if proposal.registered_at is None or proposal.registered_at.year > year:
            raise ValidationFailed(_("Only proposals registered by that year can be selected."))
        require_allowed(PROPOSAL_FLOW, proposal, "select_excellent")
        if selected == (proposal.excellent_year == year):
            raise Conflict(_("Nothing to change."))
        transition(
            proposal,
            "select_excellent",
            actor=actor,
            note=f"{year}" if selected else str(_("removed from the list")),
            changes={"excellent_year": year if selected else None},
        )
        if selected:
            record_shared(proposal, DutyKind.PROPOSAL_EXCELLENT, timezone.localdate(), actor)
        else:
            reason = _("Removed from the excellent proposals")
            duty_withdraw(proposal, DutyKind.PROPOSAL_EXCELLENT, actor, reason)
    return proposal


def excellent_publish(*, actor: Any, committee: Committee, year: int) -> ExcellentList:
    require_perm(actor, "proposals.manage_excellent", committee, message=_(ONLY_OFFICE))
    with transaction.atomic():
        chosen = list(
            Proposal.objects.filter(committee=committee, excellent_year=year).select_related(
                "proposer__person"
            )
        )
        if not chosen:
            raise ValidationFailed(_("Select at least one excellent proposal first."))
        try:
            with transaction.atomic():
                published = ExcellentList.objects.create(
                    committee=committee,
                    year=year,
                    published_at=timezone.now(),
                    published_by=actor,
                )
        except IntegrityError:
            raise _published(year) from None
        audit_log(
            action=EXCELLENT_PUBLISH,
            actor=actor,
            obj=published,
            committee=committee,
            year=year,
            count=len(chosen),
        )
        for proposal in chosen:
            notify(
                recipients=proposer_users(proposal),
                title=_("Your proposal is one of the excellent proposals of %(year)s")
                % {"year": year},
                body=proposal.title,
                url=url_of(proposal),
                committee=committee,
            )
    return published

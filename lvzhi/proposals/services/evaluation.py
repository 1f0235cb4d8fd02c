"""评: the proposers' evaluation of a reply, re-handling, "not evaluated" by
the daily job, closing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.permissions import has_perm, require_perm
from lvzhi.core.workflow import transition
from lvzhi.proposals import selectors, workflow
from lvzhi.proposals.models import NOTE_MAX, Assignment, Evaluation, Proposal, Satisfaction
from lvzhi.proposals.services._common import (
    ONLY_OFFICE,
    S,
    clean_text,
    confirmed_cosigners,
    lock,
    notify_on,
    require_allowed,
    today_or,
)
from lvzhi.proposals.workflow import PROPOSAL_FLOW


def proposal_evaluate(
    *,
    actor: Any,
    proposal: Proposal,
    contact: str,
    attitude: str,
    result: str,
    comments: str = "",
    today: date | None = None,
) -> Evaluation:
    """满意度测评 by the lead proposer or a confirmed co-signer. The lead
    proposer's evaluation decides: "dissatisfied" with the result sends the
    proposal back for re-handling (as often as the committee allows, once by
    default, with a new deadline); otherwise it is evaluated. Co-signers'
    evaluations are recorded alongside."""
    is_lead = has_perm(actor, "proposals.evaluate_proposal", proposal)
    if not is_lead:
        require_perm(
            actor,
            "proposals.cosigner_evaluate_proposal",
            proposal,
            message=_("Only the proposers may evaluate the reply."),
        )
    comments = clean_text(comments, _("Comments"), required=False, limit=NOTE_MAX)
    for value in (contact, attitude, result):
        if value not in Satisfaction.values:
            raise ValidationFailed(_("Rate contact, attitude and result."))
    today = today_or(today)
    with transaction.atomic():
        proposal = lock(proposal)
        member = (
            proposal.proposer
            if is_lead
            else next(m for m in confirmed_cosigners(proposal) if m.person.user_id == actor.pk)
        )
        dissatisfied = (
            result == Satisfaction.DISSATISFIED
            and proposal.round <= workflow.max_rehandling(proposal.committee)
        )
        action = (
            "cosigner_evaluate"
            if not is_lead
            else "evaluate_dissatisfied"
            if dissatisfied
            else "evaluate"
        )
        require_allowed(PROPOSAL_FLOW, proposal, action)
        if Evaluation.objects.filter(
            proposal=proposal, member=member, round=proposal.round
        ).exists():
            raise Conflict(_("You have already evaluated this reply."))
        evaluation = Evaluation.objects.create(
            proposal=proposal,
            member=member,
            round=proposal.round,
            contact=contact,
            attitude=attitude,
            result=result,
            comments=comments,
        )
        note = f"{member.person.name}：{Satisfaction(result).label}" + (
            f"，{comments}" if comments else ""
        )
        if action == "evaluate_dissatisfied":
            _rehandle(proposal, actor, note, today)
            return evaluation
        transition(proposal, action, actor=actor, note=note)
        if action == "evaluate":
            notify_on(
                proposal,
                selectors.proposals_staff(proposal.committee),
                _("The proposer evaluated the reply: %(title)s") % {"title": proposal.title},
            )
    return evaluation


def _rehandle(proposal: Proposal, actor: Any, note: str, today: date) -> None:
    due = workflow.rehandling_due(today, proposal.committee)
    transition(
        proposal,
        "evaluate_dissatisfied",
        actor=actor,
        note=note,
        changes={"round": proposal.round + 1, "evaluation_due": None},
    )
    replying = list(
        proposal.assignments.filter(
            role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT], state=Assignment.State.REPLIED
        ).select_related("unit")
    )
    for assignment in replying:
        transition(
            assignment,
            "reopen",
            actor=actor,
            changes={"reply_due": due, "extended_due": None, "replied_on": None},
        )
        notify_on(
            proposal,
            selectors.unit_users(assignment.unit),
            _("The proposer is dissatisfied; handle it again by %(date)s: %(title)s")
            % {"date": due, "title": proposal.title},
        )


def evaluations_expire(*, today: date | None = None) -> int:
    """Daily job: replies whose evaluation window ended are recorded as
    "not evaluated" for every proposer who did not answer; the proposal is evaluated."""
    today = today_or(today)
    ids = list(
        Proposal.objects.filter(status=S.REPLIED, evaluation_due__lt=today).values_list(
            "pk", flat=True
        )
    )
    done = 0
    for pk in ids:
        with transaction.atomic():
            proposal = (
                Proposal.objects.select_for_update()
                .select_related("proposer__person", "committee")
                .get(pk=pk)
            )
            if proposal.status != S.REPLIED:
                continue
            answered = set(
                Evaluation.objects.filter(proposal=proposal, round=proposal.round).values_list(
                    "member_id", flat=True
                )
            )
            for member in [proposal.proposer, *confirmed_cosigners(proposal)]:
                if member.pk not in answered:
                    Evaluation.objects.create(
                        proposal=proposal,
                        member=member,
                        round=proposal.round,
                        not_evaluated=True,
                    )
            transition(
                proposal,
                "not_evaluated",
                actor=None,
                check_permission=False,
                note=str(_("Not evaluated in time")),
            )
            done += 1
    return done


def proposal_close(*, actor: Any, proposal: Proposal, note: str = "") -> Proposal:
    require_perm(actor, "proposals.close_proposal", proposal, message=_(ONLY_OFFICE))
    note = clean_text(note, _("Note"), required=False, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = lock(proposal)
        transition(proposal, "close", actor=actor, note=note)
    return proposal

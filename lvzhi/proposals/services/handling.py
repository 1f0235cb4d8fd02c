"""办: assignment to handling units, the units' work and replies, extensions
and reassignment, the office's review of a reply's class."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.files import attachment_save, upload_check
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.org.models import HandlingUnit
from lvzhi.proposals import selectors, workflow
from lvzhi.proposals.models import (
    NOTE_MAX,
    TEXT_MAX,
    Assignment,
    CoUnitOpinion,
    ExtensionRequest,
    PreContact,
    Proposal,
    QualityRating,
    ReassignmentRequest,
    Reply,
)
from lvzhi.proposals.services._common import (
    LETTER_PURPOSE,
    ONLY_OFFICE,
    S,
    clean_text,
    lock,
    lock_assignment,
    notify_on,
    proposer_users,
    require_active,
    require_allowed,
    require_not_withdrawn,
    same_committee,
    today_or,
)
from lvzhi.proposals.settings_defs import answer_class, answer_classes
from lvzhi.proposals.workflow import (
    PROPOSAL_FLOW,
)

REPLYING = [Assignment.Role.LEAD, Assignment.Role.SPLIT]
UNIT_ONLY = gettext_noop("Only the assigned unit may do this.")


def _units_of_assignment(
    lead: HandlingUnit | None, co_units: Sequence[HandlingUnit], split_units: Sequence[HandlingUnit]
) -> list[tuple[HandlingUnit, str]]:
    units: list[tuple[HandlingUnit, str]] = []
    if lead is not None and split_units:
        raise ValidationFailed(_("Choose either a lead unit or split handling, not both."))
    if lead is not None:
        units.append((lead, Assignment.Role.LEAD))
        units += [(u, Assignment.Role.CO) for u in co_units]
    elif split_units:
        if len(split_units) < 2 or co_units:
            raise ValidationFailed(_("Split handling needs at least two units and no co-units."))
        units += [(u, Assignment.Role.SPLIT) for u in split_units]
    else:
        raise ValidationFailed(_("Choose a lead unit."))
    if len({u.pk for u, _r in units}) != len(units):
        raise ValidationFailed(_("A unit may appear only once."))
    return units


def proposal_assign(
    *,
    actor: Any,
    proposal: Proposal,
    lead: HandlingUnit | None = None,
    co_units: Sequence[HandlingUnit] = (),
    split_units: Sequence[HandlingUnit] = (),
    today: date | None = None,
) -> list[Assignment]:
    """交办: one lead unit and optional co-units, or two or more split units.
    Deadlines count from the day of assignment, by the committee's settings
    (workflow.assignment_deadlines); they are stored on the assignment."""
    require_perm(actor, "proposals.assign_proposal", proposal, message=_(ONLY_OFFICE))
    today = today_or(today)
    units = _units_of_assignment(lead, co_units, split_units)
    with transaction.atomic():
        proposal = lock(proposal)
        for unit, _role in units:
            same_committee(
                unit, proposal.committee_id, _("Choose handling units of this committee.")
            )
            if not unit.is_active:
                raise ValidationFailed(_("%(unit)s is not active.") % {"unit": unit.name})
        require_allowed(PROPOSAL_FLOW, proposal, "assign")
        deadlines = workflow.assignment_deadlines(today, proposal.committee)
        co_due = workflow.co_opinion_due(today, proposal.committee)
        made = [
            Assignment.objects.create(
                committee_id=proposal.committee_id,
                proposal=proposal,
                unit=unit,
                role=role,
                assigned_on=today,
                co_opinion_due=co_due if role == Assignment.Role.CO else None,
                **deadlines,
            )
            for unit, role in units
        ]
        names = "、".join(f"{u.name}（{Assignment.Role(r).label}）" for u, r in units)
        transition(proposal, "assign", actor=actor, note=names)
        for assignment in made:
            notify_on(
                proposal,
                selectors.unit_users(assignment.unit),
                _("A proposal was assigned to your unit: %(title)s") % {"title": proposal.title},
                _("Reply by %(date)s.") % {"date": assignment.reply_due},
            )
    return made


def _require_unit(actor: Any, assignment: Assignment, perm: str) -> None:
    """The unit's own assignment, in a role that may ``perm``; checked before the
    transaction so the refusal is audited."""
    require_perm(actor, perm, assignment, message=_(UNIT_ONLY))


def assignment_accept(*, actor: Any, assignment: Assignment, today: date | None = None) -> None:
    """签收: the lead (or a split) unit starts handling."""
    _require_unit(actor, assignment, "proposals.handle_assignment")
    with transaction.atomic():
        assignment, proposal = lock_assignment(assignment)
        require_not_withdrawn(assignment)
        if assignment.accepted_on is not None:
            raise Conflict(_("Your unit has already accepted this proposal."))
        require_allowed(PROPOSAL_FLOW, proposal, "accept")
        assignment.accepted_on = today_or(today)
        assignment.save(update_fields=["accepted_on"])
        transition(proposal, "accept", actor=actor, note=assignment.unit.name)


def assignment_precontact(
    *, actor: Any, assignment: Assignment, when: date, way: str, summary: str
) -> PreContact:
    """办前面商: record the contact with the proposer before replying."""
    _require_unit(actor, assignment, "proposals.handle_assignment")
    summary = clean_text(summary, _("Summary"), required=True, limit=NOTE_MAX * 4)
    precontact_check(when, way)
    with transaction.atomic():
        assignment, proposal = lock_assignment(assignment)
        return precontact_record(
            actor=actor,
            assignment=assignment,
            proposal=proposal,
            when=when,
            way=way,
            summary=summary,
        )


def precontact_check(when: date, way: str) -> None:
    """The way and the date of a pre-contact, checked before anything is written."""
    if way not in PreContact.Way.values:
        raise ValidationFailed(_("Choose how you contacted the proposer."))
    if when > timezone.localdate():
        raise ValidationFailed(_("The contact date cannot be in the future."))


def precontact_record(
    *, actor: Any, assignment: Assignment, proposal: Proposal, when: date, way: str, summary: str
) -> PreContact:
    """The PreContact row and the proposal's "precontact" step, for an
    assignment and its proposal already locked (inside the caller's
    transaction; the caller checked the permission)."""
    require_not_withdrawn(assignment)
    if when < assignment.assigned_on:
        raise ValidationFailed(_("The contact date cannot be before the assignment."))
    transition(
        proposal,
        "precontact",
        actor=actor,
        note=f"{assignment.unit.name}：{PreContact.Way(way).label} {when}",
    )
    return PreContact.objects.create(
        assignment=assignment, date=when, way=way, summary=summary, created_by=actor
    )


def assignment_co_opinion(*, actor: Any, assignment: Assignment, text: str) -> CoUnitOpinion:
    """会办意见: a co-unit sends its opinion to the lead unit."""
    _require_unit(actor, assignment, "proposals.assist_assignment")
    text = clean_text(text, _("Opinion"), required=True, limit=TEXT_MAX)
    with transaction.atomic():
        assignment, proposal = lock_assignment(assignment)
        require_not_withdrawn(assignment)
        transition(proposal, "co_opinion", actor=actor, note=assignment.unit.name)
        opinion = CoUnitOpinion.objects.create(assignment=assignment, text=text, created_by=actor)
        leads = proposal.assignments.filter(
            role=Assignment.Role.LEAD, state=Assignment.State.ACTIVE
        ).select_related("unit")
        for lead in leads:
            notify_on(
                proposal,
                selectors.unit_users(lead.unit),
                _("%(unit)s sent its co-unit opinion on: %(title)s")
                % {"unit": assignment.unit.name, "title": proposal.title},
            )
    return opinion


def assignment_reply(
    *,
    actor: Any,
    assignment: Assignment,
    text: str,
    reply_class: str,
    letter: UploadedFile | None = None,
    today: date | None = None,
) -> Reply:
    """答复: the lead (or split) unit replies with a class of the committee's
    answer-class scheme (its label and whether it counts as solved copied
    onto the reply) and the signed letter. The proposer must have been
    contacted first (办前面商). When every replying unit has replied the
    proposal is "replied" and the evaluation window (the committee's working
    days) starts."""
    _require_unit(actor, assignment, "proposals.reply_assignment")
    text = clean_text(text, _("Reply"), required=True, limit=TEXT_MAX)
    chosen = _answer_class(assignment.committee, reply_class)
    if letter is not None:
        upload_check(letter)
    today = today_or(today)
    with transaction.atomic():
        assignment, proposal = lock_assignment(assignment)
        require_not_withdrawn(assignment)
        if proposal.status == S.ASSIGNED:
            raise Conflict(_("Accept the proposal before replying."))
        require_allowed(PROPOSAL_FLOW, proposal, "reply")
        require_active(assignment)
        if not assignment.contacts.exists():
            raise ValidationFailed(_("Record the contact with the proposer before replying."))
        reply = Reply.objects.create(
            assignment=assignment,
            round=proposal.round,
            text=text,
            reply_class=chosen["code"],
            class_label=chosen["label"],
            solved=chosen["solved"],
            unit_class=chosen["code"],
            unit_class_label=chosen["label"],
            created_by=actor,
        )
        if letter is not None:
            attachment_save(
                committee=proposal.committee,
                owner=reply,
                upload=letter,
                actor=actor,
                purpose=LETTER_PURPOSE,
            )
        transition(assignment, "reply", actor=actor, changes={"replied_on": today})
        still_open = proposal.assignments.filter(
            role__in=REPLYING, state=Assignment.State.ACTIVE
        ).exists()
        note = f"{assignment.unit.name}：{reply.class_label}"
        if still_open:
            transition(proposal, "split_reply", actor=actor, note=note)
            return reply
        transition(
            proposal,
            "reply",
            actor=actor,
            note=note,
            changes={
                "replied_on": today,
                "evaluation_due": workflow.evaluation_due(today, proposal.committee),
            },
        )
        # The co-units' part ends with the lead unit's reply (their opinions are in it).
        for co in proposal.assignments.filter(
            role=Assignment.Role.CO, state=Assignment.State.ACTIVE
        ):
            transition(co, "end", actor=actor, changes={"replied_on": today})
        notify_on(
            proposal,
            proposer_users(proposal),
            _("Your proposal has been replied to; please evaluate it: %(title)s")
            % {"title": proposal.title},
            _("Evaluate by %(date)s.") % {"date": proposal.evaluation_due},
        )
    return reply


def extension_request(
    *, actor: Any, assignment: Assignment, requested_due: date, reason: str
) -> ExtensionRequest:
    """延期: the replying unit asks for a later reply date: at most the
    committee's months after the current deadline for one request (3 by
    default) and after assignment in all (6 by default)."""
    _require_unit(actor, assignment, "proposals.handle_assignment")
    reason = clean_text(reason, _("Reason"), required=True, limit=NOTE_MAX)
    with transaction.atomic():
        assignment, proposal = lock_assignment(assignment)
        require_active(assignment)
        if requested_due <= assignment.due:
            raise ValidationFailed(_("The new date must be after the current deadline."))
        months = workflow.extension_months(proposal.committee)
        limit = workflow.extension_limit(assignment.assigned_on, proposal.committee)
        if requested_due > limit:
            raise ValidationFailed(
                _("An extension may run to %(date)s at the latest (%(months)s months).")
                % {"date": limit, "months": months}
            )
        step_limit = workflow.extension_step_limit(assignment.due, proposal.committee)
        if requested_due > step_limit:
            raise ValidationFailed(
                _("One extension may run to %(date)s at the latest.") % {"date": step_limit}
            )
        if assignment.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
            raise Conflict(_("A request of your unit is already waiting for a decision."))
        transition(
            proposal,
            "request_extension",
            actor=actor,
            note=f"{assignment.unit.name}：{requested_due}，{reason}",
        )
        request = ExtensionRequest.objects.create(
            assignment=assignment, requested_due=requested_due, reason=reason, created_by=actor
        )
        notify_on(
            proposal,
            selectors.proposals_staff(proposal.committee),
            _("%(unit)s asks for an extension: %(title)s")
            % {"unit": assignment.unit.name, "title": proposal.title},
        )
    return request


def _decide(request: Any, approve: bool, actor: Any, committee_id: int) -> None:
    transition(
        request,
        "approve" if approve else "refuse",
        actor=actor,
        changes={"decided_by": actor, "decided_at": timezone.now()},
        committee=committee_id,
    )


def _decided(approve: bool) -> str:
    return str(_("approved")) if approve else str(_("refused"))


def extension_decide(*, actor: Any, request: ExtensionRequest, approve: bool) -> ExtensionRequest:
    require_perm(actor, "proposals.decide_extension", request, message=_(ONLY_OFFICE))
    with transaction.atomic():
        assignment, proposal = lock_assignment(request.assignment)
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ExtensionRequest.State.PENDING:
            raise Conflict(_("This request has already been decided."))
        transition(
            proposal,
            "decide_extension",
            actor=actor,
            note=f"{assignment.unit.name}：{request.requested_due} {_decided(approve)}",
        )
        _decide(request, approve, actor, proposal.committee_id)
        if approve:
            assignment.extended_due = request.requested_due
            assignment.save(update_fields=["extended_due"])
        notify_on(
            proposal,
            selectors.unit_users(assignment.unit),
            (_("Extension approved: %(title)s") if approve else _("Extension refused: %(title)s"))
            % {"title": proposal.title},
        )
    return request


def reassignment_request(
    *, actor: Any, assignment: Assignment, reason: str, today: date | None = None
) -> ReassignmentRequest:
    """退办申请: a unit asks to be relieved, within the committee's working days
    of assignment (10 by default; the date is stored on the assignment)."""
    _require_unit(actor, assignment, "proposals.relinquish_assignment")
    reason = clean_text(reason, _("Reason"), required=True, limit=NOTE_MAX)
    today = today_or(today)
    with transaction.atomic():
        assignment, proposal = lock_assignment(assignment)
        require_active(assignment)
        if today > assignment.reassignment_due:
            raise ValidationFailed(
                _("Reassignment could be asked for until %(date)s.")
                % {"date": assignment.reassignment_due}
            )
        if assignment.reassignment_requests.filter(
            state=ReassignmentRequest.State.PENDING
        ).exists():
            raise Conflict(_("A request of your unit is already waiting for a decision."))
        transition(
            proposal,
            "request_reassignment",
            actor=actor,
            note=f"{assignment.unit.name}：{reason}",
        )
        request = ReassignmentRequest.objects.create(
            assignment=assignment, reason=reason, created_by=actor
        )
        notify_on(
            proposal,
            selectors.proposals_staff(proposal.committee),
            _("%(unit)s asks for reassignment: %(title)s")
            % {"unit": assignment.unit.name, "title": proposal.title},
            reason,
        )
    return request


def reassignment_decide(
    *, actor: Any, request: ReassignmentRequest, approve: bool
) -> ReassignmentRequest:
    """Approving takes the assignment from the unit. If no replying unit is left
    the proposal goes back to "registered" (its co-unit assignments end too)
    and the office assigns it again."""
    require_perm(actor, "proposals.decide_reassignment", request, message=_(ONLY_OFFICE))
    with transaction.atomic():
        assignment, proposal = lock_assignment(request.assignment)
        request = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ReassignmentRequest.State.PENDING:
            raise Conflict(_("This request has already been decided."))
        require_allowed(PROPOSAL_FLOW, proposal, "reassign")
        _decide(request, approve, actor, proposal.committee_id)
        if not approve:
            transition(proposal, "refuse_reassignment", actor=actor, note=assignment.unit.name)
        else:
            transition(assignment, "withdraw", actor=actor)
            replying_left = proposal.assignments.filter(
                role__in=REPLYING, state=Assignment.State.ACTIVE
            ).exists()
            if replying_left:
                transition(proposal, "reassign_unit", actor=actor, note=assignment.unit.name)
            else:
                for other in proposal.assignments.filter(state=Assignment.State.ACTIVE):
                    transition(other, "withdraw", actor=actor)
                transition(proposal, "reassign", actor=actor, note=assignment.unit.name)
        notify_on(
            proposal,
            selectors.unit_users(assignment.unit),
            (
                _("Reassignment approved: %(title)s")
                if approve
                else _("Reassignment refused: %(title)s")
            )
            % {"title": proposal.title},
        )
    return request


def _answer_class(committee: Any, code: str) -> dict[str, Any]:
    """The class ``code`` of the committee's present scheme; else refused."""
    chosen = answer_class(committee, code)
    if chosen is None:
        raise ValidationFailed(
            _("Choose the class of the reply: %(codes)s.")
            % {"codes": "、".join(c["code"] for c in answer_classes(committee))}
        )
    return chosen


def reply_review(*, actor: Any, reply: Reply, reply_class: str, reason: str) -> Reply:
    """The office reviews a reply and changes its class, with a reason; the
    new class's label and ``solved`` are those of the present scheme."""
    require_perm(
        actor, "proposals.review_proposal", reply.assignment.proposal, message=_(ONLY_OFFICE)
    )
    reason = clean_text(reason, _("Reason for changing the class"), required=True, limit=NOTE_MAX)
    chosen = _answer_class(reply.assignment.committee, reply_class)
    with transaction.atomic():
        assignment, proposal = lock_assignment(reply.assignment)
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        if reply.reply_class == reply_class:
            raise ValidationFailed(_("Choose a class different from the present one."))
        transition(
            proposal,
            "review_reply",
            actor=actor,
            note=f"{assignment.unit.name}：{reply.class_label} → {chosen['label']}，{reason}",
        )
        reply.reply_class, reply.class_change_reason = chosen["code"], reason
        reply.class_label, reply.solved = chosen["label"], chosen["solved"]
        reply.save(update_fields=["reply_class", "class_label", "solved", "class_change_reason"])
    return reply


def quality_rate(
    *, actor: Any, assignment: Assignment, rating: str, comments: str = ""
) -> QualityRating:
    """双向评价: the replying unit rates the quality of the proposal, once."""
    _require_unit(actor, assignment, "proposals.handle_assignment")
    comments = clean_text(comments, _("Comments"), required=False, limit=NOTE_MAX)
    if rating not in QualityRating.Rating.values:
        raise ValidationFailed(_("Choose a rating."))
    with transaction.atomic():
        assignment, proposal = lock_assignment(assignment)
        require_not_withdrawn(assignment)
        if QualityRating.objects.filter(assignment=assignment).exists():
            raise Conflict(_("Your unit has already rated this proposal."))
        transition(
            proposal,
            "rate_quality",
            actor=actor,
            note=f"{assignment.unit.name}：{QualityRating.Rating(rating).label}",
        )
        return QualityRating.objects.create(
            assignment=assignment, rating=rating, comments=comments, created_by=actor
        )

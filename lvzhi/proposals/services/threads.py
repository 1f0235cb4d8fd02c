"""办理沟通: the message thread on an assignment between the assigned unit and
the proposers (the lead proposer and the confirmed co-signers). The unit
must contact the proposer within the committee's working days (办前面商): a
unit's message can be that record, with its date and way, and then counts
as the assignment's contact exactly as one recorded on the proposal page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, PermissionDenied
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import has_perm, require_perm
from lvzhi.proposals import selectors
from lvzhi.proposals.audit import ASSIGNMENT_MESSAGE
from lvzhi.proposals.models import MESSAGE_MAX, Assignment, AssignmentMessage, Proposal
from lvzhi.proposals.services._common import (
    clean_text,
    lock_assignment,
    proposer_users,
    require_not_withdrawn,
    today_or,
)
from lvzhi.proposals.services.handling import precontact_check, precontact_record

ONLY_THREAD = gettext_noop("Only the assigned unit and the proposers may write here.")
ONLY_REPLYING_UNIT = gettext_noop("Only the replying unit may record the pre-reply contact.")


def thread_url(assignment: Assignment) -> str:
    return reverse("proposals:thread", args=[assignment.pk])


def _side_of(actor: Any, assignment: Assignment) -> str:
    """The side the actor writes from: the unit's, else the proposers'."""
    if has_perm(actor, "proposals.write_as_unit", assignment):
        return AssignmentMessage.Side.UNIT
    return AssignmentMessage.Side.PROPOSER


def _author_name(actor: Any, assignment: Assignment, proposal: Proposal, side: str) -> str:
    user_name = getattr(actor, "display_name", "") or getattr(actor, "username", "")
    if side == AssignmentMessage.Side.UNIT:
        return f"{assignment.unit.name} {user_name}".strip()[:100]
    if proposal.proposer.person.user_id == actor.pk:
        return proposal.proposer.person.name[:100]
    member = selectors.cosigning_member(proposal, actor)
    return (member.person.name if member is not None else user_name)[:100]


def assignment_message_add(
    *,
    actor: Any,
    assignment: Assignment,
    text: str,
    contact_way: str = "",
    contact_date: date | None = None,
) -> AssignmentMessage:
    """A message on the assignment's thread, from the unit or from a proposer;
    the other side is notified. A unit's message with ``contact_way`` (and
    its date) is also its 办前面商 record (a PreContact row and the
    proposal's "precontact" step, in the same transaction)."""
    require_perm(actor, "proposals.write_assignment_message", assignment, message=_(ONLY_THREAD))
    text = clean_text(text, _("Message"), required=True, limit=MESSAGE_MAX)
    side = _side_of(actor, assignment)
    if contact_way or contact_date:
        if side != AssignmentMessage.Side.UNIT:
            raise PermissionDenied(_(ONLY_REPLYING_UNIT))
        require_perm(
            actor, "proposals.handle_assignment", assignment, message=_(ONLY_REPLYING_UNIT)
        )
        if contact_date is None:
            contact_date = today_or(None)
        precontact_check(contact_date, contact_way)
    with transaction.atomic():
        assignment, proposal = lock_assignment(assignment)
        require_not_withdrawn(assignment)
        if proposal.status == Proposal.Status.CLOSED:
            raise Conflict(_("The proposal is closed; its thread can no longer be written to."))
        contact = None
        if contact_way and contact_date is not None:
            contact = precontact_record(
                actor=actor,
                assignment=assignment,
                proposal=proposal,
                when=contact_date,
                way=contact_way,
                summary=text,
            )
        message = AssignmentMessage.objects.create(
            committee_id=assignment.committee_id,
            assignment=assignment,
            side=side,
            author=actor,
            author_name=_author_name(actor, assignment, proposal, side),
            text=text,
            precontact=contact,
        )
        audit_log(
            action=ASSIGNMENT_MESSAGE,
            actor=actor,
            obj=assignment,
            side=side,
            message=message.pk,
            precontact=contact.pk if contact is not None else None,
        )
        if side == AssignmentMessage.Side.UNIT:
            recipients = [u for u in proposer_users(proposal) if u.pk != actor.pk]
            title = _("%(unit)s wrote to you about your proposal: %(title)s") % {
                "unit": assignment.unit.name,
                "title": proposal.title,
            }
        else:
            recipients = [u for u in selectors.unit_users(assignment.unit) if u.pk != actor.pk]
            title = _("%(name)s wrote to your unit about the proposal: %(title)s") % {
                "name": message.author_name,
                "title": proposal.title,
            }
        notify(
            recipients=recipients,
            title=title,
            body=text[:200],
            url=thread_url(assignment),
            committee=proposal.committee,
        )
    return message

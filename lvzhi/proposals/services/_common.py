"""What the proposal services share: row locks, text checks, the proposers
to notify, shared duty records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.core.workflow import Workflow, refuse_state
from lvzhi.duties.services import duty_record, duty_records_withdraw
from lvzhi.org.models import Member
from lvzhi.proposals.audit import PROPOSAL_CREATE
from lvzhi.proposals.models import Assignment, CoSigner, Proposal, ProposalEvent

S = Proposal.Status
# Who a refusal names (the permission of rules.py decides).
ONLY_PROPOSER = gettext_noop("Only the lead proposer may do this.")
ONLY_OFFICE = gettext_noop("Only the proposal office may do this.")
ONLY_LEADER = gettext_noop("Only a member of the chairpersons' meeting may do this.")
ATTACHMENT_PURPOSE = "proposal"
LETTER_PURPOSE = "reply_letter"


def lock(proposal: Proposal) -> Proposal:
    """The proposal re-read under a row lock: the state we check is the state we change."""
    return (
        Proposal.objects.select_for_update().select_related("proposer__person").get(pk=proposal.pk)
    )


def lock_assignment(assignment: Assignment) -> tuple[Assignment, Proposal]:
    proposal = lock(assignment.proposal)
    locked = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    return locked, proposal


def require_allowed(flow: Workflow, obj: Any, action: str) -> None:
    """Conflict unless the table allows ``action`` in the object's state now."""
    if not flow.allowed(obj, action):
        raise refuse_state(flow, obj)


def require_not_withdrawn(assignment: Assignment) -> None:
    if assignment.state == Assignment.State.WITHDRAWN:
        raise Conflict(_("This assignment has been taken from your unit."))


def require_active(assignment: Assignment) -> None:
    require_not_withdrawn(assignment)
    if assignment.state != Assignment.State.ACTIVE:
        raise Conflict(_("Your unit has already replied."))


def same_committee(obj: Any, committee_id: int, message: str) -> None:
    if obj is not None and obj.committee_id != committee_id:
        raise ValidationFailed(message)


def clean_text(value: str, label: str, *, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%(field)s must not be empty.") % {"field": label})
    if len(value) > limit:
        raise ValidationFailed(
            _("%(field)s is too long (at most %(limit)s characters).")
            % {"field": label, "limit": limit}
        )
    return value


def url_of(proposal: Proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def today_or(today: date | None) -> date:
    return today or timezone.localdate()


def created(proposal: Proposal, actor: Any, note: str = "") -> None:
    """The first line of a new draft's timeline, and its audit row."""
    ProposalEvent.objects.create(
        proposal=proposal,
        from_state="",
        to_state=proposal.status,
        action="create",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    audit_log(action=PROPOSAL_CREATE, actor=actor, obj=proposal)


def confirmed_cosigners(proposal: Proposal) -> list[Member]:
    return [
        c.member
        for c in proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).select_related(
            "member__person"
        )
    ]


def proposer_users(proposal: Proposal) -> list[Any]:
    users = [proposal.proposer.person.user]
    users += [m.person.user for m in confirmed_cosigners(proposal)]
    return [u for u in users if u is not None]


def share_of(n: int) -> Decimal:
    """Each of n co-signers' share of one duty, rounded down to 4 places."""
    return (Decimal(1) / Decimal(n)).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)


def record_shared(proposal: Proposal, kind: str, when: date, actor: Any) -> None:
    """Lead proposer share 1; confirmed co-signers share 1 between them (documented)."""
    record_lead(proposal, kind, actor, when)
    cosigners = confirmed_cosigners(proposal)
    for member in cosigners:
        duty_record(
            member=member,
            kind=kind,
            date=when,
            source=proposal,
            actor=actor,
            share=share_of(len(cosigners)),
            title=proposal.title,
        )


def record_lead(proposal: Proposal, kind: str, actor: Any, when: date | None = None) -> None:
    """A duty of the lead proposer alone, dated ``when`` (today by default)."""
    duty_record(
        member=proposal.proposer,
        kind=kind,
        date=when or timezone.localdate(),
        source=proposal,
        actor=actor,
        title=proposal.title,
    )


def duty_withdraw(proposal: Proposal, kind: str, actor: Any, reason: str) -> None:
    """The duty records of one kind that the proposal gave, withdrawn (unmarked, unselected)."""
    duty_records_withdraw(source=proposal, actor=actor, kinds=[kind], reason=reason)


def notify_on(proposal: Proposal, recipients: Iterable[Any], title: str, body: str = "") -> None:
    """A notification about the proposal: it links to the proposal's page, in its committee."""
    notify(
        recipients=recipients,
        title=title,
        body=body,
        url=url_of(proposal),
        committee=proposal.committee,
    )

"""Writes of the proposal chain: one function per action (DESIGN §4–5).

Each is keyword-only, takes ``actor=``, runs in one transaction, locks the
proposal row, checks the state table (workflow.py) and the actor's role,
writes a ProposalEvent and an audit row, records duties and notifies whoever
must act next. A refusal raises a DomainError with a Chinese message and
writes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.roles import has_role, unit_ids_of
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.files import attachment_save, upload_check
from lvzhi.core.notifications import notify
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record, duty_records_withdraw
from lvzhi.org.models import Committee, HandlingUnit, Member, PlenarySession
from lvzhi.org.selectors import current_term
from lvzhi.proposals import selectors, workflow
from lvzhi.proposals.models import (
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Assignment,
    CoSigner,
    CoUnitOpinion,
    DeclineGround,
    Evaluation,
    ExcellentList,
    ExtensionRequest,
    NumberCounter,
    PreContact,
    Proposal,
    ProposalCategory,
    ProposalEvent,
    QualityRating,
    ReassignmentRequest,
    Reply,
    Satisfaction,
    SupervisionNote,
)

S = Proposal.Status
ATTACHMENT_PURPOSE = "proposal"
LETTER_PURPOSE = "reply_letter"


# --- Helpers -------------------------------------------------------------------------


def _lock(proposal: Proposal) -> Proposal:
    """The proposal re-read under a row lock: the state we check is the state we change."""
    return (
        Proposal.objects.select_for_update().select_related("proposer__person").get(pk=proposal.pk)
    )


def _lock_assignment(assignment: Assignment) -> tuple[Assignment, Proposal]:
    proposal = _lock(assignment.proposal)
    locked = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    return locked, proposal


def _refuse_state(proposal: Proposal) -> Conflict:
    return Conflict(
        _("This cannot be done while the proposal is “%(state)s”.")
        % {"state": proposal.get_status_display()}
    )


def _event(proposal: Proposal, action: str, actor: Any, note: str = "", *, to: str = "") -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        from_state=proposal.status,
        to_state=to or proposal.status,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def _transition(
    proposal: Proposal, action: str, actor: Any, note: str = "", fields: Sequence[str] = ()
) -> str:
    new_state = workflow.target(proposal.status, action)
    if new_state is None:
        raise _refuse_state(proposal)
    _event(proposal, action, actor, note, to=new_state)
    old = proposal.status
    proposal.status = new_state
    proposal.save(update_fields=["status", "updated_at", *fields])
    audit_log(
        action=f"proposal.{action}",
        actor=actor,
        obj=proposal,
        committee=proposal.committee,
        from_state=old,
        to_state=new_state,
    )
    return new_state


def _in_place(proposal: Proposal, action: str, actor: Any, note: str = "") -> None:
    """An action that does not move the state: checked against IN_PLACE, logged."""
    if not workflow.allowed(proposal.status, action):
        raise _refuse_state(proposal)
    _event(proposal, action, actor, note)
    audit_log(action=f"proposal.{action}", actor=actor, obj=proposal, committee=proposal.committee)


def _is_proposer(actor: Any, proposal: Proposal) -> bool:
    return bool(actor.is_authenticated and proposal.proposer.person.user_id == actor.pk)


def _require_proposer(actor: Any, proposal: Proposal) -> None:
    if not _is_proposer(actor, proposal):
        raise PermissionDenied(_("Only the lead proposer may do this."))


def _require_staff(actor: Any, obj: Any) -> None:
    if not has_role(actor, obj, Role.STAFF, Area.PROPOSALS):
        raise PermissionDenied(_("Only the proposal office may do this."))


def _require_leader(actor: Any, obj: Any) -> None:
    if not has_role(actor, obj, Role.LEADER):
        raise PermissionDenied(_("Only a member of the chairpersons' meeting may do this."))


def _require_unit(actor: Any, assignment: Assignment, *roles: str) -> None:
    if assignment.unit_id not in unit_ids_of(actor, assignment):
        raise PermissionDenied(_("Only the assigned unit may do this."))
    if roles and assignment.role not in roles:
        raise PermissionDenied(_("Your unit's role in this proposal does not allow this."))
    if assignment.state == Assignment.State.WITHDRAWN:
        raise Conflict(_("This assignment has been taken from your unit."))


def _same_committee(obj: Any, committee_id: int, message: str) -> None:
    if obj is not None and obj.committee_id != committee_id:
        raise ValidationFailed(message)


def _text(value: str, label: str, *, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%(field)s must not be empty.") % {"field": label})
    if len(value) > limit:
        raise ValidationFailed(
            _("%(field)s is too long (at most %(limit)s characters).")
            % {"field": label, "limit": limit}
        )
    return value


def _url(proposal: Proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _confirmed_cosigners(proposal: Proposal) -> list[Member]:
    return [
        c.member
        for c in proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).select_related(
            "member__person"
        )
    ]


def _proposer_users(proposal: Proposal) -> list[Any]:
    users = [proposal.proposer.person.user]
    users += [m.person.user for m in _confirmed_cosigners(proposal)]
    return [u for u in users if u is not None]


def _share(n: int) -> Decimal:
    """Each of n co-signers' share of one duty, rounded down to 4 places."""
    return (Decimal(1) / Decimal(n)).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)


def _record_shared(proposal: Proposal, kind: str, when: date, actor: Any) -> None:
    """Lead proposer share 1; confirmed co-signers share 1 between them (documented)."""
    duty_record(
        member=proposal.proposer,
        kind=kind,
        date=when,
        source=proposal,
        actor=actor,
        title=proposal.title,
    )
    cosigners = _confirmed_cosigners(proposal)
    for member in cosigners:
        duty_record(
            member=member,
            kind=kind,
            date=when,
            source=proposal,
            actor=actor,
            share=_share(len(cosigners)),
            title=proposal.title,
        )


# --- 提: drafting and submitting ----------------------------------------------------------


def proposal_draft_save(
    *,
    actor: Any,
    committee: Committee,
    proposal: Proposal | None = None,
    title: str,
    category: ProposalCategory | None,
    kind: str,
    reason: str,
    suggestions: str,
    session: PlenarySession | None = None,
    on_behalf_of: str = "",
    cosigners: Iterable[Member] = (),
    attachments: Iterable[UploadedFile] = (),
    token: uuid.UUID | None = None,
) -> Proposal:
    """Create a draft (``proposal`` None) or save changes to one. A repeated
    POST of the same new-draft form (same ``token``) returns the first draft."""
    title = _text(title, _("Title"), required=True, limit=TITLE_MAX)
    reason = _text(reason, _("Reason for the proposal"), required=False, limit=TEXT_MAX)
    suggestions = _text(suggestions, _("Suggestions"), required=False, limit=TEXT_MAX)
    on_behalf_of = _text(on_behalf_of, _("Filed in the name of"), required=False, limit=64)
    if kind not in Proposal.Kind.values:
        raise ValidationFailed(_("Choose a valid kind of proposal."))
    _same_committee(category, committee.pk, _("Choose a category of this committee."))
    if (
        category is not None
        and (proposal is None or proposal.category_id != category.pk)
        and not ProposalCategory.objects.filter(pk=category.pk, is_active=True).exists()
    ):
        # Re-read: the row may have been deactivated since the form was shown.
        raise ValidationFailed(_("This category is no longer in use; choose another."))
    _same_committee(session, committee.pk, _("Choose a plenary session of this committee."))
    uploads = list(attachments)
    for upload in uploads:
        upload_check(upload)
    with transaction.atomic():
        if proposal is None:
            if token is not None:
                existing = Proposal.objects.filter(create_token=token, committee=committee).first()
                if existing is not None:
                    return existing
            from lvzhi.org.selectors import member_of_user

            member = member_of_user(actor, committee)
            if member is None or member.status != Member.Status.IN_OFFICE:
                raise PermissionDenied(_("Only members in office may file proposals."))
            term = current_term(committee)
            if term is None or member.term_id != term.pk:
                raise PermissionDenied(_("Only members of the current term may file proposals."))
            if session is not None and session.term_id != term.pk:
                raise ValidationFailed(_("Choose a plenary session of the current term."))
            try:
                with transaction.atomic():
                    proposal = Proposal.objects.create(
                        committee=committee,
                        term=term,
                        session=session,
                        title=title,
                        category=category,
                        kind=kind,
                        reason=reason,
                        suggestions=suggestions,
                        on_behalf_of=on_behalf_of,
                        proposer=member,
                        create_token=token,
                    )
            except IntegrityError:
                # The same form posted twice at once: the other request created it.
                return Proposal.objects.get(create_token=token)
            _event(proposal, "create", actor)
        else:
            proposal = _lock(proposal)
            _require_proposer(actor, proposal)
            if proposal.status not in (S.DRAFT, S.RETURNED):
                raise _refuse_state(proposal)
            if session is not None and session.term_id != proposal.term_id:
                raise ValidationFailed(_("Choose a plenary session of the current term."))
            proposal.title, proposal.category, proposal.kind = title, category, kind
            proposal.reason, proposal.suggestions, proposal.session = reason, suggestions, session
            proposal.on_behalf_of = on_behalf_of
            proposal.save(
                update_fields=[
                    "title",
                    "category",
                    "kind",
                    "reason",
                    "suggestions",
                    "session",
                    "on_behalf_of",
                    "updated_at",
                ]
            )
        _cosigners_set(proposal, list(cosigners), actor)
        for upload in uploads:
            attachment_save(
                committee=committee,
                owner=proposal,
                upload=upload,
                actor=actor,
                purpose=ATTACHMENT_PURPOSE,
            )
    return proposal


def _cosigners_set(proposal: Proposal, members: list[Member], actor: Any) -> None:
    if proposal.kind != Proposal.Kind.JOINT:
        members = []
    wanted = {m.pk: m for m in members}
    for member in members:
        if member.committee_id != proposal.committee_id:
            raise ValidationFailed(_("Co-signers must be members of this committee."))
        if member.status != Member.Status.IN_OFFICE or member.term_id != proposal.term_id:
            raise ValidationFailed(
                _("%(name)s is not a member in office of the current term.")
                % {"name": member.person.name}
            )
        if member.pk == proposal.proposer_id:
            raise ValidationFailed(_("The lead proposer cannot co-sign their own proposal."))
    existing = {c.member_id: c for c in proposal.cosigners.all()}
    removed = [c.pk for mid, c in existing.items() if mid not in wanted]
    if removed:
        CoSigner.objects.filter(pk__in=removed).delete()
    new = [m for mid, m in wanted.items() if mid not in existing]
    for member in new:
        CoSigner.objects.create(proposal=proposal, member=member)
    if new:
        notify(
            recipients=[m.person.user for m in new],
            title=_("You are invited to co-sign a proposal: %(title)s") % {"title": proposal.title},
            body=_("%(name)s invites you to co-sign. Please confirm or refuse.")
            % {"name": proposal.proposer.person.name},
            url=reverse("proposals:cosign_inbox"),
            committee=proposal.committee,
        )


def proposal_attachment_add(*, actor: Any, proposal: Proposal, upload: UploadedFile) -> Any:
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_proposer(actor, proposal)
        if proposal.status not in (S.DRAFT, S.RETURNED):
            raise _refuse_state(proposal)
        return attachment_save(
            committee=proposal.committee,
            owner=proposal,
            upload=upload,
            actor=actor,
            purpose=ATTACHMENT_PURPOSE,
        )


def cosigner_answer(*, actor: Any, proposal: Proposal, confirm: bool) -> CoSigner:
    """An invited co-signer confirms or refuses (while the draft is open)."""
    with transaction.atomic():
        proposal = _lock(proposal)
        cosigner = (
            CoSigner.objects.select_for_update()
            .filter(proposal=proposal, member__person__user=actor)
            .select_related("member__person")
            .first()
        )
        if cosigner is None:
            raise PermissionDenied(_("You are not invited to co-sign this proposal."))
        if not workflow.allowed(proposal.status, "cosign_answer"):
            raise _refuse_state(proposal)
        cosigner.state = CoSigner.State.CONFIRMED if confirm else CoSigner.State.REFUSED
        cosigner.answered_at = timezone.now()
        cosigner.save(update_fields=["state", "answered_at"])
        _in_place(
            proposal,
            "cosign_answer",
            actor,
            (_("%(name)s confirmed") if confirm else _("%(name)s refused"))
            % {"name": cosigner.member.person.name},
        )
        notify(
            recipients=[proposal.proposer.person.user],
            title=(
                _("%(name)s confirmed co-signing “%(title)s”")
                if confirm
                else _("%(name)s refused to co-sign “%(title)s”")
            )
            % {"name": cosigner.member.person.name, "title": proposal.title},
            url=_url(proposal),
            committee=proposal.committee,
        )
    return cosigner


def proposal_submit(*, actor: Any, proposal: Proposal, today: date | None = None) -> Proposal:
    """Submit a draft (or a returned proposal) to the proposal office.

    Two submits of one draft (double click, two tabs) give one submission:
    the second finds the state moved on under the row lock and is refused."""
    today = _today(today)
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_proposer(actor, proposal)
        if workflow.target(proposal.status, "submit") is None:
            raise _refuse_state(proposal)
        errors = []
        if not proposal.reason.strip():
            errors.append(_("The reason (案由) must not be empty."))
        if not proposal.suggestions.strip():
            errors.append(_("The suggestions (办法) must not be empty."))
        if proposal.category_id is None:
            errors.append(_("Choose a category."))
        if (
            proposal.kind
            in (Proposal.Kind.SECTOR, Proposal.Kind.PARTY, Proposal.Kind.SPECIAL_COMMITTEE)
            and not proposal.on_behalf_of
        ):
            errors.append(_("Say in whose name this proposal is filed."))
        if proposal.kind == Proposal.Kind.JOINT:
            states = list(proposal.cosigners.values_list("state", flat=True))
            if not states:
                errors.append(_("A joint proposal needs at least one co-signer."))
            elif CoSigner.State.INVITED in states:
                errors.append(_("Every invited co-signer must answer before you submit."))
            elif CoSigner.State.CONFIRMED not in states:
                errors.append(_("No co-signer has confirmed: submit it as an individual proposal."))
        if proposal.session_id is not None:
            session = PlenarySession.objects.get(pk=proposal.session_id)
            if not session.proposal_window_start <= today <= session.proposal_window_end:
                errors.append(
                    _("Plenary proposals of %(session)s are accepted from %(start)s to %(end)s.")
                    % {
                        "session": session.name,
                        "start": session.proposal_window_start,
                        "end": session.proposal_window_end,
                    }
                )
        if errors:
            raise ValidationFailed(errors[0], errors)
        proposal.submitted_at = timezone.now()
        _transition(proposal, "submit", actor, fields=["submitted_at"])
        _record_shared(proposal, DutyKind.PROPOSAL_FILED, today, actor)
        notify(
            recipients=selectors.proposals_staff(proposal.committee),
            title=_("New proposal to review: %(title)s") % {"title": proposal.title},
            url=_url(proposal),
            committee=proposal.committee,
        )
    return proposal


def proposal_withdraw(*, actor: Any, proposal: Proposal, reason: str = "") -> Proposal:
    """The proposer withdraws before review; the duty records of filing go too."""
    reason = _text(reason, _("Reason"), required=False, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_proposer(actor, proposal)
        was_submitted = proposal.status in (S.SUBMITTED, S.RETURNED)
        _transition(proposal, "withdraw", actor, reason)
        if was_submitted:
            duty_records_withdraw(source=proposal, actor=actor, reason=_("Proposal withdrawn"))
    return proposal


# --- 立: review -----------------------------------------------------------------------------


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
    note = _text(note, _("Note"), required=False, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_staff(actor, proposal)
        if workflow.target(proposal.status, "register") is None:
            raise _refuse_state(proposal)
        proposal.number = _next_number(proposal)
        proposal.registered_at = timezone.now()
        _transition(proposal, "register", actor, note, fields=["number", "registered_at"])
        duty_record(
            member=proposal.proposer,
            kind=DutyKind.PROPOSAL_REGISTERED,
            date=timezone.localdate(),
            source=proposal,
            actor=actor,
            title=proposal.title,
        )
        notify(
            recipients=_proposer_users(proposal),
            title=_("Your proposal was registered as No. %(number)s")
            % {"number": f"{proposal.number:04d}"},
            body=proposal.title,
            url=_url(proposal),
            committee=proposal.committee,
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
    note = _text(note, _("Note"), required=False, limit=NOTE_MAX)
    if ground is None:
        raise ValidationFailed(_("Choose a ground for declining."))
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_staff(actor, proposal)
        _same_committee(ground, proposal.committee_id, _("Choose a ground of this committee."))
        if not DeclineGround.objects.filter(pk=ground.pk, is_active=True).exists():
            raise ValidationFailed(_("This ground is no longer in use; choose another."))
        if workflow.target(proposal.status, "decline") is None:
            raise _refuse_state(proposal)
        proposal.decline_ground = ground
        _transition(
            proposal,
            "decline",
            actor,
            f"{ground.text}{'：' + note if note else ''}",
            fields=["decline_ground"],
        )
        notify(
            recipients=_proposer_users(proposal),
            title=_("Your proposal was not registered: %(title)s") % {"title": proposal.title},
            body=ground.text,
            url=_url(proposal),
            committee=proposal.committee,
        )
        if letter_unit is not None:
            _convert(proposal, letter_unit, actor)
    return proposal


def _convert(proposal: Proposal, unit: HandlingUnit, actor: Any) -> None:
    _same_committee(unit, proposal.committee_id, _("Choose a handling unit of this committee."))
    if proposal.letter_unit_id is not None:
        raise Conflict(_("This proposal was already forwarded as a suggestion letter."))
    proposal.letter_unit = unit
    proposal.save(update_fields=["letter_unit", "updated_at"])
    _in_place(proposal, "convert", actor, unit.name)
    notify(
        recipients=selectors.unit_users(unit),
        title=_("A suggestion letter was forwarded to your unit: %(title)s")
        % {"title": proposal.title},
        url=_url(proposal),
        committee=proposal.committee,
    )


def proposal_convert(*, actor: Any, proposal: Proposal, unit: HandlingUnit) -> Proposal:
    """转为建议函: forward a declined proposal to a unit as a suggestion letter."""
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_staff(actor, proposal)
        _convert(proposal, unit, actor)
    return proposal


def proposal_return(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    """退回修改: back to the proposer with a reason; they edit and submit again."""
    reason = _text(reason, _("Reason for return"), required=True, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_staff(actor, proposal)
        proposal.return_reason = reason
        _transition(proposal, "return", actor, reason, fields=["return_reason"])
        notify(
            recipients=[proposal.proposer.person.user],
            title=_("Your proposal was returned for revision: %(title)s")
            % {"title": proposal.title},
            body=reason,
            url=_url(proposal),
            committee=proposal.committee,
        )
    return proposal


def proposal_merge(*, actor: Any, proposal: Proposal, into: Proposal, note: str = "") -> Proposal:
    """并案: merge a submitted proposal into a registered one. Its proposers are
    credited with proposal_registered (source: the merged proposal)."""
    note = _text(note, _("Note"), required=False, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_staff(actor, proposal)
        if into.committee_id != proposal.committee_id:
            raise ValidationFailed(_("A proposal can only be merged into one of this committee."))
        target = _lock(into)
        if target.pk == proposal.pk or target.status not in workflow.MERGE_TARGETS:
            raise ValidationFailed(_("Merge only into another registered proposal."))
        proposal.merged_into = target
        label = f"{target.number_label} {target.title}"
        _transition(
            proposal, "merge", actor, label + (f"：{note}" if note else ""), fields=["merged_into"]
        )
        _event(target, "merge_in", actor, f"{proposal.title}（{proposal.proposer.person.name}）")
        duty_record(
            member=proposal.proposer,
            kind=DutyKind.PROPOSAL_REGISTERED,
            date=timezone.localdate(),
            source=proposal,
            actor=actor,
            title=proposal.title,
        )
        notify(
            recipients=_proposer_users(proposal),
            title=_("Your proposal was merged into %(number)s %(title)s")
            % {"number": target.number_label, "title": target.title},
            url=_url(proposal),
            committee=proposal.committee,
        )
    return proposal


# --- 办: handling ----------------------------------------------------------------------------


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
    Deadlines count from the day of assignment (workflow.assignment_deadlines)."""
    today = _today(today)
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
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_staff(actor, proposal)
        for unit, _role in units:
            _same_committee(
                unit, proposal.committee_id, _("Choose handling units of this committee.")
            )
            if not unit.is_active:
                raise ValidationFailed(_("%(unit)s is not active.") % {"unit": unit.name})
        if workflow.target(proposal.status, "assign") is None:
            raise _refuse_state(proposal)
        deadlines = workflow.assignment_deadlines(today)
        created = [
            Assignment.objects.create(
                committee_id=proposal.committee_id,
                proposal=proposal,
                unit=unit,
                role=role,
                assigned_on=today,
                **deadlines,
            )
            for unit, role in units
        ]
        names = "、".join(f"{u.name}（{Assignment.Role(r).label}）" for u, r in units)
        _transition(proposal, "assign", actor, names)
        for assignment in created:
            notify(
                recipients=selectors.unit_users(assignment.unit),
                title=_("A proposal was assigned to your unit: %(title)s")
                % {"title": proposal.title},
                body=_("Reply by %(date)s.") % {"date": assignment.reply_due},
                url=_url(proposal),
                committee=proposal.committee,
            )
    return created


def assignment_accept(*, actor: Any, assignment: Assignment, today: date | None = None) -> None:
    """签收: the lead (or a split) unit starts handling."""
    with transaction.atomic():
        assignment, proposal = _lock_assignment(assignment)
        _require_unit(actor, assignment, Assignment.Role.LEAD, Assignment.Role.SPLIT)
        if assignment.accepted_on is not None:
            raise Conflict(_("Your unit has already accepted this proposal."))
        if proposal.status not in (S.ASSIGNED, S.IN_HANDLING):
            raise _refuse_state(proposal)
        assignment.accepted_on = _today(today)
        assignment.save(update_fields=["accepted_on"])
        if proposal.status == S.ASSIGNED:
            _transition(proposal, "accept", actor, assignment.unit.name)
        else:
            _event(proposal, "accept", actor, assignment.unit.name)


def assignment_precontact(
    *, actor: Any, assignment: Assignment, when: date, way: str, summary: str
) -> PreContact:
    """办前面商: record the contact with the proposer before replying."""
    summary = _text(summary, _("Summary"), required=True, limit=NOTE_MAX * 4)
    if way not in PreContact.Way.values:
        raise ValidationFailed(_("Choose how you contacted the proposer."))
    if when > timezone.localdate():
        raise ValidationFailed(_("The contact date cannot be in the future."))
    with transaction.atomic():
        assignment, proposal = _lock_assignment(assignment)
        _require_unit(actor, assignment, Assignment.Role.LEAD, Assignment.Role.SPLIT)
        if when < assignment.assigned_on:
            raise ValidationFailed(_("The contact date cannot be before the assignment."))
        _in_place(
            proposal,
            "precontact",
            actor,
            f"{assignment.unit.name}：{PreContact.Way(way).label} {when}",
        )
        contact = PreContact.objects.create(
            assignment=assignment, date=when, way=way, summary=summary, created_by=actor
        )
    return contact


def assignment_co_opinion(*, actor: Any, assignment: Assignment, text: str) -> CoUnitOpinion:
    """会办意见: a co-unit sends its opinion to the lead unit."""
    text = _text(text, _("Opinion"), required=True, limit=TEXT_MAX)
    with transaction.atomic():
        assignment, proposal = _lock_assignment(assignment)
        _require_unit(actor, assignment, Assignment.Role.CO)
        _in_place(proposal, "co_opinion", actor, assignment.unit.name)
        opinion = CoUnitOpinion.objects.create(assignment=assignment, text=text, created_by=actor)
        leads = proposal.assignments.filter(
            role=Assignment.Role.LEAD, state=Assignment.State.ACTIVE
        ).select_related("unit")
        for lead in leads:
            notify(
                recipients=selectors.unit_users(lead.unit),
                title=_("%(unit)s sent its co-unit opinion on: %(title)s")
                % {"unit": assignment.unit.name, "title": proposal.title},
                url=_url(proposal),
                committee=proposal.committee,
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
    """答复: the lead (or split) unit replies with class A/B/C and the signed
    letter. The proposer must have been contacted first (办前面商). When every
    replying unit has replied the proposal is "replied" and the evaluation
    window (15 working days) starts."""
    text = _text(text, _("Reply"), required=True, limit=TEXT_MAX)
    if reply_class not in Reply.Class.values:
        raise ValidationFailed(_("Choose the class of the reply (A, B or C)."))
    if letter is not None:
        upload_check(letter)
    today = _today(today)
    with transaction.atomic():
        assignment, proposal = _lock_assignment(assignment)
        _require_unit(actor, assignment, Assignment.Role.LEAD, Assignment.Role.SPLIT)
        if proposal.status not in (S.IN_HANDLING, S.REHANDLING):
            if proposal.status == S.ASSIGNED:
                raise Conflict(_("Accept the proposal before replying."))
            raise _refuse_state(proposal)
        if assignment.state != Assignment.State.ACTIVE:
            raise Conflict(_("Your unit has already replied."))
        if not assignment.contacts.exists():
            raise ValidationFailed(_("Record the contact with the proposer before replying."))
        reply = Reply.objects.create(
            assignment=assignment,
            round=proposal.round,
            text=text,
            reply_class=reply_class,
            unit_class=reply_class,
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
        assignment.state = Assignment.State.REPLIED
        assignment.replied_on = today
        assignment.save(update_fields=["state", "replied_on"])
        still_open = proposal.assignments.filter(
            role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT],
            state=Assignment.State.ACTIVE,
        ).exists()
        note = f"{assignment.unit.name}：{reply.get_reply_class_display()}"
        if still_open:
            _in_place(proposal, "split_reply", actor, note)
            return reply
        proposal.replied_on = today
        proposal.evaluation_due = workflow.evaluation_due(today)
        _transition(proposal, "reply", actor, note, fields=["replied_on", "evaluation_due"])
        # The co-units' part ends with the lead unit's reply (their opinions are in it).
        proposal.assignments.filter(role=Assignment.Role.CO, state=Assignment.State.ACTIVE).update(
            state=Assignment.State.REPLIED, replied_on=today
        )
        notify(
            recipients=_proposer_users(proposal),
            title=_("Your proposal has been replied to; please evaluate it: %(title)s")
            % {"title": proposal.title},
            body=_("Evaluate by %(date)s.") % {"date": proposal.evaluation_due},
            url=_url(proposal),
            committee=proposal.committee,
        )
    return reply


def extension_request(
    *, actor: Any, assignment: Assignment, requested_due: date, reason: str
) -> ExtensionRequest:
    """延期: the replying unit asks for a later reply date (at most 6 months after assignment)."""
    reason = _text(reason, _("Reason"), required=True, limit=NOTE_MAX)
    with transaction.atomic():
        assignment, proposal = _lock_assignment(assignment)
        _require_unit(actor, assignment, Assignment.Role.LEAD, Assignment.Role.SPLIT)
        if assignment.state != Assignment.State.ACTIVE:
            raise Conflict(_("Your unit has already replied."))
        if requested_due <= assignment.due:
            raise ValidationFailed(_("The new date must be after the current deadline."))
        limit = workflow.extension_limit(assignment.assigned_on)
        if requested_due > limit:
            raise ValidationFailed(
                _("An extension may run to %(date)s at the latest (6 months).") % {"date": limit}
            )
        if assignment.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
            raise Conflict(_("A request of your unit is already waiting for a decision."))
        _in_place(
            proposal,
            "request_extension",
            actor,
            f"{assignment.unit.name}：{requested_due}，{reason}",
        )
        request = ExtensionRequest.objects.create(
            assignment=assignment, requested_due=requested_due, reason=reason, created_by=actor
        )
        notify(
            recipients=selectors.proposals_staff(proposal.committee),
            title=_("%(unit)s asks for an extension: %(title)s")
            % {"unit": assignment.unit.name, "title": proposal.title},
            url=_url(proposal),
            committee=proposal.committee,
        )
    return request


def extension_decide(*, actor: Any, request: ExtensionRequest, approve: bool) -> ExtensionRequest:
    with transaction.atomic():
        assignment, proposal = _lock_assignment(request.assignment)
        _require_staff(actor, proposal)
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ExtensionRequest.State.PENDING:
            raise Conflict(_("This request has already been decided."))
        _in_place(
            proposal,
            "decide_extension",
            actor,
            f"{assignment.unit.name}：{request.requested_due} "
            + (str(_("approved")) if approve else str(_("refused"))),
        )
        request.state = (
            ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
        )
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["state", "decided_by", "decided_at"])
        if approve:
            assignment.extended_due = request.requested_due
            assignment.save(update_fields=["extended_due"])
        notify(
            recipients=selectors.unit_users(assignment.unit),
            title=(
                _("Extension approved: %(title)s") if approve else _("Extension refused: %(title)s")
            )
            % {"title": proposal.title},
            url=_url(proposal),
            committee=proposal.committee,
        )
    return request


def reassignment_request(
    *, actor: Any, assignment: Assignment, reason: str, today: date | None = None
) -> ReassignmentRequest:
    """退办申请: a unit asks to be relieved, within 10 working days of assignment."""
    reason = _text(reason, _("Reason"), required=True, limit=NOTE_MAX)
    today = _today(today)
    with transaction.atomic():
        assignment, proposal = _lock_assignment(assignment)
        _require_unit(actor, assignment)
        if assignment.state != Assignment.State.ACTIVE:
            raise Conflict(_("Your unit has already replied."))
        if today > assignment.reassignment_due:
            raise ValidationFailed(
                _("Reassignment could be asked for until %(date)s.")
                % {"date": assignment.reassignment_due}
            )
        if assignment.reassignment_requests.filter(
            state=ReassignmentRequest.State.PENDING
        ).exists():
            raise Conflict(_("A request of your unit is already waiting for a decision."))
        _in_place(proposal, "request_reassignment", actor, f"{assignment.unit.name}：{reason}")
        request = ReassignmentRequest.objects.create(
            assignment=assignment, reason=reason, created_by=actor
        )
        notify(
            recipients=selectors.proposals_staff(proposal.committee),
            title=_("%(unit)s asks for reassignment: %(title)s")
            % {"unit": assignment.unit.name, "title": proposal.title},
            body=reason,
            url=_url(proposal),
            committee=proposal.committee,
        )
    return request


def reassignment_decide(
    *, actor: Any, request: ReassignmentRequest, approve: bool
) -> ReassignmentRequest:
    """Approving takes the assignment from the unit. If no replying unit is left
    the proposal goes back to "registered" (its co-unit assignments end too)
    and the office assigns it again."""
    with transaction.atomic():
        assignment, proposal = _lock_assignment(request.assignment)
        _require_staff(actor, proposal)
        request = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ReassignmentRequest.State.PENDING:
            raise Conflict(_("This request has already been decided."))
        request.state = (
            ReassignmentRequest.State.APPROVED if approve else ReassignmentRequest.State.REFUSED
        )
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["state", "decided_by", "decided_at"])
        if not approve:
            _in_place(proposal, "refuse_reassignment", actor, assignment.unit.name)
        else:
            assignment.state = Assignment.State.WITHDRAWN
            assignment.save(update_fields=["state"])
            replying_left = proposal.assignments.filter(
                role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT],
                state=Assignment.State.ACTIVE,
            ).exists()
            if replying_left:
                _event(proposal, "reassign", actor, assignment.unit.name)
                audit_log(
                    action="proposal.reassign",
                    actor=actor,
                    obj=proposal,
                    committee=proposal.committee,
                )
            else:
                proposal.assignments.filter(state=Assignment.State.ACTIVE).update(
                    state=Assignment.State.WITHDRAWN
                )
                _transition(proposal, "reassign", actor, assignment.unit.name)
        notify(
            recipients=selectors.unit_users(assignment.unit),
            title=(
                _("Reassignment approved: %(title)s")
                if approve
                else _("Reassignment refused: %(title)s")
            )
            % {"title": proposal.title},
            url=_url(proposal),
            committee=proposal.committee,
        )
    return request


def reply_review(*, actor: Any, reply: Reply, reply_class: str, reason: str) -> Reply:
    """The office reviews a reply and changes its class, with a reason."""
    reason = _text(reason, _("Reason for changing the class"), required=True, limit=NOTE_MAX)
    if reply_class not in Reply.Class.values:
        raise ValidationFailed(_("Choose the class of the reply (A, B or C)."))
    with transaction.atomic():
        assignment, proposal = _lock_assignment(reply.assignment)
        _require_staff(actor, proposal)
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        if reply.reply_class == reply_class:
            raise ValidationFailed(_("Choose a class different from the present one."))
        _in_place(
            proposal,
            "review_reply",
            actor,
            f"{assignment.unit.name}：{reply.reply_class} → {reply_class}，{reason}",
        )
        reply.reply_class, reply.class_change_reason = reply_class, reason
        reply.save(update_fields=["reply_class", "class_change_reason"])
    return reply


# --- 评: evaluation -------------------------------------------------------------------------------


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
    proposal back for re-handling (once, with a new deadline); otherwise it is
    evaluated. Co-signers' evaluations are recorded alongside."""
    comments = _text(comments, _("Comments"), required=False, limit=NOTE_MAX)
    for value in (contact, attitude, result):
        if value not in Satisfaction.values:
            raise ValidationFailed(_("Rate contact, attitude and result."))
    today = _today(today)
    with transaction.atomic():
        proposal = _lock(proposal)
        is_lead = _is_proposer(actor, proposal)
        member = (
            proposal.proposer
            if is_lead
            else next(
                (m for m in _confirmed_cosigners(proposal) if m.person.user_id == actor.pk), None
            )
        )
        if member is None:
            raise PermissionDenied(_("Only the proposers may evaluate the reply."))
        action = "evaluate" if is_lead else "cosigner_evaluate"
        if not workflow.allowed(proposal.status, action) or (
            is_lead and proposal.status != S.REPLIED
        ):
            raise _refuse_state(proposal)
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
        if not is_lead:
            _in_place(proposal, action, actor, note)
            return evaluation
        if result == Satisfaction.DISSATISFIED and proposal.round <= workflow.MAX_REHANDLING:
            _rehandle(proposal, actor, note, today)
        else:
            _transition(proposal, "evaluate", actor, note)
            notify(
                recipients=selectors.proposals_staff(proposal.committee),
                title=_("The proposer evaluated the reply: %(title)s") % {"title": proposal.title},
                url=_url(proposal),
                committee=proposal.committee,
            )
    return evaluation


def _rehandle(proposal: Proposal, actor: Any, note: str, today: date) -> None:
    due = workflow.rehandling_due(today)
    proposal.round += 1
    proposal.evaluation_due = None
    _transition(proposal, "evaluate_dissatisfied", actor, note, fields=["round", "evaluation_due"])
    replying = list(
        proposal.assignments.select_for_update()
        .filter(
            role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT], state=Assignment.State.REPLIED
        )
        .select_related("unit")
    )
    for assignment in replying:
        assignment.state = Assignment.State.ACTIVE
        assignment.reply_due, assignment.extended_due, assignment.replied_on = due, None, None
        assignment.save(update_fields=["state", "reply_due", "extended_due", "replied_on"])
        notify(
            recipients=selectors.unit_users(assignment.unit),
            title=_("The proposer is dissatisfied; handle it again by %(date)s: %(title)s")
            % {"date": due, "title": proposal.title},
            url=_url(proposal),
            committee=proposal.committee,
        )


def evaluations_expire(*, today: date | None = None) -> int:
    """Daily job: replies whose evaluation window ended are recorded as
    "not evaluated" for every proposer who did not answer; the proposal is evaluated."""
    today = _today(today)
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
            for member in [proposal.proposer, *_confirmed_cosigners(proposal)]:
                if member.pk not in answered:
                    Evaluation.objects.create(
                        proposal=proposal,
                        member=member,
                        round=proposal.round,
                        not_evaluated=True,
                    )
            _transition(proposal, "not_evaluated", None, str(_("Not evaluated in time")))
            done += 1
    return done


def proposal_close(*, actor: Any, proposal: Proposal, note: str = "") -> Proposal:
    note = _text(note, _("Note"), required=False, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_staff(actor, proposal)
        _transition(proposal, "close", actor, note)
    return proposal


def quality_rate(
    *, actor: Any, assignment: Assignment, rating: str, comments: str = ""
) -> QualityRating:
    """双向评价: the replying unit rates the quality of the proposal, once."""
    comments = _text(comments, _("Comments"), required=False, limit=NOTE_MAX)
    if rating not in QualityRating.Rating.values:
        raise ValidationFailed(_("Choose a rating."))
    with transaction.atomic():
        assignment, proposal = _lock_assignment(assignment)
        _require_unit(actor, assignment, Assignment.Role.LEAD, Assignment.Role.SPLIT)
        if QualityRating.objects.filter(assignment=assignment).exists():
            raise Conflict(_("Your unit has already rated this proposal."))
        _in_place(
            proposal,
            "rate_quality",
            actor,
            f"{assignment.unit.name}：{QualityRating.Rating(rating).label}",
        )
        return QualityRating.objects.create(
            assignment=assignment, rating=rating, comments=comments, created_by=actor
        )


# --- 督: supervision ---------------------------------------------------------------------


def proposal_mark_key(
    *, actor: Any, proposal: Proposal, supervisor: Any | None, is_key: bool = True
) -> Proposal:
    """重点提案: a leader marks it key with a supervising leader (or unmarks it).
    The lead proposer earns proposal_key; unmarking withdraws it."""
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_leader(actor, proposal)
        if is_key:
            if supervisor is None or not has_role(supervisor, proposal, Role.LEADER):
                raise ValidationFailed(
                    _("Choose a supervising leader of this committee's chairpersons' meeting.")
                )
        elif not proposal.is_key:
            raise Conflict(_("This proposal is not a key proposal."))
        _in_place(
            proposal,
            "mark_key",
            actor,
            str(supervisor) if is_key else str(_("no longer a key proposal")),
        )
        proposal.is_key = is_key
        proposal.supervisor = supervisor if is_key else None
        proposal.save(update_fields=["is_key", "supervisor", "updated_at"])
        if is_key:
            duty_record(
                member=proposal.proposer,
                kind=DutyKind.PROPOSAL_KEY,
                date=timezone.localdate(),
                source=proposal,
                actor=actor,
                title=proposal.title,
            )
            notify(
                recipients=[supervisor],
                title=_("You supervise the key proposal: %(title)s") % {"title": proposal.title},
                url=_url(proposal),
                committee=proposal.committee,
            )
        else:
            duty_records_withdraw(
                source=proposal,
                actor=actor,
                kinds=[DutyKind.PROPOSAL_KEY],
                reason=_("No longer a key proposal"),
            )
    return proposal


def supervision_note_add(*, actor: Any, proposal: Proposal, text: str) -> SupervisionNote:
    """督办: a leader or the office urges the units; they are notified."""
    text = _text(text, _("Note"), required=True, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = _lock(proposal)
        if not (
            has_role(actor, proposal, Role.LEADER)
            or has_role(actor, proposal, Role.STAFF, Area.PROPOSALS)
        ):
            raise PermissionDenied(_("Only leaders and the proposal office may supervise."))
        _in_place(proposal, "supervise", actor, text)
        note = SupervisionNote.objects.create(proposal=proposal, text=text, author=actor)
        for assignment in proposal.assignments.filter(state=Assignment.State.ACTIVE).select_related(
            "unit"
        ):
            notify(
                recipients=selectors.unit_users(assignment.unit),
                title=_("Supervision note on: %(title)s") % {"title": proposal.title},
                body=text,
                url=_url(proposal),
                committee=proposal.committee,
            )
    return note


def excellent_select(
    *, actor: Any, proposal: Proposal, year: int, selected: bool = True
) -> Proposal:
    """优秀提案: the office selects (or unselects) a registered proposal for a year's
    list, before the list is published. Duty: lead 1, co-signers share 1."""
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_staff(actor, proposal)
        if ExcellentList.objects.filter(committee_id=proposal.committee_id, year=year).exists():
            raise Conflict(_("The list of %(year)s has been published.") % {"year": year})
        if proposal.registered_at is None or proposal.registered_at.year > year:
            raise ValidationFailed(_("Only proposals registered by that year can be selected."))
        if not workflow.allowed(proposal.status, "select_excellent"):
            raise _refuse_state(proposal)
        if selected == (proposal.excellent_year == year):
            raise Conflict(_("Nothing to change."))
        _in_place(
            proposal,
            "select_excellent",
            actor,
            f"{year}" if selected else str(_("removed from the list")),
        )
        proposal.excellent_year = year if selected else None
        proposal.save(update_fields=["excellent_year", "updated_at"])
        if selected:
            _record_shared(proposal, DutyKind.PROPOSAL_EXCELLENT, timezone.localdate(), actor)
        else:
            duty_records_withdraw(
                source=proposal,
                actor=actor,
                kinds=[DutyKind.PROPOSAL_EXCELLENT],
                reason=_("Removed from the excellent proposals"),
            )
    return proposal


def excellent_publish(*, actor: Any, committee: Committee, year: int) -> ExcellentList:
    with transaction.atomic():
        _require_staff(actor, committee)
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
            raise Conflict(_("The list of %(year)s has been published.") % {"year": year}) from None
        audit_log(
            action="proposal.excellent_publish",
            actor=actor,
            committee=committee,
            year=year,
            count=len(chosen),
        )
        for proposal in chosen:
            notify(
                recipients=_proposer_users(proposal),
                title=_("Your proposal is one of the excellent proposals of %(year)s")
                % {"year": year},
                body=proposal.title,
                url=_url(proposal),
                committee=committee,
            )
    return published


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


def defaults_ensure(committee: Committee) -> None:
    """First use: the default categories and decline grounds of a committee.
    A list that has any row (active or not) is left alone, so a default the
    office renamed or deleted does not come back (idempotent)."""
    if not ProposalCategory.objects.filter(committee=committee).exists():
        for order, name in enumerate(DEFAULT_CATEGORIES):
            ProposalCategory.objects.get_or_create(
                committee=committee, name=name, defaults={"order": order}
            )
    if not DeclineGround.objects.filter(committee=committee).exists():
        for order, text in enumerate(DEFAULT_DECLINE_GROUNDS):
            DeclineGround.objects.get_or_create(
                committee=committee, text=text, defaults={"order": order}
            )


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
    value = _text(value, _config_label(model), required=True, limit=limit)
    same = model.objects.filter(committee_id=committee_id, **{field: value})  # type: ignore[attr-defined]
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationFailed(_("“%(name)s” is already in the list.") % {"name": value})
    return value


def _config_audit(row: ConfigRow, actor: Any, change: str, **detail: Any) -> None:
    action = (
        "proposals.category_changed"
        if isinstance(row, ProposalCategory)
        else "proposals.decline_ground_changed"
    )
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
    _require_staff(actor, committee)
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
    _require_staff(actor, row)
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
    _require_staff(actor, row)
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
    _require_staff(actor, row)
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
    _require_staff(actor, row)
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


def proposal_draft_create_from_public(
    *, committee: Committee, member: Member, title: str, body: str, actor: Any
) -> Proposal:
    """三听三转: staff turn citizens' messages into a proposal lead (提案线索):
    a private draft of ``member``'s, who rewrites and submits it as their own.
    The citizens' words go into the reason; the suggestions are the member's."""
    if not (
        has_role(actor, committee, Role.STAFF, Area.PUBLIC)
        or has_role(actor, committee, Role.STAFF, Area.PROPOSALS)
    ):
        raise PermissionDenied(_("Only office staff may turn messages into a proposal lead."))
    title = _text(title, _("Title"), required=True, limit=TITLE_MAX)
    body = _text(body, _("Reason for the proposal"), required=False, limit=TEXT_MAX)
    term = current_term(committee)
    if (
        member.committee_id != committee.pk
        or member.status != Member.Status.IN_OFFICE
        or term is None
        or member.term_id != term.pk
    ):
        raise ValidationFailed(_("Choose a member in office of the current term."))
    with transaction.atomic():
        proposal = Proposal.objects.create(
            committee=committee,
            term=term,
            title=title,
            kind=Proposal.Kind.INDIVIDUAL,
            reason=body,
            suggestions="",
            proposer=member,
        )
        _event(proposal, "create", actor, _("Made from citizens' messages (三听三转)."))
        notify(
            recipients=[member.person.user],
            title=_("A proposal lead from citizens' messages: %(title)s") % {"title": title},
            body=_("The office drafted it for you; edit it and submit it if you agree."),
            url=_url(proposal),
            committee=committee,
        )
    return proposal

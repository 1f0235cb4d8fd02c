"""提: drafting, co-signing, submitting and withdrawing a proposal."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.files import attachment_save, upload_check
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_records_withdraw
from lvzhi.org.models import Committee, Member, PlenarySession
from lvzhi.org.selectors import current_term, member_of_user
from lvzhi.proposals import selectors
from lvzhi.proposals.audit import ATTACHMENT_ADD, PROPOSAL_EDIT
from lvzhi.proposals.models import (
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    CoSigner,
    Proposal,
    ProposalCategory,
)
from lvzhi.proposals.services._common import (
    ATTACHMENT_PURPOSE,
    ONLY_PROPOSER,
    S,
    clean_text,
    created,
    lock,
    notify_on,
    record_shared,
    require_allowed,
    same_committee,
    today_or,
    url_of,
)
from lvzhi.proposals.workflow import PROPOSAL_FLOW

ONLY_MEMBERS = gettext_noop("Only members in office may file proposals.")
EDITED_FIELDS = ["title", "category", "kind", "reason", "suggestions", "session", "on_behalf_of"]


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
    if proposal is None:
        require_perm(actor, "proposals.file", committee, message=_(ONLY_MEMBERS))
    else:
        require_perm(actor, "proposals.edit_proposal", proposal, message=_(ONLY_PROPOSER))
    title = clean_text(title, _("Title"), required=True, limit=TITLE_MAX)
    reason = clean_text(reason, _("Reason for the proposal"), required=False, limit=TEXT_MAX)
    suggestions = clean_text(suggestions, _("Suggestions"), required=False, limit=TEXT_MAX)
    on_behalf_of = clean_text(on_behalf_of, _("Filed in the name of"), required=False, limit=64)
    if kind not in Proposal.Kind.values:
        raise ValidationFailed(_("Choose a valid kind of proposal."))
    same_committee(category, committee.pk, _("Choose a category of this committee."))
    if (
        category is not None
        and (proposal is None or proposal.category_id != category.pk)
        and not ProposalCategory.objects.filter(pk=category.pk, is_active=True).exists()
    ):
        # Re-read: the row may have been deactivated since the form was shown.
        raise ValidationFailed(_("This category is no longer in use; choose another."))
    same_committee(session, committee.pk, _("Choose a plenary session of this committee."))
    uploads = list(attachments)
    for upload in uploads:
        upload_check(upload)
    values = {
        "title": title,
        "category": category,
        "kind": kind,
        "reason": reason,
        "suggestions": suggestions,
        "session": session,
        "on_behalf_of": on_behalf_of,
    }
    with transaction.atomic():
        if proposal is None:
            if token is not None:
                existing = Proposal.objects.filter(create_token=token, committee=committee).first()
                if existing is not None:
                    return existing
            proposal = _draft_create(actor, committee, values, token)
        else:
            proposal = lock(proposal)
            require_allowed(PROPOSAL_FLOW, proposal, "submit")
            if session is not None and session.term_id != proposal.term_id:
                raise ValidationFailed(_("Choose a plenary session of the current term."))
            for name, value in values.items():
                setattr(proposal, name, value)
            proposal.save(update_fields=[*EDITED_FIELDS, "updated_at"])
            audit_log(action=PROPOSAL_EDIT, actor=actor, obj=proposal)
        _cosigners_set(proposal, list(cosigners))
        for upload in uploads:
            attachment_save(
                committee=committee,
                owner=proposal,
                upload=upload,
                actor=actor,
                purpose=ATTACHMENT_PURPOSE,
            )
    return proposal


def _draft_create(
    actor: Any, committee: Committee, values: dict[str, Any], token: uuid.UUID | None
) -> Proposal:
    member = member_of_user(actor, committee)
    if member is None or member.status != Member.Status.IN_OFFICE:
        raise PermissionDenied(_(ONLY_MEMBERS))
    term = current_term(committee)
    if term is None or member.term_id != term.pk:
        raise PermissionDenied(_("Only members of the current term may file proposals."))
    session = values["session"]
    if session is not None and session.term_id != term.pk:
        raise ValidationFailed(_("Choose a plenary session of the current term."))
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                committee=committee, term=term, proposer=member, create_token=token, **values
            )
    except IntegrityError:
        # The same form posted twice at once: the other request created it.
        return Proposal.objects.get(create_token=token)
    created(proposal, actor)
    return proposal


def _cosigners_set(proposal: Proposal, members: list[Member]) -> None:
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
    require_perm(actor, "proposals.edit_proposal", proposal, message=_(ONLY_PROPOSER))
    with transaction.atomic():
        proposal = lock(proposal)
        require_allowed(PROPOSAL_FLOW, proposal, "submit")
        saved = attachment_save(
            committee=proposal.committee,
            owner=proposal,
            upload=upload,
            actor=actor,
            purpose=ATTACHMENT_PURPOSE,
        )
        audit_log(action=ATTACHMENT_ADD, actor=actor, obj=proposal, name=saved.original_name)
    return saved


def cosigner_answer(*, actor: Any, proposal: Proposal, confirm: bool) -> CoSigner:
    """An invited co-signer confirms or refuses (while the draft is open)."""
    require_perm(
        actor,
        "proposals.cosign_proposal",
        proposal,
        message=_("You are not invited to co-sign this proposal."),
    )
    with transaction.atomic():
        proposal = lock(proposal)
        cosigner = (
            CoSigner.objects.select_for_update()
            .filter(proposal=proposal, member__person__user=actor)
            .select_related("member__person")
            .get()
        )
        require_allowed(PROPOSAL_FLOW, proposal, "cosign_answer")
        name = cosigner.member.person.name
        if cosigner.state != (CoSigner.State.CONFIRMED if confirm else CoSigner.State.REFUSED):
            transition(
                cosigner,
                "confirm" if confirm else "refuse",
                actor=actor,
                changes={"answered_at": timezone.now()},
                committee=proposal.committee_id,
            )
        transition(
            proposal,
            "cosign_answer",
            actor=actor,
            note=(_("%(name)s confirmed") if confirm else _("%(name)s refused")) % {"name": name},
        )
        answered = (
            _("%(name)s confirmed co-signing “%(title)s”")
            if confirm
            else _("%(name)s refused to co-sign “%(title)s”")
        )
        title = answered % {"name": name, "title": proposal.title}
        notify_on(proposal, [proposal.proposer.person.user], title)
    return cosigner


def _submit_errors(proposal: Proposal, today: date) -> list[str]:
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
    return errors


def proposal_submit(*, actor: Any, proposal: Proposal, today: date | None = None) -> Proposal:
    """Submit a draft (or a returned proposal) to the proposal office.

    Two submits of one draft (double click, two tabs) give one submission:
    the second finds the state moved on under the row lock and is refused."""
    require_perm(actor, "proposals.submit_proposal", proposal, message=_(ONLY_PROPOSER))
    today = today_or(today)
    with transaction.atomic():
        proposal = lock(proposal)
        require_allowed(PROPOSAL_FLOW, proposal, "submit")
        errors = _submit_errors(proposal, today)
        if errors:
            raise ValidationFailed(errors[0], errors)
        transition(proposal, "submit", actor=actor, changes={"submitted_at": timezone.now()})
        record_shared(proposal, DutyKind.PROPOSAL_FILED, today, actor)
        title = _("New proposal to review: %(title)s") % {"title": proposal.title}
        notify_on(proposal, selectors.proposals_staff(proposal.committee), title)
    return proposal


def proposal_withdraw(*, actor: Any, proposal: Proposal, reason: str = "") -> Proposal:
    """The proposer withdraws before review; the duty records of filing go too."""
    require_perm(actor, "proposals.withdraw_proposal", proposal, message=_(ONLY_PROPOSER))
    reason = clean_text(reason, _("Reason"), required=False, limit=NOTE_MAX)
    with transaction.atomic():
        proposal = lock(proposal)
        was_submitted = proposal.status in (S.SUBMITTED, S.RETURNED)
        transition(proposal, "withdraw", actor=actor, note=reason)
        if was_submitted:
            duty_records_withdraw(source=proposal, actor=actor, reason=_("Proposal withdrawn"))
    return proposal


def proposal_draft_create_from_public(
    *, committee: Committee, member: Member, title: str, body: str, actor: Any
) -> Proposal:
    """三听三转: staff turn citizens' messages into a proposal lead (提案线索):
    a private draft of ``member``'s, who rewrites and submits it as their own.
    The citizens' words go into the reason; the suggestions are the member's."""
    require_perm(
        actor,
        "proposals.draft_for_member",
        committee,
        message=_("Only office staff may turn messages into a proposal lead."),
    )
    title = clean_text(title, _("Title"), required=True, limit=TITLE_MAX)
    body = clean_text(body, _("Reason for the proposal"), required=False, limit=TEXT_MAX)
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
        created(proposal, actor, _("Made from citizens' messages (三听三转)."))
        notify(
            recipients=[member.person.user],
            title=_("A proposal lead from citizens' messages: %(title)s") % {"title": title},
            body=_("The office drafted it for you; edit it and submit it if you agree."),
            url=url_of(proposal),
            committee=committee,
        )
    return proposal

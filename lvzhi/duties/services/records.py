"""Duties members record themselves (study notes, services and
contributions, annual duty projects) and staff register or review
(plenary speeches, confirmation of services, approval of projects)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.files import attachment_save
from lvzhi.core.permissions import denial_log, require_perm, user_or_none
from lvzhi.core.workflow import transition
from lvzhi.duties.audit import (
    CONTRIBUTION_SUBMIT,
    PROJECT_DECLARE,
    SPEECH_REGISTER,
    SPEECH_REMOVE,
    STUDY_NOTE_DELETE,
    STUDY_NOTE_SAVE,
)
from lvzhi.duties.models import (
    Activity,
    Contribution,
    DutyKind,
    DutyProject,
    DutyProjectLink,
    Invitation,
    PlenarySpeech,
    StudyNote,
)
from lvzhi.duties.services.ledger import duty_record, duty_records_withdraw
from lvzhi.duties.workflow import CONTRIBUTION_FLOW, PROJECT_FLOW


def _record_entry(entry: StudyNote | PlenarySpeech | Contribution, kind: str, actor: Any) -> None:
    """The duty an entry earns: its member, on its date, under its title."""
    duty_record(
        member=entry.member,
        kind=kind,
        date=entry.date,
        source=entry,
        actor=actor,
        title=entry.title,
    )


def _may_write(actor: Any, member: Any, entry: Any, perm: str) -> None:
    """A member records a new entry (``duties.record_duty``) or changes one of
    their own (``perm`` on it, and it must be theirs)."""
    if entry is None:
        require_perm(actor, "duties.record_duty", member)
        return
    require_perm(actor, perm, entry)
    if entry.member_id != member.pk:
        denial_log(actor, perm, entry)
        raise PermissionDenied(_("You may only change your own entries."))


def _review_changes(actor: Any, note: str) -> dict[str, Any]:
    """What a review writes on the entry besides its state."""
    return {"review_note": note.strip()[:500], "reviewed_by": user_or_none(actor)}


def _remove_entry(
    entry: StudyNote | PlenarySpeech, *, actor: Any, reason: str, action: str, **detail: Any
) -> None:
    """Delete an entry with the duty it earned, audited, all or nothing."""
    with transaction.atomic():
        duty_records_withdraw(source=entry, actor=actor, reason=reason)
        audit_log(action=action, obj=entry, **detail)
        entry.delete()


# --- Study notes ----------------------------------------------------------------------


def study_note_save(
    *, member: Any, actor: Any, title: str, text: str, date: dt.date, note: StudyNote | None = None
) -> StudyNote:
    """A member writes (or edits) a study note; a new note records a duty."""
    _may_write(actor, member, note, "duties.change_note")
    if not title.strip() or not text.strip():
        raise ValidationFailed(_("Give the note a title and a text."))
    with transaction.atomic():
        if note is None:
            note = StudyNote.objects.create(
                committee_id=member.committee_id,
                member=member,
                title=title.strip(),
                text=text.strip(),
                date=date,
            )
        else:
            note = StudyNote.objects.select_for_update().get(pk=note.pk)
            note.title, note.text, note.date = title.strip(), text.strip(), date
            note.save(update_fields=["title", "text", "date", "updated_at"])
            duty_records_withdraw(source=note, actor=actor, reason="edited")
        _record_entry(note, DutyKind.STUDY_NOTE, actor)
        audit_log(action=STUDY_NOTE_SAVE, obj=note)
    return note


def study_note_delete(*, note: StudyNote, actor: Any) -> None:
    require_perm(actor, "duties.change_note", note)
    _remove_entry(note, actor=actor, reason="deleted", action=STUDY_NOTE_DELETE, title=note.title)


# --- Plenary speeches -------------------------------------------------------------------


def speech_register(
    *, member: Any, actor: Any, title: str, date: dt.date, session: Any = None
) -> PlenarySpeech:
    require_perm(actor, "duties.register_speech", member)
    if not title.strip():
        raise ValidationFailed(_("Give the title of the speech."))
    with transaction.atomic():
        speech = PlenarySpeech.objects.create(
            committee_id=member.committee_id,
            member=member,
            title=title.strip(),
            date=date,
            session=session,
            created_by=user_or_none(actor),
        )
        _record_entry(speech, DutyKind.PLENARY_SPEECH, actor)
        audit_log(action=SPEECH_REGISTER, obj=speech)
    return speech


def speech_withdraw(*, speech: PlenarySpeech, actor: Any) -> None:
    require_perm(actor, "duties.remove_speech", speech)
    _remove_entry(speech, actor=actor, reason="speech removed", action=SPEECH_REMOVE)


# --- Services to the public, investment and talent ----------------------------------------


def contribution_submit(
    *,
    member: Any,
    actor: Any,
    kind: str,
    title: str,
    description: str,
    date: dt.date,
    evidence: Any = None,
) -> Contribution:
    """A member reports a service or an investment/talent item with evidence."""
    require_perm(actor, "duties.record_duty", member)
    if kind not in Contribution.Kind.values:
        raise ValidationFailed(_("Choose the kind."))
    with transaction.atomic():
        item = Contribution.objects.create(
            committee_id=member.committee_id,
            member=member,
            kind=kind,
            title=title.strip(),
            description=description.strip(),
            date=date,
        )
        CONTRIBUTION_FLOW.log_created(item, actor=actor, action="submit")
        if evidence is not None:
            attachment_save(
                committee=member.committee,
                owner=item,
                upload=evidence,
                actor=actor,
                purpose="evidence",
            )
        audit_log(action=CONTRIBUTION_SUBMIT, obj=item)
    return item


def contribution_review(
    *, item: Contribution, actor: Any, confirm: bool, note: str = ""
) -> Contribution:
    """Staff confirm (the duty is recorded) or decline an item."""
    require_perm(actor, "duties.review_contribution", item)
    if not confirm and not note.strip():
        raise ValidationFailed(_("Say why the item is not confirmed."))
    with transaction.atomic():
        item = transition(
            item,
            "confirm" if confirm else "reject",
            actor=actor,
            note=note.strip(),
            changes={**_review_changes(actor, note), "reviewed_at": timezone.now()},
        )
        if confirm:
            _record_entry(item, item.duty_kind, actor)
    return item


# --- Annual duty projects -------------------------------------------------------------------


def project_declare(
    *,
    member: Any,
    actor: Any,
    year: int,
    topic: str,
    planned_steps: str,
    project: DutyProject | None = None,
) -> DutyProject:
    """A member declares a project, or revises one not yet approved (it then
    awaits approval again)."""
    _may_write(actor, member, project, "duties.change_project")
    if not topic.strip() or not planned_steps.strip():
        raise ValidationFailed(_("Give the topic and the planned steps."))
    fields = {"topic": topic.strip(), "planned_steps": planned_steps.strip(), "year": year}
    if project is not None:
        if not PROJECT_FLOW.allowed(project, "revise"):
            raise Conflict(_("An approved project cannot be changed."))
        return transition(project, "revise", actor=actor, changes=fields)
    with transaction.atomic():
        project = DutyProject.objects.create(
            committee_id=member.committee_id, member=member, **fields
        )
        PROJECT_FLOW.log_created(project, actor=actor, action="declare")
        audit_log(action=PROJECT_DECLARE, obj=project)
    return project


def project_review(
    *, project: DutyProject, actor: Any, approve: bool, note: str = ""
) -> DutyProject:
    require_perm(actor, "duties.review_project", project)
    if not approve and not note.strip():
        raise ValidationFailed(_("Say what should be revised."))
    return transition(
        project,
        "approve" if approve else "return",
        actor=actor,
        note=note.strip(),
        changes=_review_changes(actor, note),
    )


def project_link(
    *,
    project: DutyProject,
    actor: Any,
    kind: str,
    activity: Activity | None = None,
    reference: str = "",
    note: str = "",
) -> DutyProjectLink:
    """The member links an activity they were invited to, or a proposal/report number."""
    require_perm(actor, "duties.change_project", project)
    if not PROJECT_FLOW.allowed(project, "link"):
        raise Conflict(_("Link work to a project once it is approved."))
    if kind == DutyProjectLink.Kind.ACTIVITY:
        if (
            activity is None
            or not Invitation.objects.filter(activity=activity, member=project.member).exists()
        ):
            raise ValidationFailed(_("Choose an activity you were invited to."))
        reference = ""
    elif not reference.strip():
        raise ValidationFailed(_("Give the number of the proposal or report."))
    else:
        activity = None
    with transaction.atomic():
        transition(
            project,
            "link",
            actor=actor,
            note=note.strip()[:200],
            data={"kind": kind, "reference": reference.strip()[:100]},
            kind=kind,
        )
        return DutyProjectLink.objects.create(
            project=project,
            kind=kind,
            activity=activity,
            reference=reference.strip()[:100],
            note=note.strip()[:200],
        )

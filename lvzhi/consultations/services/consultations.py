"""协商活动: a consultation of any format from its topic through preparation
and the meeting (people, speeches) to its outcomes, one function per step.
Duty records are written here, in the same transaction as the step that
earned them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lvzhi.consultations import audit
from lvzhi.consultations.models import (
    Consultation,
    ConsultationFormat,
    OutcomeItem,
    Participant,
    PlanItem,
    PreparationItem,
    Speech,
    Topic,
)
from lvzhi.consultations.services._common import (
    TEXT_MAX,
    TITLE_MAX,
    active_unit,
    clean_text,
    created_event,
    current,
    in_office_member,
    locked,
    one_of,
    same_committee,
    today,
    unit_users,
)
from lvzhi.consultations.settings_defs import PLENARY_SPEECH_FORMATS
from lvzhi.consultations.workflow import (
    BEFORE_OUTCOMES,
    CONSULTATION_FLOW,
    SPEECH_STATES,
)
from lvzhi.core.audit import audit_log
from lvzhi.core.committee_settings import setting_value
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record
from lvzhi.org.models import Committee, HandlingUnit, Member, Sector, SectorCluster

# Formats that need a department: the counterpart, the invited department,
# or the second convener of 有事好商量.
DEPARTMENT_FORMATS = frozenset(
    {ConsultationFormat.COUNTERPART, ConsultationFormat.INVITED, ConsultationFormat.GOOD_TALK}
)
MANAGE = "consultations.manage_consultation"


def check_particulars(
    *,
    committee: Committee,
    format: str,
    first_convener: Member | None,
    department: HandlingUnit | None,
    sector: Sector | None,
    sector_cluster: SectorCluster | None,
    proposal_reference: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> None:
    """Each format's particulars (DESIGN §6): every problem is listed at once."""
    errors: list[str] = []
    if format not in ConsultationFormat.values:
        errors.append(_("Choose a consultation format."))
    in_office_member(first_convener, committee)
    active_unit(department, committee)
    same_committee(sector, committee, _("The sector does not belong to this committee."))
    same_committee(
        sector_cluster, committee, _("The sector cluster does not belong to this committee.")
    )
    if format == ConsultationFormat.GOOD_TALK:
        if first_convener is None:
            errors.append(_("“Let's talk it over” needs a first convener (a member)."))
        if department is None:
            errors.append(
                _("“Let's talk it over” needs a second convener (the responsible department).")
            )
    elif format in DEPARTMENT_FORMATS and department is None:
        errors.append(_("Choose the department this consultation is held with."))
    if format == ConsultationFormat.SECTOR and sector is None:
        errors.append(_("Choose the sector holding the consultation."))
    if format == ConsultationFormat.ROUND_TABLE and sector_cluster is None:
        errors.append(_("Choose the sector cluster holding the round table."))
    if format == ConsultationFormat.PROPOSAL_HANDLING and not proposal_reference.strip():
        errors.append(_("Give the number of the proposal being handled."))
    if format == ConsultationFormat.ONLINE:
        if opens_at is None or closes_at is None:
            errors.append(_("An online consultation needs an opening and a closing time."))
        elif closes_at <= opens_at:
            errors.append(_("The closing time must be after the opening time."))
    if errors:
        raise ValidationFailed(" ".join(str(e) for e in errors), errors=[str(e) for e in errors])


def consultation_create(
    *,
    actor: Any,
    committee: Committee,
    year: int,
    title: str,
    format: str,
    topic: Topic | None = None,
    plan_item: PlanItem | None = None,
    description: str = "",
    meeting_date: date | None = None,
    venue: str = "",
    first_convener: Member | None = None,
    department: HandlingUnit | None = None,
    sector: Sector | None = None,
    sector_cluster: SectorCluster | None = None,
    proposal_reference: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    token: str = "",
) -> Consultation:
    """A consultation at its first stage (topic set), with its format's particulars."""
    require_perm(actor, "consultations.create_consultation", committee)
    if token:
        existing = Consultation.objects.filter(committee=committee, token=token).first()
        if existing is not None:
            return existing  # the same form submitted twice
    title = clean_text(title, label=_("Title"), max_length=TITLE_MAX)
    description = clean_text(
        description, label=_("Description"), max_length=TEXT_MAX, required=False
    )
    venue = clean_text(venue, label=_("Venue"), max_length=200, required=False)
    proposal_reference = clean_text(
        proposal_reference, label=_("Proposal number"), max_length=50, required=False
    )
    if plan_item is not None:
        same_committee(
            plan_item, committee, _("The planned topic does not belong to this committee.")
        )
        topic = plan_item.topic
    same_committee(topic, committee, _("The topic does not belong to this committee."))
    check_particulars(
        committee=committee,
        format=format,
        first_convener=first_convener,
        department=department,
        sector=sector,
        sector_cluster=sector_cluster,
        proposal_reference=proposal_reference,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    online = format == ConsultationFormat.ONLINE
    try:
        with transaction.atomic():
            consultation = Consultation.objects.create(
                committee=committee,
                year=year,
                title=title,
                format=format,
                topic=topic,
                plan_item=plan_item,
                description=description,
                meeting_date=meeting_date,
                venue=venue,
                first_convener=first_convener if format == ConsultationFormat.GOOD_TALK else None,
                department=department,
                sector=sector if format == ConsultationFormat.SECTOR else None,
                sector_cluster=(
                    sector_cluster if format == ConsultationFormat.ROUND_TABLE else None
                ),
                proposal_reference=proposal_reference,
                opens_at=opens_at if online else None,
                closes_at=closes_at if online else None,
                created_by=actor,
                token=token,
            )
            created_event(CONSULTATION_FLOW, consultation, actor)
            audit_log(action=audit.CONSULTATION_CREATE, actor=actor, obj=consultation)
    except IntegrityError:
        return Consultation.objects.get(committee=committee, token=token)
    return consultation


def _note(note: str) -> str:
    return clean_text(note, label=_("Note"), max_length=500, required=False)


def duty_date(consultation: Consultation) -> date:
    return consultation.meeting_date or today()


# --- The stages, one function each -------------------------------------------------------


def _stage_step(
    consultation: Consultation,
    action: str,
    *,
    actor: Any,
    note: str,
    step: Callable[[Consultation], dict[str, Any]] = lambda row: {},
    data: dict[str, Any] | None = None,
) -> Consultation:
    """One step of the office along the stages: ``step`` runs on the locked
    row once the table allows ``action``, checks what the step needs, writes
    what it writes besides the stage (outcomes, duty records, notices) and
    returns the fields to save with the new stage; all in one transaction."""
    require_perm(actor, MANAGE, consultation)
    note = _note(note)
    with transaction.atomic():
        changes = step(current(CONSULTATION_FLOW, consultation, action))
        result: Consultation = transition(
            consultation, action, actor=actor, note=note, changes=changes, data=data
        )
    return result


def consultation_prepare(*, actor: Any, consultation: Consultation, note: str = "") -> Consultation:
    """Preparation starts: research trips and briefings are recorded next."""
    return _stage_step(consultation, "prepare", actor=actor, note=note)


def consultation_convene(
    *, actor: Any, consultation: Consultation, meeting_date: date | None = None, note: str = ""
) -> Consultation:
    """The meeting opens; its date must be known (an online one has its times)."""

    def step(row: Consultation) -> dict[str, Any]:
        day = meeting_date or row.meeting_date
        if not row.is_online and day is None:
            raise ValidationFailed(_("Set the meeting date first."))
        return {"meeting_date": day}

    return _stage_step(consultation, "convene", actor=actor, note=note, step=step)


def consultation_hold(
    *,
    actor: Any,
    consultation: Consultation,
    summary: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Consultation:
    """The meeting has been held. An online consultation must have closed: its
    summary becomes the first outcome. Every member taking part gets a
    consultation duty record."""
    now = now or timezone.now()

    def step(row: Consultation) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if row.is_online:
            assert row.closes_at is not None
            if now < row.closes_at:
                raise ValidationFailed(
                    _("The online consultation is still open; it can be concluded once it closes.")
                )
            changes["summary"] = clean_text(summary, label=_("Summary"), max_length=TEXT_MAX)
            if row.meeting_date is None:
                row.meeting_date = changes["meeting_date"] = timezone.localdate(row.closes_at)
            OutcomeItem.objects.create(
                committee=row.committee,
                consultation=row,
                number=1,
                text=changes["summary"],
                recipient=OutcomeItem.Recipient.PARTY_GOVERNMENT,
            )
        elif not row.participants.exists():
            raise ValidationFailed(_("Record who took part before concluding the meeting."))
        for participant in row.participants.filter(member__isnull=False).select_related("member"):
            assert participant.member is not None
            duty_record(
                member=participant.member,
                kind=DutyKind.CONSULTATION,
                date=duty_date(row),
                source=row,
                actor=actor,
                title=row.title,
            )
        return changes

    return _stage_step(consultation, "hold", actor=actor, note=note, step=step)


def consultation_send(
    *,
    actor: Any,
    consultation: Consultation,
    feedback_deadline: date | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Consultation:
    """The outcomes go to party and government and to the departments, each
    with the date feedback is due; the departments' users are notified."""
    now = now or timezone.now()

    def step(row: Consultation) -> dict[str, Any]:
        outcomes = list(row.outcomes.select_for_update())
        if not outcomes:
            raise ValidationFailed(_("Write at least one outcome before sending."))
        if feedback_deadline is None:
            raise ValidationFailed(_("Set the date by which feedback is due."))
        if feedback_deadline <= timezone.localdate(now):
            raise ValidationFailed(_("The feedback deadline must be in the future."))
        if any(o.recipient == o.Recipient.UNIT and o.unit_id is None for o in outcomes):
            raise ValidationFailed(
                _("Choose the department of every outcome sent to a department.")
            )
        for outcome in outcomes:
            outcome.sent_at = now
            outcome.feedback_deadline = feedback_deadline
        OutcomeItem.objects.bulk_update(outcomes, ["sent_at", "feedback_deadline"])
        notify(
            recipients=unit_users({o.unit_id for o in outcomes if o.unit_id}),
            title=_("Consultation outcomes for your department: %(title)s") % {"title": row.title},
            body=_("Please give your feedback by %(date)s.") % {"date": feedback_deadline},
            url=reverse("consultations:unit_inbox"),
            committee=row.committee,
            dedupe_key=f"consultation-sent-{row.pk}",
        )
        return {}

    data = {"feedback_deadline": feedback_deadline.isoformat()} if feedback_deadline else None
    return _stage_step(consultation, "send", actor=actor, note=note, step=step, data=data)


def consultation_review(
    *, actor: Any, consultation: Consultation, review_note: str = "", note: str = ""
) -> Consultation:
    """The follow-up review (回头看) is written down."""

    def step(row: Consultation) -> dict[str, Any]:
        text = clean_text(review_note, label=_("Follow-up review"), max_length=TEXT_MAX)
        return {"review_note": text}

    return _stage_step(consultation, "review", actor=actor, note=note, step=step)


def consultation_close(*, actor: Any, consultation: Consultation, note: str = "") -> Consultation:
    return _stage_step(consultation, "close", actor=actor, note=note)


# --- Preparation, people and speeches ----------------------------------------------------


def _open_for(consultation: Consultation, states: frozenset[str], message: str) -> Consultation:
    """The consultation, locked, if it is in one of ``states``; else Conflict."""
    row: Consultation = locked(Consultation, consultation.pk)
    if row.state not in states:
        raise Conflict(message)
    return row


def preparation_add(
    *,
    actor: Any,
    consultation: Consultation,
    kind: str,
    title: str,
    date: date | None = None,
    reference: str = "",
    note: str = "",
) -> PreparationItem:
    """A research trip or briefing (free text, or a link to the duties activity)."""
    require_perm(actor, MANAGE, consultation)
    with transaction.atomic():
        consultation = _open_for(
            consultation,
            BEFORE_OUTCOMES,
            _("Preparation can be recorded only before the meeting is concluded."),
        )
        one_of(kind, PreparationItem.Kind, _("Choose the kind of preparation."))
        item = PreparationItem.objects.create(
            committee=consultation.committee,
            consultation=consultation,
            kind=kind,
            title=clean_text(title, label=_("Title"), max_length=TITLE_MAX),
            date=date,
            reference=clean_text(reference, label=_("Reference"), max_length=300, required=False),
            note=clean_text(note, label=_("Note"), max_length=2000, required=False),
        )
        audit_log(action=audit.PREPARATION_ADD, actor=actor, obj=consultation, title=item.title)
    return item


def participant_add(
    *,
    actor: Any,
    consultation: Consultation,
    kind: str,
    member: Member | None = None,
    user: Any = None,
    name: str = "",
    organisation: str = "",
) -> Participant:
    """Someone taking part: a member (by seat), or an official, public
    representative or stakeholder by name (with a login if they post online)."""
    require_perm(actor, MANAGE, consultation)
    with transaction.atomic():
        consultation = _open_for(
            consultation,
            BEFORE_OUTCOMES,
            _("Participants can be added only before the meeting is concluded."),
        )
        one_of(kind, Participant.Kind, _("Choose the kind of participant."))
        if kind == Participant.Kind.MEMBER:
            if member is None:
                raise ValidationFailed(_("Choose the member."))
            in_office_member(member, consultation.committee)
            name = member.person.name
            user = member.person.user
            if consultation.participants.filter(member=member).exists():
                raise Conflict(_("%(name)s takes part already.") % {"name": name})
        else:
            member = None
            name = clean_text(name, label=pgettext("person", "Name"), max_length=64)
        taken = Conflict(_("%(name)s takes part already.") % {"name": name})
        if user is not None and consultation.participants.filter(user=user).exists():
            raise taken
        organisation = clean_text(
            organisation, label=_("Organisation"), max_length=100, required=False
        )
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    committee=consultation.committee,
                    consultation=consultation,
                    kind=kind,
                    member=member,
                    user=user,
                    name=name,
                    organisation=organisation,
                )
        except IntegrityError:
            raise taken from None
        audit_log(action=audit.PARTICIPANT_ADD, actor=actor, obj=consultation, name=name)
    return participant


def speech_record(
    *, actor: Any, consultation: Consultation, speaker: Participant, title: str, text: str = ""
) -> Speech:
    """A speech at the meeting. A member's speech at a plenary-type meeting
    (settings_defs.PLENARY_SPEECH_FORMATS) counts as a plenary speech; at any
    other format it counts as taking part in the consultation (the same record
    the participation earns)."""
    require_perm(actor, MANAGE, consultation)
    with transaction.atomic():
        consultation = _open_for(
            consultation,
            SPEECH_STATES,
            _("Speeches are recorded at the meeting or just after it."),
        )
        if speaker.consultation_id != consultation.pk:
            raise ValidationFailed(_("The speaker does not take part in this consultation."))
        title = clean_text(title, label=_("Title"), max_length=TITLE_MAX)
        text = clean_text(text, label=_("Text"), max_length=5000, required=False)
        if Speech.objects.filter(consultation=consultation, speaker=speaker, title=title).exists():
            raise Conflict(_("This speech has been recorded already."))
        speech = Speech.objects.create(
            committee=consultation.committee,
            consultation=consultation,
            speaker=speaker,
            title=title,
            text=text,
        )
        if speaker.member is not None:
            plenary = consultation.format in setting_value(
                consultation.committee, PLENARY_SPEECH_FORMATS
            )
            duty_record(
                member=speaker.member,
                kind=DutyKind.PLENARY_SPEECH if plenary else DutyKind.CONSULTATION,
                date=duty_date(consultation),
                source=speech if plenary else consultation,
                actor=actor,
                title=title if plenary else consultation.title,
            )
        audit_log(action=audit.SPEECH_RECORD, actor=actor, obj=consultation, title=title)
    return speech

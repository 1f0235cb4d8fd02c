"""Writes of consultations and democratic supervision: one function per use case.

Every function is keyword-only, takes the acting user, runs in one
transaction, locks the row it changes, writes the event row of each
transition and the audit trail, and raises a DomainError with a Chinese
message (nothing is written then). Duty records are written here, in the
same transaction as the change that earned them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import Area, Role, RoleAssignment
from lvzhi.accounts.roles import has_role, unit_ids_of
from lvzhi.consultations import workflow
from lvzhi.consultations.models import (
    Consultation,
    ConsultationEvent,
    ConsultationFormat,
    ConsultationPlan,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    Finding,
    FindingEvent,
    Inspection,
    OutcomeItem,
    Participant,
    PlanEvent,
    PlanItem,
    Post,
    PostRevision,
    PreparationItem,
    Speech,
    SupervisionItem,
    SupervisionPlan,
    Topic,
    TopicSource,
)
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record
from lvzhi.org.models import Committee, HandlingUnit, Member, Sector, SectorCluster
from lvzhi.org.selectors import member_committee_ids, member_of_user

# Formats whose speeches count as plenary speeches (大会发言-type meetings);
# a speech at any other format counts as taking part in the consultation.
PLENARY_TYPE_FORMATS = frozenset({ConsultationFormat.STANDING_MEETING})
# Formats that need a department: the counterpart, the invited department,
# or the second convener of 有事好商量.
DEPARTMENT_FORMATS = frozenset(
    {ConsultationFormat.COUNTERPART, ConsultationFormat.INVITED, ConsultationFormat.GOOD_TALK}
)
TITLE_MAX = 200
TEXT_MAX = 4000
POST_MAX = 2000


# --- Helpers -------------------------------------------------------------------------


def is_consultation_staff(actor: Any, committee: Any) -> bool:
    return has_role(actor, committee, Role.STAFF, Area.CONSULTATIONS)


def _require_staff(actor: Any, committee: Any) -> None:
    if not is_consultation_staff(actor, committee):
        raise PermissionDenied(_("Only the office staff for consultations may do this."))


def seat_of(actor: Any, committee: Committee) -> Member | None:
    """The actor's seat in office in the committee's current term, if any."""
    if committee.pk not in member_committee_ids(actor):
        return None
    seat = member_of_user(actor, committee)
    if seat is None or seat.status != Member.Status.IN_OFFICE:
        return None
    return seat


def _text(value: str, *, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%(field)s must not be empty.") % {"field": label})
    if len(value) > max_length:
        raise ValidationFailed(
            _("%(field)s may have at most %(max)d characters.")
            % {"field": label, "max": max_length}
        )
    return value


def _same_committee(obj: Any, committee: Committee, message: str) -> None:
    if obj is not None and obj.committee_id != committee.pk:
        raise ValidationFailed(message)


def _in_office_member(member: Member | None, committee: Committee) -> None:
    if member is None:
        return
    _same_committee(member, committee, _("The member is not a member of this committee."))
    if member.status != Member.Status.IN_OFFICE:
        raise ValidationFailed(_("%(name)s is no longer in office.") % {"name": member})


def _active_unit(unit: HandlingUnit | None, committee: Committee) -> None:
    if unit is None:
        return
    _same_committee(unit, committee, _("The department does not belong to this committee."))
    if not unit.is_active:
        raise ValidationFailed(_("The department %(name)s is no longer active.") % {"name": unit})


def _unit_users(unit_ids: Iterable[int]) -> list[Any]:
    return [
        a.user
        # The assignment must be in the unit's own committee (defence in depth:
        # the accounts service already refuses a unit of another committee).
        for a in RoleAssignment.objects.filter(
            role=Role.UNIT, unit_id__in=list(unit_ids), committee_id=F("unit__committee_id")
        )
        .select_related("user")
        .order_by("id")
    ]


def _locked(model: Any, pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


def _today() -> date:
    return timezone.localdate()


# --- Topics --------------------------------------------------------------------------


def allowed_topic_sources(actor: Any, committee: Committee) -> list[str]:
    """The sources the actor may enter a topic under: party/government leaders
    set topics (党政点题), members recommend them (委员荐题), staff enter those
    raised by the public (群众出题) and those the office chooses (政协选题)."""
    sources: list[str] = []
    if has_role(actor, committee, Role.GOV_LEADER):
        sources.append(TopicSource.GOVERNMENT)
    if is_consultation_staff(actor, committee):
        sources += [TopicSource.PUBLIC, TopicSource.OFFICE]
    if seat_of(actor, committee) is not None:
        sources.append(TopicSource.MEMBER)
    return sources


def _topic_save(
    *,
    committee: Committee,
    year: int,
    source: str,
    title: str,
    rationale: str,
    actor: Any,
    proposer_member: Member | None = None,
    proposer_name: str = "",
    public_reference: str = "",
) -> Topic:
    title = _text(title, label=_("Topic"), max_length=TITLE_MAX)
    rationale = _text(rationale, label=_("Rationale"), max_length=2000)
    proposer_name = _text(proposer_name, label=_("Proposer"), max_length=100, required=False)
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("The year is not valid."))
    if Topic.objects.filter(committee=committee, year=year, title=title).exists():
        raise Conflict(
            _("A topic “%(title)s” was already proposed for %(year)d.")
            % {"title": title, "year": year}
        )
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                committee=committee,
                year=year,
                source=source,
                title=title,
                rationale=rationale,
                proposer=actor if getattr(actor, "is_authenticated", False) else None,
                proposer_member=proposer_member,
                proposer_name=proposer_name,
                public_reference=public_reference[:100],
            )
    except IntegrityError:
        raise Conflict(
            _("A topic “%(title)s” was already proposed for %(year)d.")
            % {"title": title, "year": year}
        ) from None
    audit_log(action="consultations.topic_create", actor=actor, obj=topic, committee=committee)
    return topic


@transaction.atomic
def topic_create(
    *,
    actor: Any,
    committee: Committee,
    year: int,
    source: str,
    title: str,
    rationale: str,
    proposer_name: str = "",
) -> Topic:
    """A topic for the year's plan from one of the four sources."""
    if source not in allowed_topic_sources(actor, committee):
        raise PermissionDenied(_("You may not propose a topic from this source."))
    member = seat_of(actor, committee) if source == TopicSource.MEMBER else None
    if source == TopicSource.MEMBER and member is not None:
        proposer_name = member.person.name
    elif source == TopicSource.GOVERNMENT and not proposer_name.strip():
        proposer_name = getattr(actor, "display_name", "") or actor.get_username()
    elif source == TopicSource.OFFICE and not proposer_name.strip():
        proposer_name = str(_("Committee office"))
    elif source == TopicSource.PUBLIC and not proposer_name.strip():
        raise ValidationFailed(_("Say who raised the topic (a name or “a citizen”)."))
    return _topic_save(
        committee=committee,
        year=year,
        source=source,
        title=title,
        rationale=rationale,
        actor=actor,
        proposer_member=member,
        proposer_name=proposer_name,
    )


@transaction.atomic
def topic_create_from_public(
    *,
    committee: Committee,
    year: int,
    title: str,
    rationale: str,
    proposer_name: str,
    public_reference: str,
    actor: Any = None,
) -> Topic:
    """群众出题 from the public channel (三听三转): the public app calls this
    when staff convert a citizen's message into a consultation topic."""
    if (
        actor is not None
        and not is_consultation_staff(actor, committee)
        and not has_role(actor, committee, Role.STAFF, Area.PUBLIC)
    ):
        raise PermissionDenied(_("Only office staff may convert a message into a topic."))
    return _topic_save(
        committee=committee,
        year=year,
        source=TopicSource.PUBLIC,
        title=title,
        rationale=rationale,
        actor=actor,
        proposer_name=proposer_name or str(_("a citizen")),
        public_reference=public_reference,
    )


@transaction.atomic
def topic_decide(*, actor: Any, topic: Topic, shortlist: bool, note: str = "") -> Topic:
    """Staff put a topic on the shortlist, or decide not to (with a reason)."""
    _require_staff(actor, topic.committee)
    topic = _locked(Topic, topic.pk)
    note = _text(note, label=_("Note"), max_length=200, required=not shortlist)
    if topic.plan_items.exists():
        raise Conflict(_("The topic is in a plan already; remove it from the plan first."))
    topic.status = Topic.Status.SHORTLISTED if shortlist else Topic.Status.DECLINED
    topic.status_note = note
    topic.save(update_fields=["status", "status_note"])
    audit_log(
        action="consultations.topic_decide",
        actor=actor,
        obj=topic,
        committee=topic.committee,
        status=topic.status,
    )
    return topic


# --- The annual plan -------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Any, committee: Committee, year: int, title: str) -> ConsultationPlan:
    _require_staff(actor, committee)
    title = _text(title, label=_("Title"), max_length=TITLE_MAX)
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("The year is not valid."))
    if ConsultationPlan.objects.filter(committee=committee, year=year).exists():
        raise Conflict(_("The plan for %(year)d exists already.") % {"year": year})
    try:
        with transaction.atomic():
            plan = ConsultationPlan.objects.create(committee=committee, year=year, title=title)
    except IntegrityError:
        raise Conflict(_("The plan for %(year)d exists already.") % {"year": year}) from None
    PlanEvent.objects.create(
        plan=plan, action="create", from_state="", to_state=plan.status, actor=actor
    )
    return plan


def _plan_draft(plan: ConsultationPlan) -> None:
    if plan.status != ConsultationPlan.Status.DRAFT:
        raise Conflict(_("The plan can only be changed while it is a draft."))


@transaction.atomic
def plan_item_add(
    *, actor: Any, plan: ConsultationPlan, topic: Topic, format: str, month: int, lead: str = ""
) -> PlanItem:
    _require_staff(actor, plan.committee)
    plan = _locked(ConsultationPlan, plan.pk)
    _plan_draft(plan)
    _same_committee(topic, plan.committee, _("The topic does not belong to this committee."))
    topic = _locked(Topic, topic.pk)
    if topic.status != Topic.Status.SHORTLISTED:
        raise ValidationFailed(_("Only shortlisted topics can be placed in the plan."))
    if topic.year != plan.year:
        raise ValidationFailed(_("The topic was proposed for another year."))
    if format not in ConsultationFormat.values:
        raise ValidationFailed(_("Choose a consultation format."))
    if not 1 <= int(month) <= 12:
        raise ValidationFailed(_("The month must be between 1 and 12."))
    lead = _text(lead, label=_("Lead body"), max_length=100, required=False)
    if PlanItem.objects.filter(plan=plan, topic=topic).exists():
        raise Conflict(_("The topic is in the plan already."))
    return PlanItem.objects.create(
        committee=plan.committee, plan=plan, topic=topic, format=format, month=month, lead=lead
    )


@transaction.atomic
def plan_item_remove(*, actor: Any, item: PlanItem) -> None:
    _require_staff(actor, item.committee)
    plan = _locked(ConsultationPlan, item.plan_id)
    _plan_draft(plan)
    if item.consultations.exists():
        raise Conflict(_("A consultation was started from this topic; it stays in the plan."))
    item.delete()


@transaction.atomic
def plan_transition(
    *, actor: Any, plan: ConsultationPlan, action: str, note: str = ""
) -> ConsultationPlan:
    """Approve (staff of the area or a leader), publish or reopen (staff) the plan."""
    plan = _locked(ConsultationPlan, plan.pk)
    target = workflow.next_state(workflow.PLAN_TRANSITIONS, plan.status, action)
    if target is None:
        raise Conflict(_("This step is not possible for a plan in its present state."))
    who = workflow.PLAN_ACTORS[action]
    if who == workflow.Who.APPROVER:
        if not (
            is_consultation_staff(actor, plan.committee)
            or has_role(actor, plan.committee, Role.LEADER)
        ):
            raise PermissionDenied(_("Only the office staff or a leader may approve the plan."))
    else:
        _require_staff(actor, plan.committee)
    if action == "approve" and not plan.items.exists():
        raise ValidationFailed(_("Place at least one topic in the plan before approving it."))
    note = _text(note, label=_("Note"), max_length=500, required=False)
    source = plan.status
    plan.status = target
    now = timezone.now()
    fields = ["status"]
    if action == "approve":
        plan.approved_at = now
        fields.append("approved_at")
    elif action == "publish":
        plan.published_at = now
        fields.append("published_at")
    plan.save(update_fields=fields)
    PlanEvent.objects.create(
        plan=plan, action=action, from_state=source, to_state=target, actor=actor, note=note
    )
    audit_log(
        action=f"consultations.plan_{action}", actor=actor, obj=plan, committee=plan.committee
    )
    return plan


# --- Consultations ---------------------------------------------------------------------


def _check_particulars(
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
    _in_office_member(first_convener, committee)
    _active_unit(department, committee)
    _same_committee(sector, committee, _("The sector does not belong to this committee."))
    _same_committee(
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


@transaction.atomic
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
    _require_staff(actor, committee)
    if token:
        existing = Consultation.objects.filter(committee=committee, token=token).first()
        if existing is not None:
            return existing  # the same form submitted twice
    title = _text(title, label=_("Title"), max_length=TITLE_MAX)
    description = _text(description, label=_("Description"), max_length=TEXT_MAX, required=False)
    venue = _text(venue, label=_("Venue"), max_length=200, required=False)
    proposal_reference = _text(
        proposal_reference, label=_("Proposal number"), max_length=50, required=False
    )
    if plan_item is not None:
        _same_committee(
            plan_item, committee, _("The planned topic does not belong to this committee.")
        )
        topic = plan_item.topic
    _same_committee(topic, committee, _("The topic does not belong to this committee."))
    _check_particulars(
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
    except IntegrityError:
        return Consultation.objects.get(committee=committee, token=token)
    ConsultationEvent.objects.create(
        consultation=consultation,
        action="create",
        from_state="",
        to_state=consultation.state,
        actor=actor,
    )
    audit_log(
        action="consultations.consultation_create",
        actor=actor,
        obj=consultation,
        committee=committee,
    )
    return consultation


def _event(
    consultation: Consultation, action: str, source: str, actor: Any, note: str = ""
) -> None:
    ConsultationEvent.objects.create(
        consultation=consultation,
        action=action,
        from_state=source,
        to_state=consultation.state,
        actor=actor,
        note=note[:500],
    )


def _duty_date(consultation: Consultation) -> date:
    return consultation.meeting_date or _today()


def _move(consultation: Consultation, action: str, actor: Any, note: str = "") -> Consultation:
    target = workflow.next_state(workflow.CONSULTATION_TRANSITIONS, consultation.state, action)
    if target is None:
        raise Conflict(_("This step is not possible at the consultation's present stage."))
    source = consultation.state
    consultation.state = target
    consultation.save(update_fields=["state"])
    _event(consultation, action, source, actor, note)
    audit_log(
        action=f"consultations.consultation_{action}",
        actor=actor,
        obj=consultation,
        committee=consultation.committee,
        from_state=source,
        to_state=target,
    )
    return consultation


@transaction.atomic
def consultation_transition(
    *,
    actor: Any,
    consultation: Consultation,
    action: str,
    note: str = "",
    meeting_date: date | None = None,
    summary: str = "",
    feedback_deadline: date | None = None,
    review_note: str = "",
    now: datetime | None = None,
) -> Consultation:
    """Move a consultation one stage on (staff). Each action's conditions:

    - convene: the meeting date is known (or the online times are set);
    - hold: an online consultation has closed and its summary becomes the
      first outcome; the members taking part get a consultation duty record;
    - send: at least one outcome, each for a department has the department;
      every outcome gets the feedback deadline;
    - review: the follow-up review (回头看) is written down."""
    consultation = _locked(Consultation, consultation.pk)
    committee = consultation.committee
    if workflow.CONSULTATION_ACTORS.get(action) != workflow.Who.STAFF:
        raise Conflict(_("This step is not possible at the consultation's present stage."))
    _require_staff(actor, committee)
    if workflow.next_state(workflow.CONSULTATION_TRANSITIONS, consultation.state, action) is None:
        raise Conflict(_("This step is not possible at the consultation's present stage."))
    note = _text(note, label=_("Note"), max_length=500, required=False)
    now = now or timezone.now()
    if action == "convene":
        if meeting_date is not None:
            consultation.meeting_date = meeting_date
            consultation.save(update_fields=["meeting_date"])
        if not consultation.is_online and consultation.meeting_date is None:
            raise ValidationFailed(_("Set the meeting date first."))
    elif action == "hold":
        if consultation.is_online:
            assert consultation.closes_at is not None
            if now < consultation.closes_at:
                raise ValidationFailed(
                    _("The online consultation is still open; it can be concluded once it closes.")
                )
            summary = _text(summary, label=_("Summary"), max_length=TEXT_MAX)
            consultation.summary = summary
            if consultation.meeting_date is None:
                consultation.meeting_date = timezone.localdate(consultation.closes_at)
            consultation.save(update_fields=["summary", "meeting_date"])
            OutcomeItem.objects.create(
                committee=committee,
                consultation=consultation,
                number=1,
                text=summary,
                recipient=OutcomeItem.Recipient.PARTY_GOVERNMENT,
            )
        elif not consultation.participants.exists():
            raise ValidationFailed(_("Record who took part before concluding the meeting."))
        for participant in consultation.participants.filter(member__isnull=False).select_related(
            "member"
        ):
            duty_record(
                member=participant.member,
                kind=DutyKind.CONSULTATION,
                date=_duty_date(consultation),
                source=consultation,
                actor=actor,
                title=consultation.title,
            )
    elif action == "send":
        outcomes = list(consultation.outcomes.select_for_update())
        if not outcomes:
            raise ValidationFailed(_("Write at least one outcome before sending."))
        if feedback_deadline is None:
            raise ValidationFailed(_("Set the date by which feedback is due."))
        if feedback_deadline <= timezone.localdate(now):
            raise ValidationFailed(_("The feedback deadline must be in the future."))
        missing = [
            o.number for o in outcomes if o.recipient == o.Recipient.UNIT and o.unit_id is None
        ]
        if missing:
            raise ValidationFailed(
                _("Choose the department of every outcome sent to a department.")
            )
        for outcome in outcomes:
            outcome.sent_at = now
            outcome.feedback_deadline = feedback_deadline
        OutcomeItem.objects.bulk_update(outcomes, ["sent_at", "feedback_deadline"])
        unit_ids = {o.unit_id for o in outcomes if o.unit_id}
        notify(
            recipients=_unit_users(unit_ids),
            title=_("Consultation outcomes for your department: %(title)s")
            % {"title": consultation.title},
            body=_("Please give your feedback by %(date)s.") % {"date": feedback_deadline},
            url=reverse("consultations:unit_inbox"),
            committee=committee,
            dedupe_key=f"consultation-sent-{consultation.pk}",
        )
    elif action == "review":
        consultation.review_note = _text(
            review_note, label=_("Follow-up review"), max_length=TEXT_MAX
        )
        consultation.save(update_fields=["review_note"])
    return _move(consultation, action, actor, note)


@transaction.atomic
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
    _require_staff(actor, consultation.committee)
    consultation = _locked(Consultation, consultation.pk)
    if consultation.state not in workflow.BEFORE_OUTCOMES:
        raise Conflict(_("Preparation can be recorded only before the meeting is concluded."))
    if kind not in PreparationItem.Kind.values:
        raise ValidationFailed(_("Choose the kind of preparation."))
    return PreparationItem.objects.create(
        committee=consultation.committee,
        consultation=consultation,
        kind=kind,
        title=_text(title, label=_("Title"), max_length=TITLE_MAX),
        date=date,
        reference=_text(reference, label=_("Reference"), max_length=300, required=False),
        note=_text(note, label=_("Note"), max_length=2000, required=False),
    )


@transaction.atomic
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
    _require_staff(actor, consultation.committee)
    consultation = _locked(Consultation, consultation.pk)
    committee = consultation.committee
    if consultation.state not in workflow.BEFORE_OUTCOMES:
        raise Conflict(_("Participants can be added only before the meeting is concluded."))
    if kind not in Participant.Kind.values:
        raise ValidationFailed(_("Choose the kind of participant."))
    if kind == Participant.Kind.MEMBER:
        if member is None:
            raise ValidationFailed(_("Choose the member."))
        _in_office_member(member, committee)
        name = member.person.name
        user = member.person.user
        if consultation.participants.filter(member=member).exists():
            raise Conflict(_("%(name)s takes part already.") % {"name": name})
    else:
        member = None
        name = _text(name, label=_("Name"), max_length=64)
    if user is not None and consultation.participants.filter(user=user).exists():
        raise Conflict(_("%(name)s takes part already.") % {"name": name})
    organisation = _text(organisation, label=_("Organisation"), max_length=100, required=False)
    try:
        with transaction.atomic():
            return Participant.objects.create(
                committee=committee,
                consultation=consultation,
                kind=kind,
                member=member,
                user=user,
                name=name,
                organisation=organisation,
            )
    except IntegrityError:
        raise Conflict(_("%(name)s takes part already.") % {"name": name}) from None


@transaction.atomic
def speech_record(
    *, actor: Any, consultation: Consultation, speaker: Participant, title: str, text: str = ""
) -> Speech:
    """A speech at the meeting. A member's speech at a plenary-type meeting
    counts as a plenary speech; at any other format it counts as taking part
    in the consultation (the same record the participation earns)."""
    _require_staff(actor, consultation.committee)
    consultation = _locked(Consultation, consultation.pk)
    if consultation.state not in (Consultation.State.MEETING, Consultation.State.OUTCOMES):
        raise Conflict(_("Speeches are recorded at the meeting or just after it."))
    if speaker.consultation_id != consultation.pk:
        raise ValidationFailed(_("The speaker does not take part in this consultation."))
    title = _text(title, label=_("Title"), max_length=TITLE_MAX)
    text = _text(text, label=_("Text"), max_length=5000, required=False)
    if Speech.objects.filter(consultation=consultation, speaker=speaker, title=title).exists():
        raise Conflict(_("This speech has been recorded already."))
    speech = Speech.objects.create(
        committee=consultation.committee,
        consultation=consultation,
        speaker=speaker,
        title=title,
        text=text,
    )
    if speaker.member_id:
        if consultation.format in PLENARY_TYPE_FORMATS:
            duty_record(
                member=speaker.member,
                kind=DutyKind.PLENARY_SPEECH,
                date=_duty_date(consultation),
                source=speech,
                actor=actor,
                title=title,
            )
        else:
            duty_record(
                member=speaker.member,
                kind=DutyKind.CONSULTATION,
                date=_duty_date(consultation),
                source=consultation,
                actor=actor,
                title=consultation.title,
            )
    return speech


@transaction.atomic
def outcome_add(
    *,
    actor: Any,
    consultation: Consultation,
    text: str,
    recipient: str,
    unit: HandlingUnit | None = None,
) -> OutcomeItem:
    """One recommendation of the consultation, for party and government or a department."""
    _require_staff(actor, consultation.committee)
    consultation = _locked(Consultation, consultation.pk)
    if consultation.state != Consultation.State.OUTCOMES:
        raise Conflict(_("Outcomes are written after the meeting and before they are sent."))
    text = _text(text, label=_("Recommendation"), max_length=TEXT_MAX)
    if recipient not in OutcomeItem.Recipient.values:
        raise ValidationFailed(_("Choose where the outcome is sent."))
    if recipient == OutcomeItem.Recipient.UNIT:
        if unit is None:
            raise ValidationFailed(_("Choose the department the outcome is sent to."))
        _active_unit(unit, consultation.committee)
    else:
        unit = None
    if consultation.outcomes.filter(text=text).exists():
        raise Conflict(_("This recommendation has been written already."))
    number = (consultation.outcomes.aggregate(n=Max("number"))["n"] or 0) + 1
    return OutcomeItem.objects.create(
        committee=consultation.committee,
        consultation=consultation,
        number=number,
        text=text,
        recipient=recipient,
        unit=unit,
    )


@transaction.atomic
def outcome_remove(*, actor: Any, outcome: OutcomeItem) -> None:
    _require_staff(actor, outcome.committee)
    consultation = _locked(Consultation, outcome.consultation_id)
    if consultation.state != Consultation.State.OUTCOMES:
        raise Conflict(_("Outcomes can be removed only before they are sent."))
    outcome.delete()


def may_give_feedback(actor: Any, outcome: OutcomeItem) -> bool:
    if is_consultation_staff(actor, outcome.committee_id):
        return True
    return bool(
        outcome.recipient == OutcomeItem.Recipient.UNIT
        and outcome.unit_id in unit_ids_of(actor, outcome.committee_id)
    )


@transaction.atomic
def outcome_feedback_give(*, actor: Any, outcome: OutcomeItem, feedback: str) -> OutcomeItem:
    """The department's feedback on one outcome (its unit user, or staff for
    it). When every outcome has feedback the consultation moves on."""
    if not may_give_feedback(actor, outcome):
        raise PermissionDenied(_("Only the department concerned or the office staff may answer."))
    consultation = _locked(Consultation, outcome.consultation_id)
    outcome = _locked(OutcomeItem, outcome.pk)
    if outcome.sent_at is None or consultation.state != Consultation.State.SENT:
        raise Conflict(_("Feedback is given on outcomes that have been sent and not yet answered."))
    if outcome.feedback_at is not None:
        raise Conflict(_("Feedback on this outcome has been given already."))
    outcome.feedback = _text(feedback, label=_("Feedback"), max_length=TEXT_MAX)
    outcome.feedback_at = timezone.now()
    outcome.feedback_by = actor
    outcome.save(update_fields=["feedback", "feedback_at", "feedback_by"])
    _event(
        consultation,
        "feedback",
        consultation.state,
        actor,
        _("Outcome %(number)d answered") % {"number": outcome.number},
    )
    audit_log(
        action="consultations.outcome_feedback",
        actor=actor,
        obj=outcome,
        committee=consultation.committee,
    )
    if not consultation.outcomes.filter(feedback_at__isnull=True).exists():
        _move(consultation, "feedback_complete", actor)
    return outcome


# --- Online consultation ----------------------------------------------------------------


def online_window_state(consultation: Consultation, now: datetime | None = None) -> str:
    """ "not_open", "open" or "closed"; posting needs "open" at the meeting stage."""
    now = now or timezone.now()
    if consultation.opens_at is None or consultation.closes_at is None:
        return "closed"
    if consultation.state in workflow.BEFORE_OUTCOMES[:2] or now < consultation.opens_at:
        return "not_open"
    if consultation.state != Consultation.State.MEETING or now >= consultation.closes_at:
        return "closed"
    return "open"


def participant_of(actor: Any, consultation: Consultation) -> Participant | None:
    """The actor's participation (as a member seat or an invited login)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        consultation.participants.filter(user=actor).select_related("member").first()
        or consultation.participants.filter(member__person__user=actor)
        .select_related("member")
        .first()
    )


def _check_open(consultation: Consultation, now: datetime) -> None:
    if not consultation.is_online:
        raise Conflict(_("Only online consultations take posts."))
    window = online_window_state(consultation, now)
    if window == "not_open":
        raise Conflict(_("The online consultation has not opened yet."))
    if window == "closed":
        raise Conflict(_("The online consultation has closed."))


@transaction.atomic
def post_create(
    *,
    actor: Any,
    consultation: Consultation,
    text: str,
    parent: Post | None = None,
    token: str = "",
    now: datetime | None = None,
) -> Post:
    """A post, or a reply to one (threads are one level deep: a reply to a
    reply joins its thread). Members posting earn one consultation record per
    consultation."""
    now = now or timezone.now()
    consultation = _locked(Consultation, consultation.pk)
    participant = participant_of(actor, consultation)
    if participant is None:
        raise PermissionDenied(_("Only the invited participants may post."))
    _check_open(consultation, now)
    if token:
        existing = Post.objects.filter(consultation=consultation, author=actor, token=token).first()
        if existing is not None:
            return existing
    text = _text(text, label=_("Post"), max_length=POST_MAX)
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            raise ValidationFailed(_("The post replied to belongs to another consultation."))
        parent = Post.objects.get(pk=parent.parent_id or parent.pk)
        if parent.hidden_at is not None:
            raise Conflict(_("A hidden post cannot be replied to."))
    post = Post.objects.create(
        committee=consultation.committee,
        consultation=consultation,
        parent=parent,
        author=actor,
        member=participant.member,
        text=text,
        token=token,
    )
    if participant.member is not None:
        duty_record(
            member=participant.member,
            kind=DutyKind.CONSULTATION,
            date=timezone.localdate(now),
            source=consultation,
            actor=actor,
            title=consultation.title,
        )
    return post


@transaction.atomic
def post_edit(*, actor: Any, post: Post, text: str, now: datetime | None = None) -> Post:
    """The author edits their own post while the consultation is open; the
    former text is kept."""
    now = now or timezone.now()
    post = _locked(Post, post.pk)
    if post.author_id != actor.pk:
        raise PermissionDenied(_("You may edit only your own posts."))
    _check_open(post.consultation, now)
    if post.hidden_at is not None:
        raise Conflict(_("A hidden post cannot be edited."))
    text = _text(text, label=_("Post"), max_length=POST_MAX)
    if text == post.text:
        return post
    PostRevision.objects.create(post=post, text=post.text)
    post.text = text
    post.edited_at = now
    post.save(update_fields=["text", "edited_at"])
    return post


@transaction.atomic
def post_hide(*, actor: Any, post: Post, reason: str) -> Post:
    """Staff hide a post with a reason; it stays in the history (staff still see it)."""
    _require_staff(actor, post.committee)
    post = _locked(Post, post.pk)
    if post.hidden_at is not None:
        raise Conflict(_("The post is hidden already."))
    post.hidden_reason = _text(reason, label=_("Reason"), max_length=200)
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.save(update_fields=["hidden_reason", "hidden_at", "hidden_by"])
    consultation = post.consultation
    _event(
        consultation,
        "hide_post",
        consultation.state,
        actor,
        _("Post %(id)d hidden: %(reason)s") % {"id": post.pk, "reason": post.hidden_reason},
    )
    audit_log(
        action="consultations.post_hide",
        actor=actor,
        obj=post,
        committee=post.committee,
        reason=post.hidden_reason,
    )
    return post


# --- Quality evaluation ----------------------------------------------------------------


@transaction.atomic
def criterion_save(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    max_score: int,
    description: str = "",
    order: int = 0,
    is_active: bool = True,
    criterion: EvaluationCriterion | None = None,
) -> EvaluationCriterion:
    """Add or change a criterion of the committee's evaluation standard."""
    _require_staff(actor, committee)
    name = _text(name, label=_("Criterion"), max_length=100)
    description = _text(description, label=_("Description"), max_length=300, required=False)
    if not 1 <= int(max_score) <= 100:
        raise ValidationFailed(_("The maximum score must be between 1 and 100."))
    taken = EvaluationCriterion.objects.filter(committee=committee, name=name)
    if criterion is not None:
        _same_committee(criterion, committee, _("The criterion does not belong to this committee."))
        taken = taken.exclude(pk=criterion.pk)
    if taken.exists():
        raise Conflict(_("The criterion “%(name)s” exists already.") % {"name": name})
    if criterion is None:
        criterion = EvaluationCriterion(committee=committee)
    criterion.name = name
    criterion.description = description
    criterion.max_score = max_score
    criterion.order = order
    criterion.is_active = is_active
    criterion.save()
    return criterion


@transaction.atomic
def evaluation_save(
    *, actor: Any, consultation: Consultation, scores: Mapping[int, int], note: str = ""
) -> Evaluation:
    """Score a consultation against the committee's standard (every active
    criterion, each at most its maximum); saving again replaces the scores."""
    _require_staff(actor, consultation.committee)
    consultation = _locked(Consultation, consultation.pk)
    if consultation.state not in (
        Consultation.State.FEEDBACK,
        Consultation.State.REVIEW,
        Consultation.State.CLOSED,
    ):
        raise Conflict(_("A consultation is evaluated once the feedback has come in."))
    criteria = list(
        EvaluationCriterion.objects.filter(committee=consultation.committee, is_active=True)
    )
    if not criteria:
        raise ValidationFailed(_("The committee has no evaluation standard yet."))
    errors = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None:
            errors.append(_("Give a score for “%(name)s”.") % {"name": criterion.name})
        elif not 0 <= int(score) <= criterion.max_score:
            errors.append(
                _("The score for “%(name)s” must be between 0 and %(max)d.")
                % {"name": criterion.name, "max": criterion.max_score}
            )
    if errors:
        raise ValidationFailed(" ".join(str(e) for e in errors), errors=[str(e) for e in errors])
    note = _text(note, label=_("Comment"), max_length=2000, required=False)
    evaluation, _created = Evaluation.objects.get_or_create(
        consultation=consultation, defaults={"committee": consultation.committee}
    )
    evaluation.scores.all().delete()
    EvaluationScore.objects.bulk_create(
        EvaluationScore(
            evaluation=evaluation,
            criterion=c,
            criterion_name=c.name,
            max_score=c.max_score,
            score=int(scores[c.pk]),
        )
        for c in criteria
    )
    evaluation.total = sum(int(scores[c.pk]) for c in criteria)
    evaluation.max_total = sum(c.max_score for c in criteria)
    evaluation.note = note
    evaluation.evaluated_by = actor
    evaluation.save()
    audit_log(
        action="consultations.evaluation_save",
        actor=actor,
        obj=consultation,
        committee=consultation.committee,
        total=evaluation.total,
    )
    return evaluation


# --- Democratic supervision ----------------------------------------------------------


@transaction.atomic
def supervision_plan_create(
    *, actor: Any, committee: Committee, year: int, title: str
) -> SupervisionPlan:
    _require_staff(actor, committee)
    title = _text(title, label=_("Title"), max_length=TITLE_MAX)
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("The year is not valid."))
    if SupervisionPlan.objects.filter(committee=committee, year=year).exists():
        raise Conflict(_("The supervision plan for %(year)d exists already.") % {"year": year})
    return SupervisionPlan.objects.create(committee=committee, year=year, title=title)


@transaction.atomic
def supervision_plan_publish(*, actor: Any, plan: SupervisionPlan) -> SupervisionPlan:
    _require_staff(actor, plan.committee)
    plan = _locked(SupervisionPlan, plan.pk)
    if plan.status != SupervisionPlan.Status.DRAFT:
        raise Conflict(_("The supervision plan is published already."))
    if not plan.items.exists():
        raise ValidationFailed(_("Add at least one item before publishing."))
    plan.status = SupervisionPlan.Status.PUBLISHED
    plan.save(update_fields=["status"])
    audit_log(
        action="consultations.supervision_plan_publish",
        actor=actor,
        obj=plan,
        committee=plan.committee,
    )
    return plan


@transaction.atomic
def supervision_item_add(
    *,
    actor: Any,
    plan: SupervisionPlan,
    title: str,
    form: str,
    month: int,
    subjects: Iterable[HandlingUnit],
    description: str = "",
) -> SupervisionItem:
    _require_staff(actor, plan.committee)
    plan = _locked(SupervisionPlan, plan.pk)
    title = _text(title, label=_("Title"), max_length=TITLE_MAX)
    description = _text(description, label=_("Description"), max_length=2000, required=False)
    if form not in SupervisionItem.Form.values:
        raise ValidationFailed(_("Choose the form of supervision."))
    if not 1 <= int(month) <= 12:
        raise ValidationFailed(_("The month must be between 1 and 12."))
    subjects = list(subjects)
    if not subjects:
        raise ValidationFailed(_("Choose at least one department to supervise."))
    for unit in subjects:
        _active_unit(unit, plan.committee)
    if plan.items.filter(title=title).exists():
        raise Conflict(_("The plan has an item “%(title)s” already.") % {"title": title})
    item = SupervisionItem.objects.create(
        committee=plan.committee,
        plan=plan,
        title=title,
        form=form,
        month=month,
        description=description,
    )
    item.subjects.set(subjects)
    return item


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    item: SupervisionItem,
    title: str,
    date: date,
    participants: Iterable[Member],
    place: str = "",
) -> Inspection:
    _require_staff(actor, item.committee)
    title = _text(title, label=_("Title"), max_length=TITLE_MAX)
    place = _text(place, label=_("Place"), max_length=200, required=False)
    participants = list(participants)
    if not participants:
        raise ValidationFailed(_("Choose the members taking part."))
    for member in participants:
        _in_office_member(member, item.committee)
    if item.inspections.filter(title=title, date=date).exists():
        raise Conflict(_("This inspection has been recorded already."))
    inspection = Inspection.objects.create(
        committee=item.committee, item=item, title=title, date=date, place=place
    )
    inspection.participants.set(participants)
    return inspection


@transaction.atomic
def inspection_hold(*, actor: Any, inspection: Inspection, report: str) -> Inspection:
    """The inspection took place: its report is written and every member who
    took part gets an inspection duty record."""
    _require_staff(actor, inspection.committee)
    inspection = _locked(Inspection, inspection.pk)
    if inspection.state != Inspection.State.PLANNED:
        raise Conflict(_("The inspection has been recorded as held already."))
    inspection.report = _text(report, label=_("Report"), max_length=TEXT_MAX)
    inspection.state = Inspection.State.HELD
    inspection.save(update_fields=["report", "state"])
    for member in inspection.participants.all():
        duty_record(
            member=member,
            kind=DutyKind.INSPECTION,
            date=inspection.date,
            source=inspection,
            actor=actor,
            title=inspection.title,
        )
    audit_log(
        action="consultations.inspection_hold",
        actor=actor,
        obj=inspection,
        committee=inspection.committee,
    )
    return inspection


@transaction.atomic
def finding_create(
    *,
    actor: Any,
    item: SupervisionItem,
    unit: HandlingUnit,
    text: str,
    deadline: date,
    inspection: Inspection | None = None,
) -> Finding:
    """A finding sent to a department with the date it must be rectified by."""
    _require_staff(actor, item.committee)
    _active_unit(unit, item.committee)
    if inspection is not None and inspection.item_id != item.pk:
        raise ValidationFailed(_("The inspection belongs to another item."))
    text = _text(text, label=_("Finding"), max_length=TEXT_MAX)
    if deadline <= _today():
        raise ValidationFailed(_("The rectification deadline must be in the future."))
    if Finding.objects.filter(item=item, unit=unit, text=text).exists():
        raise Conflict(_("This finding has been sent to the department already."))
    finding = Finding.objects.create(
        committee=item.committee,
        item=item,
        inspection=inspection,
        unit=unit,
        text=text,
        deadline=deadline,
    )
    FindingEvent.objects.create(
        finding=finding, action="create", from_state="", to_state=finding.state, actor=actor
    )
    notify(
        recipients=_unit_users([unit.pk]),
        title=_("A supervision finding for your department"),
        body=_("Please rectify and report by %(date)s.") % {"date": deadline},
        url=reverse("consultations:unit_inbox"),
        committee=item.committee,
        dedupe_key=f"finding-{finding.pk}",
    )
    return finding


def may_report_rectification(actor: Any, finding: Finding) -> bool:
    return is_consultation_staff(actor, finding.committee_id) or finding.unit_id in unit_ids_of(
        actor, finding.committee_id
    )


@transaction.atomic
def finding_transition(*, actor: Any, finding: Finding, action: str, note: str = "") -> Finding:
    """The department reports its rectification; staff confirm it or return it."""
    finding = _locked(Finding, finding.pk)
    target = workflow.next_state(workflow.FINDING_TRANSITIONS, finding.state, action)
    if target is None:
        raise Conflict(_("This step is not possible for the finding in its present state."))
    if workflow.FINDING_ACTORS[action] == workflow.Who.UNIT:
        if not may_report_rectification(actor, finding):
            raise PermissionDenied(
                _("Only the department concerned or the office staff may report.")
            )
        finding.rectification = _text(note, label=_("Rectification report"), max_length=TEXT_MAX)
    else:
        _require_staff(actor, finding.committee)
        note = _text(note, label=_("Note"), max_length=500, required=action == "return")
    source = finding.state
    finding.state = target
    finding.save(update_fields=["state", "rectification"])
    FindingEvent.objects.create(
        finding=finding,
        action=action,
        from_state=source,
        to_state=target,
        actor=actor,
        note=note[:500],
    )
    audit_log(
        action=f"consultations.finding_{action}",
        actor=actor,
        obj=finding,
        committee=finding.committee,
    )
    return finding

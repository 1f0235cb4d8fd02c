"""Writes to the duty ledger. Every app records a member's duties through
these functions, in the same transaction as the change that earned them.

Apps above this layer (points) keep derived figures in step by registering a
ledger listener: ``ledger_listen(on_change)`` is called with the records
written or withdrawn, inside the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import DomainError
from lvzhi.duties.models import DutyKind, DutyRecord

LedgerListener = Callable[[Sequence[DutyRecord]], None]
_listeners: list[LedgerListener] = []


def ledger_listen(listener: LedgerListener) -> None:
    """Register a function told of every record written or withdrawn (AppConfig.ready)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _tell_listeners(records: Sequence[DutyRecord]) -> None:
    if records:
        for listener in _listeners:
            listener(records)


def duty_record(
    *,
    member: Any,
    kind: str,
    date: date,
    source: models.Model,
    actor: Any = None,
    share: Decimal | float | str = Decimal("1"),
    title: str = "",
) -> DutyRecord:
    """Record that ``member`` did ``kind`` on ``date`` because of ``source``.

    Idempotent: recording the same member, kind and source again returns the
    live record unchanged (a retried request never counts twice)."""
    if kind not in DutyKind.values:
        raise DomainError(_("Unknown duty kind."))
    share = Decimal(str(share))
    if not Decimal("0") < share <= Decimal("1"):
        raise DomainError(_("A share of a duty must be more than 0 and at most 1."))
    source_type = ContentType.objects.get_for_model(source)
    with transaction.atomic():
        existing = DutyRecord.objects.filter(
            member=member,
            kind=kind,
            source_type=source_type,
            source_id=source.pk,
            withdrawn_at__isnull=True,
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                record = DutyRecord.objects.create(
                    committee_id=member.committee_id,
                    member=member,
                    kind=kind,
                    date=date,
                    share=share,
                    title=title[:200],
                    source_type=source_type,
                    source_id=source.pk,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            # A concurrent call recorded it first.
            return DutyRecord.objects.get(
                member=member,
                kind=kind,
                source_type=source_type,
                source_id=source.pk,
                withdrawn_at__isnull=True,
            )
        _tell_listeners([record])
    return record


def duty_records_withdraw(
    *,
    source: models.Model,
    actor: Any = None,
    reason: str = "",
    kinds: Iterable[str] | None = None,
    members: Iterable[Any] | None = None,
) -> list[DutyRecord]:
    """Withdraw the live records a source earned (all, or some kinds/members)."""
    with transaction.atomic():
        rows = DutyRecord.objects.select_for_update().filter(
            source_type=ContentType.objects.get_for_model(source),
            source_id=source.pk,
            withdrawn_at__isnull=True,
        )
        if kinds is not None:
            rows = rows.filter(kind__in=list(kinds))
        if members is not None:
            rows = rows.filter(member__in=list(members))
        withdrawn = list(rows)
        now = timezone.now()
        for record in withdrawn:
            record.withdrawn_at = now
            record.withdrawn_reason = reason[:200]
        DutyRecord.objects.bulk_update(withdrawn, ["withdrawn_at", "withdrawn_reason"])
        _tell_listeners(withdrawn)
    return withdrawn


# --- Duty activities ------------------------------------------------------------------
# (Imports kept here, below the ledger, so the ledger reads on its own.)

import datetime as _dt  # noqa: E402
from collections.abc import Mapping  # noqa: E402

from lvzhi.core.audit import audit_log  # noqa: E402
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed  # noqa: E402
from lvzhi.core.files import attachment_save  # noqa: E402
from lvzhi.core.notifications import notify  # noqa: E402
from lvzhi.duties import checkin, workflow  # noqa: E402
from lvzhi.duties.models import (  # noqa: E402
    ABSENT_KIND,
    ATTENDED_KIND,
    EXCUSED_KIND,
    Activity,
    ActivityEvent,
    ActivityKind,
    Contribution,
    DutyProject,
    DutyProjectLink,
    Invitation,
    InvitationEvent,
    PlenarySpeech,
    StudyNote,
)

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "start_at",
    "end_at",
    "place",
    "session_half_days",
    "organiser_kind",
    "organiser_special_committee",
    "organiser_sector",
    "organiser_studio",
    "organiser_station",
    "scope",
    "scope_sector",
    "scope_special_committee",
    "capacity",
)
# Who is invited is fixed when the activity is published.
SCOPE_FIELDS = ("scope", "scope_sector", "scope_special_committee")


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _activity_event(
    activity: Activity, old: str, new: str, action: str, actor: Any, note: str = ""
) -> None:
    ActivityEvent.objects.create(
        activity=activity,
        from_state=old,
        to_state=new,
        action=action,
        actor=_user_or_none(actor),
        note=note[:500],
    )


def _invitation_change(
    invitation: Invitation, action: str, actor: Any, note: str = "", **fields: Any
) -> Invitation:
    old = invitation.state
    new = workflow.invitation_next(old, action)
    invitation.state = new
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=["state", "updated_at", *fields])
    InvitationEvent.objects.create(
        invitation=invitation,
        from_state=old,
        to_state=new,
        action=action,
        actor=_user_or_none(actor),
        note=note[:500],
    )
    return invitation


def activity_save(
    *,
    committee: Any,
    actor: Any,
    data: Mapping[str, Any],
    activity: Activity | None = None,
    request: Any = None,
) -> Activity:
    """Create a draft activity or change one that is not closed or cancelled."""
    if data["end_at"] <= data["start_at"]:
        raise ValidationFailed(_("An activity must end after it starts."))
    with transaction.atomic():
        if activity is None:
            activity = Activity(committee=committee, created_by=_user_or_none(actor))
            creating = True
        else:
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
            creating = False
            if activity.state not in (Activity.State.DRAFT, Activity.State.PUBLISHED):
                raise Conflict(_("A closed or cancelled activity cannot be changed."))
        published = activity.state == Activity.State.PUBLISHED
        for name in ACTIVITY_FIELDS:
            if name in data and not (published and name in SCOPE_FIELDS):
                setattr(activity, name, data[name])
        if activity.kind != ActivityKind.PLENARY:
            activity.session_half_days = 1
        activity.save()
        if not published and "scope_members" in data:
            activity.scope_members.set(
                data["scope_members"] if activity.scope == Activity.Scope.LIST else []
            )
        if creating:
            _activity_event(activity, "", Activity.State.DRAFT, "create", actor)
        audit_log(
            action="duties.activity_create" if creating else "duties.activity_change",
            actor=actor,
            request=request,
            obj=activity,
            committee=activity.committee,
        )
    return activity


def activity_publish(*, activity: Activity, actor: Any, request: Any = None) -> int:
    """Publish a draft: invite every member in its scope and tell them. Returns
    the number invited."""
    from lvzhi.duties.selectors import scope_members_of

    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        new = workflow.activity_next(activity.state, "publish")
        members = list(scope_members_of(activity).select_related("person"))
        if not members:
            raise ValidationFailed(_("Nobody would be invited: choose who is invited."))
        old = activity.state
        activity.state = new
        activity.save(update_fields=["state", "updated_at"])
        Invitation.objects.bulk_create(
            [
                Invitation(committee_id=activity.committee_id, activity=activity, member=m)
                for m in members
            ],
            ignore_conflicts=True,
        )
        invitations = list(Invitation.objects.filter(activity=activity).only("id"))
        InvitationEvent.objects.bulk_create(
            [
                InvitationEvent(
                    invitation=i,
                    from_state="",
                    to_state=Invitation.State.INVITED,
                    action="invite",
                    actor=_user_or_none(actor),
                )
                for i in invitations
            ]
        )
        _activity_event(activity, old, new, "publish", actor)
        users = [m.person.user for m in members if m.person.user_id]
        if users:
            from django.urls import reverse

            notify(
                recipients=users,
                title=_("Invitation: %(title)s") % {"title": activity.title},
                body=_("%(start)s at %(place)s. Please sign up or ask for leave.")
                % {
                    "start": timezone.localtime(activity.start_at).strftime("%Y-%m-%d %H:%M"),
                    "place": activity.place,
                },
                url=reverse("duties:activity_detail", args=[activity.pk]),
                committee=activity.committee,
                dedupe_key=f"duties.invite.{activity.pk}",
                email=False,
            )
        audit_log(
            action="duties.activity_publish",
            actor=actor,
            request=request,
            obj=activity,
            committee=activity.committee,
            invited=len(invitations),
        )
    return len(invitations)


def activity_cancel(
    *, activity: Activity, actor: Any, reason: str, request: Any = None
) -> Activity:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for cancelling."))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        old = activity.state
        activity.state = workflow.activity_next(old, "cancel")
        activity.save(update_fields=["state", "updated_at"])
        _activity_event(activity, old, activity.state, "cancel", actor, reason)
        audit_log(
            action="duties.activity_cancel",
            actor=actor,
            request=request,
            obj=activity,
            committee=activity.committee,
            reason=reason,
        )
    return activity


def _record_outcome(invitation: Invitation, activity: Activity, actor: Any) -> None:
    by_outcome: dict[str, dict[str, str]] = {
        Invitation.State.ATTENDED: ATTENDED_KIND,
        Invitation.State.EXCUSED: EXCUSED_KIND,
        Invitation.State.ABSENT: ABSENT_KIND,
    }
    kind = by_outcome[invitation.state].get(activity.kind)
    if kind is None:
        return
    share = Decimal("1")
    if activity.kind == ActivityKind.PLENARY and activity.session_half_days > 1:
        share = (Decimal("1") / activity.session_half_days).quantize(Decimal("0.0001"))
    duty_record(
        member=invitation.member,
        kind=kind,
        date=timezone.localdate(activity.start_at),
        source=activity,
        actor=actor,
        share=share,
        title=activity.title,
    )


def activity_close(*, activity: Activity, actor: Any, request: Any = None) -> dict[str, int]:
    """Close an activity: approved leave becomes excused, every other open
    invitation absent, and each member's duty record is written."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        old = activity.state
        new = workflow.activity_next(old, "close")
        activity.state = new
        activity.save(update_fields=["state", "updated_at"])
        invitations = list(
            Invitation.objects.select_for_update()
            .filter(activity=activity)
            .select_related("member")
        )
        now = timezone.now()
        changed: list[Invitation] = []
        events: list[InvitationEvent] = []
        for invitation in invitations:
            if invitation.state in workflow.OPEN_STATES:
                before = invitation.state
                invitation.state = workflow.invitation_next(before, "close")
                invitation.attendance_method = Invitation.Method.CLOSING
                invitation.updated_at = now
                changed.append(invitation)
                events.append(
                    InvitationEvent(
                        invitation=invitation,
                        from_state=before,
                        to_state=invitation.state,
                        action="close",
                        actor=_user_or_none(actor),
                    )
                )
        Invitation.objects.bulk_update(changed, ["state", "attendance_method", "updated_at"])
        InvitationEvent.objects.bulk_create(events)
        counts: dict[str, int] = {}
        for invitation in invitations:
            counts[invitation.state] = counts.get(invitation.state, 0) + 1
            _record_outcome(invitation, activity, actor)
        _activity_event(activity, old, new, "close", actor)
        audit_log(
            action="duties.activity_close",
            actor=actor,
            request=request,
            obj=activity,
            committee=activity.committee,
            **{state: str(n) for state, n in counts.items()},
        )
    return counts


def _own_invitation(invitation: Invitation, actor: Any) -> Invitation:
    """Lock the invitation; only the invited member acts on it, while the
    activity is published."""
    locked = (
        Invitation.objects.select_for_update()
        .select_related("member__person", "activity")
        .get(pk=invitation.pk)
    )
    if locked.member.person.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is not your invitation."))
    if locked.activity.state != Activity.State.PUBLISHED:
        raise Conflict(_("This activity is not open for sign-up or leave."))
    return locked


def invitation_sign_up(*, invitation: Invitation, actor: Any) -> Invitation:
    """The member signs up; the activity row is locked first so two members
    can never take the last place together."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=invitation.activity_id)
        invitation = _own_invitation(invitation, actor)
        if timezone.now() > activity.end_at:
            raise Conflict(_("This activity is over."))
        if activity.capacity is not None:
            taken = Invitation.objects.filter(
                activity=activity, state__in=[Invitation.State.SIGNED_UP, Invitation.State.ATTENDED]
            ).count()
            if taken >= activity.capacity:
                raise Conflict(_("All places are taken."))
        return _invitation_change(invitation, "sign_up", actor)


def invitation_request_leave(*, invitation: Invitation, actor: Any, reason: str) -> Invitation:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for your leave."))
    if len(reason) > 500:
        raise ValidationFailed(_("The reason is too long (at most 500 characters)."))
    with transaction.atomic():
        invitation = _own_invitation(invitation, actor)
        invitation = _invitation_change(
            invitation, "request_leave", actor, reason, leave_reason=reason
        )
        audit_log(
            action="duties.leave_request",
            actor=actor,
            obj=invitation,
            committee=invitation.committee,
        )
    return invitation


def invitation_decide_leave(
    *, invitation: Invitation, actor: Any, approve: bool, note: str = "", request: Any = None
) -> Invitation:
    """Staff approve or refuse a request for leave; the member is told."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("member__person", "activity")
            .get(pk=invitation.pk)
        )
        if invitation.activity.state != Activity.State.PUBLISHED:
            raise Conflict(_("This activity is not open for sign-up or leave."))
        action = "approve_leave" if approve else "refuse_leave"
        invitation = _invitation_change(invitation, action, actor, note)
        user = invitation.member.person.user
        if user is not None:
            notify(
                recipients=[user],
                title=(_("Leave approved: %(title)s") if approve else _("Leave refused: %(title)s"))
                % {"title": invitation.activity.title},
                body=note,
                committee=invitation.activity.committee,
                email=False,
            )
        audit_log(
            action=f"duties.{action}",
            actor=actor,
            request=request,
            obj=invitation,
            committee=invitation.committee,
            note=note,
        )
    return invitation


def invitation_check_in(
    *, activity: Activity, actor: Any, slot: int, token: str, now: _dt.datetime | None = None
) -> Invitation:
    """Check the logged-in member in with a scanned code. The code must be
    genuine and fresh and the activity under way; the member must be invited;
    a second scan changes nothing and says so."""
    now = now or timezone.now()
    result = checkin.check_code(activity.pk, slot, token, now)
    if not result.ok:
        if result.reason == "expired":
            raise ValidationFailed(
                _("This check-in code has expired. Scan the code on the screen again.")
            )
        raise ValidationFailed(_("This check-in code is not valid."))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.state != Activity.State.PUBLISHED:
            raise Conflict(_("Check-in is closed for this activity."))
        if not checkin.in_window(activity.start_at, activity.end_at, now):
            raise ValidationFailed(
                _(
                    "Check-in is open only from 30 minutes before the start "
                    "to 30 minutes after the end."
                )
            )
        invitation = (
            Invitation.objects.select_for_update()
            .filter(activity=activity, member__person__user=actor)
            .first()
        )
        if invitation is None:
            raise PermissionDenied(_("You are not invited to this activity."))
        if invitation.state == Invitation.State.ATTENDED:
            raise Conflict(_("You have already checked in."))
        return _invitation_change(
            invitation,
            "check_in",
            actor,
            "",
            checked_in_at=now,
            attendance_method=Invitation.Method.QR,
        )


MARK_ACTIONS: dict[str, str] = {
    Invitation.State.ATTENDED: "mark_attended",
    Invitation.State.EXCUSED: "mark_excused",
    Invitation.State.ABSENT: "mark_absent",
}


def invitation_mark(
    *, invitation: Invitation, actor: Any, outcome: str, reason: str, request: Any = None
) -> Invitation:
    """Staff record attendance by hand, with a reason (audited)."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for marking attendance by hand."))
    if outcome not in MARK_ACTIONS:
        raise ValidationFailed(_("Choose attended, excused or absent."))
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("activity").get(pk=invitation.pk)
        )
        if invitation.activity.state != Activity.State.PUBLISHED:
            raise Conflict(_("Attendance can be marked only while the activity is open."))
        if invitation.state == outcome:
            raise Conflict(_("The attendance is already recorded so."))
        fields: dict[str, Any] = {"attendance_method": Invitation.Method.MANUAL}
        if outcome == Invitation.State.ATTENDED:
            fields["checked_in_at"] = timezone.now()
        invitation = _invitation_change(invitation, MARK_ACTIONS[outcome], actor, reason, **fields)
        audit_log(
            action="duties.attendance_mark",
            actor=actor,
            request=request,
            obj=invitation,
            committee=invitation.committee,
            outcome=outcome,
            reason=reason,
        )
    return invitation


# --- Study notes, speeches, services, projects -------------------------------------


def _member_of_actor(member: Any, actor: Any) -> None:
    if member.person.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You may only change your own entries."))


def study_note_save(
    *, member: Any, actor: Any, title: str, text: str, date: _dt.date, note: StudyNote | None = None
) -> StudyNote:
    """A member writes (or edits) a study note; a new note records a duty."""
    _member_of_actor(member, actor)
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
            if note.member_id != member.pk:
                raise PermissionDenied(_("You may only change your own entries."))
            note.title, note.text, note.date = title.strip(), text.strip(), date
            note.save(update_fields=["title", "text", "date", "updated_at"])
            duty_records_withdraw(source=note, actor=actor, reason="edited")
        duty_record(
            member=member,
            kind=DutyKind.STUDY_NOTE,
            date=date,
            source=note,
            actor=actor,
            title=note.title,
        )
    return note


def study_note_delete(*, note: StudyNote, actor: Any) -> None:
    _member_of_actor(note.member, actor)
    with transaction.atomic():
        duty_records_withdraw(source=note, actor=actor, reason="deleted")
        note.delete()


def speech_register(
    *,
    member: Any,
    actor: Any,
    title: str,
    date: _dt.date,
    session: Any = None,
    request: Any = None,
) -> PlenarySpeech:
    if not title.strip():
        raise ValidationFailed(_("Give the title of the speech."))
    with transaction.atomic():
        speech = PlenarySpeech.objects.create(
            committee_id=member.committee_id,
            member=member,
            title=title.strip(),
            date=date,
            session=session,
            created_by=_user_or_none(actor),
        )
        duty_record(
            member=member,
            kind=DutyKind.PLENARY_SPEECH,
            date=date,
            source=speech,
            actor=actor,
            title=speech.title,
        )
        audit_log(
            action="duties.speech_register",
            actor=actor,
            request=request,
            obj=speech,
            committee=member.committee,
        )
    return speech


def speech_withdraw(*, speech: PlenarySpeech, actor: Any, request: Any = None) -> None:
    with transaction.atomic():
        duty_records_withdraw(source=speech, actor=actor, reason="speech removed")
        audit_log(
            action="duties.speech_remove",
            actor=actor,
            request=request,
            obj=speech,
            committee=speech.committee,
        )
        speech.delete()


def contribution_submit(
    *,
    member: Any,
    actor: Any,
    kind: str,
    title: str,
    description: str,
    date: _dt.date,
    evidence: Any = None,
) -> Contribution:
    """A member reports a service or an investment/talent item with evidence."""
    _member_of_actor(member, actor)
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
        if evidence is not None:
            attachment_save(
                committee=member.committee,
                owner=item,
                upload=evidence,
                actor=actor,
                purpose="evidence",
            )
    return item


def contribution_review(
    *, item: Contribution, actor: Any, confirm: bool, note: str = "", request: Any = None
) -> Contribution:
    """Staff confirm (the duty is recorded) or decline an item."""
    if not confirm and not note.strip():
        raise ValidationFailed(_("Say why the item is not confirmed."))
    with transaction.atomic():
        item = Contribution.objects.select_for_update().select_related("member").get(pk=item.pk)
        if item.state != Contribution.State.SUBMITTED:
            raise Conflict(_("This item has already been reviewed."))
        item.state = Contribution.State.CONFIRMED if confirm else Contribution.State.REJECTED
        item.review_note = note.strip()[:500]
        item.reviewed_by = _user_or_none(actor)
        item.reviewed_at = timezone.now()
        item.save(update_fields=["state", "review_note", "reviewed_by", "reviewed_at"])
        if confirm:
            duty_record(
                member=item.member,
                kind=item.duty_kind,
                date=item.date,
                source=item,
                actor=actor,
                title=item.title,
            )
        audit_log(
            action="duties.contribution_review",
            actor=actor,
            request=request,
            obj=item,
            committee=item.committee,
            state=item.state,
        )
    return item


def project_declare(
    *,
    member: Any,
    actor: Any,
    year: int,
    topic: str,
    planned_steps: str,
    project: DutyProject | None = None,
) -> DutyProject:
    _member_of_actor(member, actor)
    if not topic.strip() or not planned_steps.strip():
        raise ValidationFailed(_("Give the topic and the planned steps."))
    with transaction.atomic():
        if project is None:
            return DutyProject.objects.create(
                committee_id=member.committee_id,
                member=member,
                year=year,
                topic=topic.strip(),
                planned_steps=planned_steps.strip(),
            )
        project = DutyProject.objects.select_for_update().get(pk=project.pk)
        if project.member_id != member.pk:
            raise PermissionDenied(_("You may only change your own entries."))
        if project.state == DutyProject.State.APPROVED:
            raise Conflict(_("An approved project cannot be changed."))
        project.topic, project.planned_steps, project.year = (
            topic.strip(),
            planned_steps.strip(),
            year,
        )
        project.state = DutyProject.State.DECLARED
        project.save(update_fields=["topic", "planned_steps", "year", "state"])
        return project


def project_review(
    *, project: DutyProject, actor: Any, approve: bool, note: str = "", request: Any = None
) -> DutyProject:
    if not approve and not note.strip():
        raise ValidationFailed(_("Say what should be revised."))
    with transaction.atomic():
        project = DutyProject.objects.select_for_update().get(pk=project.pk)
        if project.state != DutyProject.State.DECLARED:
            raise Conflict(_("This project is not awaiting approval."))
        project.state = DutyProject.State.APPROVED if approve else DutyProject.State.RETURNED
        project.review_note = note.strip()[:500]
        project.reviewed_by = _user_or_none(actor)
        project.save(update_fields=["state", "review_note", "reviewed_by"])
        audit_log(
            action="duties.project_review",
            actor=actor,
            request=request,
            obj=project,
            committee=project.committee,
            state=project.state,
        )
    return project


def project_link(
    *,
    project: DutyProject,
    actor: Any,
    kind: str,
    activity: Activity | None = None,
    reference: str = "",
    note: str = "",
) -> DutyProjectLink:
    """The member links an activity they attended, or a proposal/report number."""
    _member_of_actor(project.member, actor)
    if project.state != DutyProject.State.APPROVED:
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
    return DutyProjectLink.objects.create(
        project=project,
        kind=kind,
        activity=activity if kind == "activity" else None,
        reference=reference.strip()[:100],
        note=note.strip()[:200],
    )

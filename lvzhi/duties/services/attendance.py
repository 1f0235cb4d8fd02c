"""Invitations: members sign up, ask for leave and check in by QR code;
staff decide leave and mark attendance by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.committee_settings import setting_value
from lvzhi.core.corrections import correction_reason, corrections_record, field_values
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import denial_log, require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties import checkin
from lvzhi.duties.audit import ATTENDANCE_CORRECT
from lvzhi.duties.models import Activity, Invitation
from lvzhi.duties.services.activities import outcome_kinds, record_outcome
from lvzhi.duties.services.ledger import duty_records_withdraw, ledger_batch
from lvzhi.duties.settings_defs import CHECKIN_MARGIN_MINUTES
from lvzhi.duties.workflow import CORRECT_ACTIONS, MARK_ACTIONS

# What a correction of attendance changes (and keeps the original of).
CORRECTED_FIELDS = ("state",)


def _require_open(invitation: Invitation, message: str) -> None:
    if not Activity.objects.filter(
        pk=invitation.activity_id, state=Activity.State.PUBLISHED
    ).exists():
        raise Conflict(message)


def invitation_sign_up(*, invitation: Invitation, actor: Any) -> Invitation:
    """The member signs up; the activity row is locked first so two members
    can never take the last place together."""
    require_perm(actor, "duties.answer_invitation", invitation)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=invitation.activity_id)
        if activity.state != Activity.State.PUBLISHED:
            raise Conflict(_("This activity is not open for sign-up or leave."))
        if timezone.now() > activity.end_at:
            raise Conflict(_("This activity is over."))
        if activity.capacity is not None:
            taken = Invitation.objects.filter(
                activity=activity, state__in=[Invitation.State.SIGNED_UP, Invitation.State.ATTENDED]
            ).count()
            if taken >= activity.capacity:
                raise Conflict(_("All places are taken."))
        return transition(invitation, "sign_up", actor=actor)


def invitation_request_leave(*, invitation: Invitation, actor: Any, reason: str) -> Invitation:
    require_perm(actor, "duties.answer_invitation", invitation)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for your leave."))
    if len(reason) > 500:
        raise ValidationFailed(_("The reason is too long (at most 500 characters)."))
    _require_open(invitation, _("This activity is not open for sign-up or leave."))
    return transition(
        invitation, "request_leave", actor=actor, note=reason, changes={"leave_reason": reason}
    )


def invitation_withdraw_leave(*, invitation: Invitation, actor: Any) -> Invitation:
    """The member takes back a leave request not yet decided; they are
    invited again and may sign up."""
    require_perm(actor, "duties.answer_invitation", invitation)
    _require_open(invitation, _("This activity is not open for sign-up or leave."))
    return transition(invitation, "withdraw_leave", actor=actor, changes={"leave_reason": ""})


def invitation_decide_leave(
    *, invitation: Invitation, actor: Any, approve: bool, note: str = ""
) -> Invitation:
    """Staff approve or refuse a request for leave; the member is told."""
    require_perm(actor, "duties.decide_leave", invitation)
    _require_open(invitation, _("This activity is not open for sign-up or leave."))
    action = "approve_leave" if approve else "refuse_leave"
    with transaction.atomic():
        invitation = transition(invitation, action, actor=actor, note=note, comment=note)
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
    return invitation


def invitation_check_in(
    *, activity: Activity, actor: Any, slot: int, token: str, now: dt.datetime | None = None
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
    invitation = (
        Invitation.objects.filter(activity_id=activity.pk, member__person__user=actor).first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if invitation is None:
        denial_log(actor, "duties.answer_invitation", activity)
        raise PermissionDenied(_("You are not invited to this activity."))
    require_perm(actor, "duties.answer_invitation", invitation)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.state != Activity.State.PUBLISHED:
            raise Conflict(_("Check-in is closed for this activity."))
        margin = dt.timedelta(minutes=setting_value(activity.committee, CHECKIN_MARGIN_MINUTES))
        if not checkin.in_window(activity.start_at, activity.end_at, now, margin):
            raise ValidationFailed(
                _(
                    "Check-in is open only from %(minutes)s minutes before the start "
                    "to %(minutes)s minutes after the end."
                )
                % {"minutes": int(margin.total_seconds() // 60)}
            )
        if Invitation.objects.filter(pk=invitation.pk, state=Invitation.State.ATTENDED).exists():
            raise Conflict(_("You have already checked in."))
        return transition(
            invitation,
            "check_in",
            actor=actor,
            changes={"checked_in_at": now, "attendance_method": Invitation.Method.QR},
        )


def invitation_mark(*, invitation: Invitation, actor: Any, outcome: str, reason: str) -> Invitation:
    """Staff record attendance by hand, with a reason (audited)."""
    require_perm(actor, "duties.mark_attendance", invitation)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for marking attendance by hand."))
    if outcome not in MARK_ACTIONS:
        raise ValidationFailed(_("Choose attended, excused or absent."))
    _require_open(invitation, _("Attendance can be marked only while the activity is open."))
    if Invitation.objects.filter(pk=invitation.pk, state=outcome).exists():
        raise Conflict(_("The attendance is already recorded so."))
    changes: dict[str, Any] = {"attendance_method": Invitation.Method.MANUAL}
    if outcome == Invitation.State.ATTENDED:
        changes["checked_in_at"] = timezone.now()
    return transition(
        invitation,
        MARK_ACTIONS[outcome],
        actor=actor,
        note=reason,
        changes=changes,
        outcome=outcome,
        reason=reason,
    )


def invitation_correct(
    *, invitation: Invitation, actor: Any, outcome: str, reason: str
) -> Invitation:
    """After closing, staff correct a member's attendance (present, excused or
    absent) with a reason. The original stays readable (core.corrections),
    and the member's duty record moves in the same transaction: the record
    of the old outcome is withdrawn, that of the new one written (points are
    re-scored by the ledger's listeners)."""
    require_perm(actor, "duties.correct_attendance", invitation)
    reason = correction_reason(reason)
    if outcome not in CORRECT_ACTIONS:
        raise ValidationFailed(_("Choose attended, excused or absent."))
    with transaction.atomic():
        current = (
            Invitation.objects.select_for_update()
            .select_related("activity", "member")
            .get(pk=invitation.pk)
        )
        if current.activity.state != Activity.State.CLOSED:
            raise Conflict(_("Attendance is corrected only after the activity is closed."))
        if current.state == outcome:
            raise Conflict(_("The attendance is already recorded so."))
        before = field_values(current, CORRECTED_FIELDS)
        # The time of a QR scan stays on file (the page shows it only when attended).
        transition(
            current,
            CORRECT_ACTIONS[outcome],
            actor=actor,
            note=reason,
            changes={"attendance_method": Invitation.Method.MANUAL},
            outcome=outcome,
            reason=reason,
        )
        corrections_record(
            current, before=before, actor=actor, reason=reason, audit_action=ATTENDANCE_CORRECT
        )
        activity = current.activity
        # The old outcome's record out, the new one's in: one recount of the score.
        with ledger_batch():
            duty_records_withdraw(
                source=activity,
                actor=actor,
                reason=reason,
                kinds=outcome_kinds(activity),
                members=[current.member_id],
            )
            record_outcome(current, activity, actor)
    invitation.state = current.state
    return current

"""Duty activities: staff create and change them, publish them (inviting
everyone in scope), cancel them, and close them (deciding every open
invitation and writing each member's duty record)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import require_perm, user_or_none
from lvzhi.core.workflow import transition
from lvzhi.duties import tally
from lvzhi.duties.audit import ACTIVITY_CREATE
from lvzhi.duties.models import (
    ABSENT_KIND,
    ACTIVITY_FIELDS,
    ATTENDED_KIND,
    EXCUSED_KIND,
    SCOPE_FIELDS,
    Activity,
    ActivityKind,
    Invitation,
    InvitationEvent,
)
from lvzhi.duties.services.ledger import duty_record, ledger_batch
from lvzhi.duties.workflow import ACTIVITY_FLOW, INVITATION_FLOW, OPEN_STATES


def _fields_of(data: Mapping[str, Any], *, published: bool, kind: str = "") -> dict[str, Any]:
    fields = {
        name: data[name]
        for name in ACTIVITY_FIELDS
        if name in data and not (published and name in SCOPE_FIELDS)
    }
    if fields.get("kind", kind) != ActivityKind.PLENARY:
        fields["session_half_days"] = 1
    return fields


def activity_save(
    *,
    committee: Any,
    actor: Any,
    data: Mapping[str, Any],
    activity: Activity | None = None,
) -> Activity:
    """Create a draft activity or change one that is not closed or cancelled."""
    require_perm(
        actor,
        "duties.manage_activities" if activity is None else "duties.manage_activity",
        committee if activity is None else activity,
    )
    if data["end_at"] <= data["start_at"]:
        raise ValidationFailed(_("An activity must end after it starts."))
    if activity is None:
        return _activity_create(committee=committee, actor=actor, data=data)
    with transaction.atomic():
        current = Activity.objects.select_for_update().get(pk=activity.pk)
        if not ACTIVITY_FLOW.allowed(current, "change"):
            raise Conflict(_("A closed or cancelled activity cannot be changed."))
        published = current.state == Activity.State.PUBLISHED
        kind, year = current.kind, timezone.localtime(current.start_at).year
        changes = _fields_of(data, published=published, kind=current.kind)
        activity = transition(current, "change", actor=actor, changes=changes)
        if published and (activity.kind, timezone.localtime(activity.start_at).year) != (
            kind,
            year,
        ):
            # Its invitations now count under another kind or year.
            tally.activity_invitations_recount(activity, years=[year])
        if not published and "scope_members" in data:
            activity.scope_members.set(
                data["scope_members"] if activity.scope == Activity.Scope.LIST else []
            )
    return activity


def _activity_create(*, committee: Any, actor: Any, data: Mapping[str, Any]) -> Activity:
    with transaction.atomic():
        activity = Activity(
            committee=committee,
            created_by=user_or_none(actor),
            **_fields_of(data, published=False),
        )
        activity.save()
        if "scope_members" in data:
            activity.scope_members.set(
                data["scope_members"] if activity.scope == Activity.Scope.LIST else []
            )
        ACTIVITY_FLOW.log_created(activity, actor=actor, action="create")
        audit_log(action=ACTIVITY_CREATE, obj=activity)
    return activity


def activity_publish(*, activity: Activity, actor: Any) -> int:
    """Publish a draft: invite every member in its scope and tell them. Returns
    the number invited."""
    from lvzhi.duties.selectors import scope_members_of

    require_perm(actor, "duties.manage_activity", activity)
    with transaction.atomic():
        members = list(scope_members_of(activity).select_related("person"))
        activity = transition(activity, "publish", actor=actor, invited=len(members))
        if not members:
            raise ValidationFailed(_("Nobody would be invited: choose who is invited."))
        Invitation.objects.bulk_create(
            [
                Invitation(committee_id=activity.committee_id, activity=activity, member=m)
                for m in members
            ],
            ignore_conflicts=True,
        )
        invitations = list(Invitation.objects.filter(activity=activity).only("id"))
        tally.activity_invitations_recount(activity)
        # An invitation is created in its first state: logged, no transition.
        InvitationEvent.objects.bulk_create(
            [
                InvitationEvent(
                    invitation=i,
                    from_state="",
                    to_state=Invitation.State.INVITED,
                    action="invite",
                    actor=user_or_none(actor),
                )
                for i in invitations
            ]
        )
        users = [m.person.user for m in members if m.person.user_id]
        if users:
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
    return len(invitations)


def activity_cancel(*, activity: Activity, actor: Any, reason: str) -> Activity:
    require_perm(actor, "duties.manage_activity", activity)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for cancelling."))
    return transition(activity, "cancel", actor=actor, note=reason, reason=reason)


# The duty record each final outcome writes, by the activity's kind.
_BY_OUTCOME: dict[str, dict[str, str]] = {
    Invitation.State.ATTENDED: ATTENDED_KIND,
    Invitation.State.EXCUSED: EXCUSED_KIND,
    Invitation.State.ABSENT: ABSENT_KIND,
}


def outcome_kinds(activity: Activity) -> set[str]:
    """Every duty kind an outcome of ``activity`` may have written."""
    return {kinds[activity.kind] for kinds in _BY_OUTCOME.values() if activity.kind in kinds}


def record_outcome(invitation: Invitation, activity: Activity, actor: Any) -> None:
    """Write the member's duty record for the invitation's final outcome (if any)."""
    kind = _BY_OUTCOME[invitation.state].get(activity.kind)
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


def activity_close(*, activity: Activity, actor: Any) -> dict[str, int]:
    """Close an activity: approved leave becomes excused, every other open
    invitation absent, and each member's duty record is written. Returns the
    number of invitations in each final state."""
    require_perm(actor, "duties.manage_activity", activity)
    with transaction.atomic():
        Activity.objects.select_for_update().get(pk=activity.pk)
        invitations = list(
            Invitation.objects.select_for_update()
            .filter(activity=activity)
            .select_related("member")
        )
        counts: dict[str, int] = {}
        for invitation in invitations:
            row = INVITATION_FLOW.find(invitation.state, "close")
            outcome = row.target if row is not None and row.target else invitation.state
            counts[outcome] = counts.get(outcome, 0) + 1
        activity = transition(activity, "close", actor=actor, outcomes=counts)
        # One recount of the scores for all the invitees, not one per invitee.
        with ledger_batch():
            for invitation in invitations:
                if invitation.state in OPEN_STATES:
                    transition(
                        invitation,
                        "close",
                        actor=actor,
                        changes={"attendance_method": Invitation.Method.CLOSING},
                    )
                record_outcome(invitation, activity, actor)
    return counts

"""Activities: publishing invites the scope, members sign up or ask for leave,
staff decide leave and mark attendance, closing writes the duty records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lvzhi.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, Notification
from lvzhi.duties import services
from lvzhi.duties.models import (
    Activity,
    ActivityKind,
    DutyKind,
    DutyRecord,
    Invitation,
    InvitationEvent,
)
from lvzhi.duties.tests.factories import make_activity
from lvzhi.org.models import Member
from lvzhi.org.tests.factories import SectorFactory, SpecialCommitteeFactory

pytestmark = pytest.mark.django_db


def inv(activity, member):
    return Invitation.objects.get(activity=activity, member=member)


def test_publishing_invites_every_member_in_scope_and_tells_them(
    committee, duties_staff, new_member
):
    sector = SectorFactory(committee=committee)
    a, b = new_member(sector=sector), new_member(sector=sector)
    other = new_member()
    activity = make_activity(
        committee, duties_staff, scope=Activity.Scope.SECTOR, scope_sector=sector
    )
    assert activity.state == Activity.State.PUBLISHED
    assert set(activity.invitations.values_list("member_id", flat=True)) == {a.pk, b.pk}
    assert not Invitation.objects.filter(member=other).exists()
    assert Notification.objects.filter(recipient=a.person.user).count() == 1
    assert InvitationEvent.objects.filter(action="invite").count() == 2
    assert activity.events.values_list("action", flat=True)[::1] == ["create", "publish"]


def test_scopes_standing_special_committee_and_list(committee, duties_staff, new_member):
    standing = new_member(position=Member.Position.STANDING)
    plain = new_member()
    sc = SpecialCommitteeFactory(committee=committee)
    plain.special_committees.add(sc)
    resigned = new_member(status=Member.Status.RESIGNED)
    a1 = make_activity(
        committee, duties_staff, scope=Activity.Scope.STANDING, kind=ActivityKind.STANDING
    )
    assert list(a1.invitations.values_list("member_id", flat=True)) == [standing.pk]
    a2 = make_activity(
        committee, duties_staff, scope=Activity.Scope.SPECIAL_COMMITTEE, scope_special_committee=sc
    )
    assert list(a2.invitations.values_list("member_id", flat=True)) == [plain.pk]
    a3 = make_activity(
        committee, duties_staff, scope=Activity.Scope.LIST, scope_members=[standing, resigned]
    )
    assert list(a3.invitations.values_list("member_id", flat=True)) == [standing.pk]


def test_publishing_with_nobody_in_scope_is_refused_and_changes_nothing(committee, duties_staff):
    activity = make_activity(committee, duties_staff, publish=False)
    with pytest.raises(ValidationFailed):
        services.activity_publish(activity=activity, actor=duties_staff)
    activity.refresh_from_db()
    assert activity.state == Activity.State.DRAFT


def test_an_activity_must_end_after_it_starts(committee, duties_staff):
    now = timezone.now()
    with pytest.raises(ValidationFailed):
        make_activity(committee, duties_staff, start_at=now, end_at=now)
    assert not Activity.objects.exists()


def test_sign_up_and_leave_approved_then_closing_records_outcomes(
    committee, duties_staff, new_member
):
    a, b, c = new_member(), new_member(), new_member()
    activity = make_activity(committee, duties_staff, kind=ActivityKind.PLENARY)
    services.invitation_sign_up(invitation=inv(activity, a), actor=a.person.user)
    services.invitation_request_leave(
        invitation=inv(activity, b), actor=b.person.user, reason="出差"
    )
    services.invitation_decide_leave(invitation=inv(activity, b), actor=duties_staff, approve=True)
    services.invitation_mark(
        invitation=inv(activity, a), actor=duties_staff, outcome="attended", reason="手机没电"
    )

    counts = services.activity_close(activity=activity, actor=duties_staff)

    assert counts == {"attended": 1, "excused": 1, "absent": 1}
    kinds = dict(DutyRecord.objects.values_list("member_id", "kind"))
    assert kinds == {
        a.pk: DutyKind.PLENARY_ATTENDED,
        b.pk: DutyKind.PLENARY_EXCUSED,
        c.pk: DutyKind.PLENARY_ABSENT,
    }
    assert inv(activity, c).state == Invitation.State.ABSENT
    assert AuditEvent.objects.filter(
        action="duties.invitation.mark_attended", detail__reason="手机没电"
    ).exists()
    assert InvitationEvent.objects.filter(
        invitation=inv(activity, b), action="close", to_state="excused"
    ).exists()


def test_plenary_half_days_share_a_sessions_points(committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(
        committee, duties_staff, kind=ActivityKind.PLENARY, session_half_days=4
    )
    services.invitation_mark(
        invitation=inv(activity, a), actor=duties_staff, outcome="attended", reason="到会"
    )
    services.activity_close(activity=activity, actor=duties_staff)
    assert DutyRecord.objects.get(member=a).share == Decimal("0.25")


def test_research_writes_only_attendance_records(committee, duties_staff, new_member):
    a, _b = new_member(), new_member()
    activity = make_activity(committee, duties_staff, kind=ActivityKind.RESEARCH)
    services.invitation_mark(
        invitation=inv(activity, a), actor=duties_staff, outcome="attended", reason="到会"
    )
    services.activity_close(activity=activity, actor=duties_staff)
    assert list(DutyRecord.objects.values_list("member_id", "kind")) == [(a.pk, DutyKind.RESEARCH)]


def test_capacity_is_respected(committee, duties_staff, new_member):
    a, b = new_member(), new_member()
    activity = make_activity(committee, duties_staff, capacity=1)
    services.invitation_sign_up(invitation=inv(activity, a), actor=a.person.user)
    with pytest.raises(Conflict):
        services.invitation_sign_up(invitation=inv(activity, b), actor=b.person.user)
    assert inv(activity, b).state == Invitation.State.INVITED


def test_a_member_cannot_act_on_someone_elses_invitation(committee, duties_staff, new_member):
    a, b = new_member(), new_member()
    activity = make_activity(committee, duties_staff)
    with pytest.raises(PermissionDenied):
        services.invitation_sign_up(invitation=inv(activity, a), actor=b.person.user)
    with pytest.raises(PermissionDenied):
        services.invitation_request_leave(
            invitation=inv(activity, a), actor=b.person.user, reason="x"
        )
    assert inv(activity, a).state == Invitation.State.INVITED


def test_leave_needs_a_reason(committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(ValidationFailed):
            services.invitation_request_leave(
                invitation=inv(activity, a), actor=a.person.user, reason=reason
            )
    assert inv(activity, a).state == Invitation.State.INVITED


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ([], "approve"),  # nothing requested
        (["sign_up"], "sign_up"),  # twice
    ],
)
def test_forbidden_transitions_are_refused(committee, duties_staff, new_member, setup, action):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    for _step in setup:
        services.invitation_sign_up(invitation=inv(activity, a), actor=a.person.user)
    with pytest.raises(DomainError):
        if action == "approve":
            services.invitation_decide_leave(
                invitation=inv(activity, a), actor=duties_staff, approve=True
            )
        else:
            services.invitation_sign_up(invitation=inv(activity, a), actor=a.person.user)


def test_closed_or_cancelled_activities_refuse_changes(committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    services.activity_close(activity=activity, actor=duties_staff)
    with pytest.raises(Conflict):
        services.activity_close(activity=activity, actor=duties_staff)
    with pytest.raises(Conflict):
        services.invitation_sign_up(invitation=inv(activity, a), actor=a.person.user)
    with pytest.raises(Conflict):
        services.invitation_mark(
            invitation=inv(activity, a), actor=duties_staff, outcome="attended", reason="x"
        )
    with pytest.raises(Conflict):
        services.activity_cancel(activity=activity, actor=duties_staff, reason="x")
    draft = make_activity(committee, duties_staff, publish=False)
    with pytest.raises(ValidationFailed):
        services.activity_cancel(activity=draft, actor=duties_staff, reason=" ")
    services.activity_cancel(activity=draft, actor=duties_staff, reason="天气")
    draft.refresh_from_db()
    assert draft.state == Activity.State.CANCELLED


def test_marking_by_hand_needs_a_reason(committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    with pytest.raises(ValidationFailed):
        services.invitation_mark(
            invitation=inv(activity, a), actor=duties_staff, outcome="attended", reason=""
        )
    with pytest.raises(ValidationFailed):
        services.invitation_mark(
            invitation=inv(activity, a), actor=duties_staff, outcome="bogus", reason="x"
        )
    assert inv(activity, a).state == Invitation.State.INVITED


def test_signing_up_after_the_end_is_refused(committee, duties_staff, new_member):
    a = new_member()
    start = timezone.now() - dt.timedelta(days=2)
    activity = make_activity(
        committee, duties_staff, start_at=start, end_at=start + dt.timedelta(hours=2)
    )
    with pytest.raises(Conflict):
        services.invitation_sign_up(invitation=inv(activity, a), actor=a.person.user)

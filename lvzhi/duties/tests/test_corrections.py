"""Correcting attendance after an activity is closed (issue 12): staff of
the duties area only, with a reason, the original kept beside the record,
one audit row, the duty record and the member's points moved in the same
transaction; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import Area, Role
from lvzhi.core.corrections import corrections_of
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, Correction
from lvzhi.core.testing import page_queries
from lvzhi.duties import services
from lvzhi.duties.audit import ATTENDANCE_CORRECT
from lvzhi.duties.models import ActivityKind, DutyKind, DutyRecord, Invitation
from lvzhi.duties.tests.factories import make_activity, make_member
from lvzhi.org.tests.factories import CommitteeFactory
from lvzhi.points.models import MemberScore
from lvzhi.points.tests.helpers import active_default_policy

pytestmark = pytest.mark.django_db

S = Invitation.State


def _score(member) -> Decimal:
    row = MemberScore.objects.filter(member=member, year=timezone.localdate().year).first()
    return row.score if row is not None else Decimal("0")


def _live(member, activity) -> list[str]:
    return sorted(
        DutyRecord.objects.filter(
            member=member, source_id=activity.pk, withdrawn_at__isnull=True
        ).values_list("kind", flat=True)
    )


@pytest.fixture
def closed(committee, duties_staff, new_member):
    """A closed plenary half-day: ``present`` checked in, ``away`` absent."""
    active_default_policy(committee, year=timezone.localdate().year)
    present, away = new_member(username="present"), new_member(username="away")
    activity = make_activity(committee, duties_staff, kind=ActivityKind.PLENARY)
    services.invitation_mark(
        invitation=Invitation.objects.get(activity=activity, member=present),
        actor=duties_staff,
        outcome=S.ATTENDED,
        reason="现场签到",
    )
    services.activity_close(activity=activity, actor=duties_staff)
    return {"activity": activity, "present": present, "away": away}


def inv(activity, member) -> Invitation:
    return Invitation.objects.get(activity=activity, member=member)


def test_correcting_absent_to_attended_moves_the_record_and_the_points(closed, duties_staff):
    activity, away = closed["activity"], closed["away"]
    assert _live(away, activity) == [DutyKind.PLENARY_ABSENT]
    before = _score(away)

    services.invitation_correct(
        invitation=inv(activity, away), actor=duties_staff, outcome=S.ATTENDED, reason="补签到"
    )

    assert inv(activity, away).state == S.ATTENDED
    assert _live(away, activity) == [DutyKind.PLENARY_ATTENDED]
    withdrawn = DutyRecord.objects.get(member=away, withdrawn_at__isnull=False)
    assert (withdrawn.kind, withdrawn.withdrawn_reason) == (DutyKind.PLENARY_ABSENT, "补签到")
    assert _score(away) == before + Decimal("30")
    # The original stays readable, with who corrected it and why.
    (correction,) = corrections_of(inv(activity, away))
    assert (correction.field, correction.original, correction.corrected) == (
        "state",
        str(S.ABSENT.label),
        str(S.ATTENDED.label),
    )
    assert (correction.reason, correction.actor) == ("补签到", duties_staff)
    audit = AuditEvent.objects.get(action=ATTENDANCE_CORRECT)
    assert audit.object_id == str(inv(activity, away).pk)
    assert audit.detail["reason"] == "补签到"
    assert audit.detail["changes"]["state"]["before"] == str(S.ABSENT.label)


def test_correcting_attended_to_excused_and_back(closed, duties_staff):
    activity, present = closed["activity"], closed["present"]
    attended = _score(present)
    services.invitation_correct(
        invitation=inv(activity, present), actor=duties_staff, outcome=S.EXCUSED, reason="实为请假"
    )
    assert _live(present, activity) == [DutyKind.PLENARY_EXCUSED]
    assert _score(present) == attended - Decimal("15")
    assert inv(activity, present).checked_in_shown is None
    services.invitation_correct(
        invitation=inv(activity, present), actor=duties_staff, outcome=S.ATTENDED, reason="核实出席"
    )
    assert _live(present, activity) == [DutyKind.PLENARY_ATTENDED]
    assert _score(present) == attended
    assert [c.original for c in corrections_of(inv(activity, present))] == [
        str(S.ATTENDED.label),
        str(S.EXCUSED.label),
    ]


def test_a_research_trip_corrected_to_absent_loses_its_record(committee, duties_staff, new_member):
    me = new_member()
    activity = make_activity(committee, duties_staff)
    services.invitation_mark(
        invitation=inv(activity, me), actor=duties_staff, outcome=S.ATTENDED, reason="到场"
    )
    services.activity_close(activity=activity, actor=duties_staff)
    assert _live(me, activity) == [DutyKind.RESEARCH]
    services.invitation_correct(
        invitation=inv(activity, me), actor=duties_staff, outcome=S.ABSENT, reason="误记"
    )
    assert _live(me, activity) == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_a_missing_or_long_reason_is_refused_and_changes_nothing(closed, duties_staff, reason):
    activity, away = closed["activity"], closed["away"]
    audits, score = AuditEvent.objects.count(), _score(away)
    with pytest.raises(ValidationFailed):
        services.invitation_correct(
            invitation=inv(activity, away), actor=duties_staff, outcome=S.ATTENDED, reason=reason
        )
    assert inv(activity, away).state == S.ABSENT
    assert _live(away, activity) == [DutyKind.PLENARY_ABSENT]
    assert (AuditEvent.objects.count(), _score(away)) == (audits, score)
    assert not Correction.objects.exists()


def test_the_same_outcome_or_an_open_activity_is_refused(committee, duties_staff, closed):
    activity, away = closed["activity"], closed["away"]
    with pytest.raises(Conflict):
        services.invitation_correct(
            invitation=inv(activity, away), actor=duties_staff, outcome=S.ABSENT, reason="再记"
        )
    with pytest.raises(ValidationFailed):
        services.invitation_correct(
            invitation=inv(activity, away), actor=duties_staff, outcome="bogus", reason="x"
        )
    published = make_activity(committee, duties_staff)
    with pytest.raises(Conflict):
        services.invitation_correct(
            invitation=inv(published, away), actor=duties_staff, outcome=S.ATTENDED, reason="x"
        )
    assert not Correction.objects.exists()


def test_members_and_other_staff_may_not_correct(closed, committee, make_user):
    activity, away = closed["activity"], closed["away"]
    org_staff = make_user(Role.STAFF, committee, Area.ORG)
    for actor in (away.person.user, org_staff):
        with pytest.raises(PermissionDenied):
            services.invitation_correct(
                invitation=inv(activity, away), actor=actor, outcome=S.ATTENDED, reason="自己改"
            )
    assert inv(activity, away).state == S.ABSENT
    assert not Correction.objects.exists()


def test_the_page_corrects_and_the_activity_page_keeps_the_original(client, closed, duties_staff):
    activity, away = closed["activity"], closed["away"]
    invitation = inv(activity, away)
    client.force_login(duties_staff)
    detail = client.get(reverse("duties:activity_detail", args=[activity.pk])).content.decode()
    url = reverse("duties:invitation_correct", args=[invitation.pk])
    assert url in detail
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": S.ATTENDED, "reason": ""})
    assert response.status_code == 400
    assert inv(activity, away).state == S.ABSENT
    response = client.post(url, {"outcome": S.ATTENDED, "reason": "补签到"})
    assert response.status_code == 302
    assert inv(activity, away).state == S.ATTENDED
    page = client.get(reverse("duties:activity_detail", args=[activity.pk])).content.decode()
    assert "corrected-from" in page
    assert str(S.ABSENT.label) in page
    history = client.get(url).content.decode()
    assert "补签到" in history and "<del>" in history


def test_refused_roles_on_the_page(client, closed, committee, make_user):
    activity, away = closed["activity"], closed["away"]
    url = reverse("duties:invitation_correct", args=[inv(activity, away).pk])
    for user in (away.person.user, make_user(Role.STAFF, committee, Area.ORG)):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"outcome": S.ATTENDED, "reason": "x"}).status_code == 403
    elsewhere = CommitteeFactory(code="elsewhere")
    client.force_login(make_user(Role.STAFF, elsewhere, Area.DUTIES))
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": S.ATTENDED, "reason": "x"}).status_code == 404
    assert inv(activity, away).state == S.ABSENT
    assert not Correction.objects.exists()


def test_the_activity_page_costs_the_same_with_more_corrections(
    client, committee, duties_staff, new_member
):
    members = [new_member() for _ in range(2)]
    activity = make_activity(committee, duties_staff)
    services.activity_close(activity=activity, actor=duties_staff)
    client.force_login(duties_staff)
    url = reverse("duties:activity_detail", args=[activity.pk])

    def correct(rows):
        for member in rows:
            services.invitation_correct(
                invitation=inv(activity, member),
                actor=duties_staff,
                outcome=S.ATTENDED,
                reason="补",
            )

    correct(members[:1])
    few = page_queries(client, url)
    more = [make_member(committee) for _ in range(4)]
    Invitation.objects.bulk_create(
        [Invitation(committee=committee, activity=activity, member=m, state=S.ABSENT) for m in more]
    )
    correct(more + members[1:])
    assert page_queries(client, url) == few <= 15


def test_a_closed_activity_older_than_a_year_is_still_corrected(
    committee, duties_staff, new_member
):
    me = new_member()
    start = timezone.now() - dt.timedelta(days=400)
    activity = make_activity(
        committee, duties_staff, start_at=start, end_at=start + dt.timedelta(hours=2)
    )
    services.activity_close(activity=activity, actor=duties_staff)
    services.invitation_correct(
        invitation=inv(activity, me), actor=duties_staff, outcome=S.ATTENDED, reason="补录"
    )
    record = DutyRecord.objects.get(member=me, withdrawn_at__isnull=True)
    assert record.date == timezone.localdate(start)

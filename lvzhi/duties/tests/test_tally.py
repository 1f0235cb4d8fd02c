"""The summary rows (``duties.tally``) equal a recount of the raw rows after
every kind of write through the services: a duty record written and
withdrawn, an activity published, changed, closed, an invitation signed up,
on leave, checked in, marked, corrected; and the rebuild command gives the
same rows from scratch."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from lvzhi.duties import checkin, services, tally
from lvzhi.duties.models import (
    ActivityKind,
    DutyKind,
    DutyRecord,
    DutyTally,
    Invitation,
    InvitationTally,
)
from lvzhi.duties.tests.factories import make_activity
from lvzhi.org.tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db
S = Invitation.State


def expected_duties() -> dict[tuple[Any, ...], tuple[int, Decimal]]:
    """The duty tally counted in Python from the ledger (not by the tally's SQL)."""
    found: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for r in DutyRecord.objects.filter(withdrawn_at__isnull=True):
        row = found[(r.committee_id, r.member_id, r.date.year, r.kind)]
        row[0] += 1
        row[1] += r.share
    return {k: (n, s) for k, (n, s) in found.items()}


def expected_invitations() -> dict[tuple[Any, ...], tuple[int, int]]:
    """The invitation tally counted in Python from the invitations."""
    invited: Counter[tuple[Any, ...]] = Counter()
    attended: Counter[tuple[Any, ...]] = Counter()
    for i in Invitation.objects.select_related("activity"):
        if i.activity.committee_id != i.committee_id:
            continue
        key = (
            i.committee_id,
            i.member_id,
            timezone.localtime(i.activity.start_at).year,
            i.activity.kind,
        )
        invited[key] += 1
        attended[key] += i.state == S.ATTENDED
    return {k: (invited[k], attended[k]) for k in invited}


def stored() -> tuple[dict[tuple[Any, ...], Any], dict[tuple[Any, ...], Any]]:
    duties = {
        (t.committee_id, t.member_id, t.year, t.kind): (t.records, t.shares)
        for t in DutyTally.objects.all()
    }
    invitations = {
        (t.committee_id, t.member_id, t.year, t.activity_kind): (t.invited, t.attended)
        for t in InvitationTally.objects.all()
    }
    return duties, invitations


def assert_in_step() -> None:
    duties, invitations = stored()
    assert duties == expected_duties()
    assert invitations == expected_invitations()
    tally.rebuild()  # and a rebuild from scratch changes nothing
    assert stored() == (duties, invitations)


def inv(activity: Any, member: Any) -> Invitation:
    return Invitation.objects.get(activity=activity, member=member)


def test_the_tally_equals_a_recount_after_every_kind_of_write(
    committee: Any, duties_staff: Any, new_member: Any
) -> None:
    a, b, c = new_member(), new_member(), new_member()
    plenary = make_activity(committee, duties_staff, kind=ActivityKind.PLENARY, session_half_days=4)
    assert_in_step()  # published: three invited
    assert InvitationTally.objects.get(member=a).invited == 1

    services.invitation_sign_up(invitation=inv(plenary, a), actor=a.person.user)
    services.invitation_request_leave(
        invitation=inv(plenary, b), actor=b.person.user, reason="出差"
    )
    services.invitation_decide_leave(invitation=inv(plenary, b), actor=duties_staff, approve=True)
    assert_in_step()

    slot, token = checkin.current_code(plenary.pk, timezone.now())
    services.invitation_check_in(activity=plenary, actor=a.person.user, slot=slot, token=token)
    services.invitation_mark(
        invitation=inv(plenary, c), actor=duties_staff, outcome=S.ATTENDED, reason="到会"
    )
    assert_in_step()
    assert InvitationTally.objects.get(member=c).attended == 1

    services.invitation_mark(
        invitation=inv(plenary, c), actor=duties_staff, outcome=S.ABSENT, reason="误记"
    )
    assert_in_step()

    services.activity_close(activity=plenary, actor=duties_staff)  # the records, in a batch
    assert_in_step()
    assert DutyTally.objects.get(member=a).shares == Decimal("0.25")

    # Attendance corrected after closing: the record of the old outcome withdrawn.
    services.invitation_correct(
        invitation=inv(plenary, c), actor=duties_staff, outcome=S.ATTENDED, reason="补签到"
    )
    assert_in_step()
    assert DutyTally.objects.get(member=c).kind == DutyKind.PLENARY_ATTENDED

    # A member's own duty records: written, then withdrawn.
    note = services.study_note_save(
        member=a, actor=a.person.user, title="体会", text="学习体会", date=dt.date(2025, 5, 1)
    )
    assert_in_step()
    assert DutyTally.objects.filter(member=a, year=2025, kind=DutyKind.STUDY_NOTE).exists()
    services.study_note_delete(note=note, actor=a.person.user)
    assert_in_step()
    assert not DutyTally.objects.filter(member=a, year=2025).exists()


def test_a_published_activity_moved_to_another_kind_or_year_moves_its_invitations(
    committee: Any, duties_staff: Any, new_member: Any
) -> None:
    a = new_member()
    activity = make_activity(committee, duties_staff)
    services.invitation_mark(
        invitation=inv(activity, a), actor=duties_staff, outcome=S.ATTENDED, reason="到会"
    )
    start = activity.start_at.replace(year=activity.start_at.year + 1)
    data = {
        "kind": ActivityKind.TRAINING,
        "start_at": start,
        "end_at": start + dt.timedelta(hours=2),
    }
    services.activity_save(committee=committee, actor=duties_staff, data=data, activity=activity)
    assert_in_step()
    (row,) = InvitationTally.objects.filter(member=a)
    assert (row.year, row.activity_kind, row.invited, row.attended) == (
        start.year,
        ActivityKind.TRAINING,
        1,
        1,
    )


def test_the_ledger_tallies_each_member_of_a_batch(
    committee: Any, duties_staff: Any, new_member: Any
) -> None:
    members = [new_member() for _ in range(4)]
    activity = make_activity(committee, duties_staff, kind=ActivityKind.STANDING)
    for m in members[:3]:
        services.invitation_mark(
            invitation=inv(activity, m), actor=duties_staff, outcome=S.ATTENDED, reason="到会"
        )
    services.activity_close(activity=activity, actor=duties_staff)
    assert_in_step()
    kinds = Counter(DutyTally.objects.values_list("kind", flat=True))
    assert kinds == {DutyKind.STANDING_ATTENDED: 3, DutyKind.STANDING_ABSENT: 1}


def test_the_rebuild_command_recounts_rows_written_around_the_services(
    committee: Any, duties_staff: Any, new_member: Any
) -> None:
    a = new_member()
    activity = make_activity(committee, duties_staff)
    other = CommitteeFactory()
    # Rows written straight into the tables (an import, the province dataset).
    Invitation.objects.filter(activity=activity).update(state=S.ATTENDED)
    DutyRecord.objects.create(
        committee=committee,
        member=a,
        kind=DutyKind.OTHER,
        date=dt.date(2026, 3, 1),
        source_type=ContentType.objects.get_for_model(activity),
        source_id=activity.pk,
    )
    InvitationTally.objects.create(
        committee=other, member=a, year=1999, activity_kind="other", invited=9, attended=9
    )
    assert stored() != (expected_duties(), expected_invitations())
    out = io.StringIO()
    call_command("duties_tally_rebuild", stdout=out)
    assert "duties_dutytally: 1 rows" in out.getvalue()
    assert stored() == (expected_duties(), expected_invitations())

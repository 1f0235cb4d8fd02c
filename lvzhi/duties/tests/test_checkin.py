"""Check-in by the rotating QR code: a genuine, fresh code checks the
logged-in member in once; anything else is refused with its reason and
writes nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.duties import checkin, services
from lvzhi.duties.models import Activity, Invitation, InvitationEvent
from lvzhi.duties.tests.factories import make_activity, make_member
from lvzhi.org.tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def code(activity, at=None):
    return checkin.current_code(activity.pk, at or timezone.now())


def state(activity, member):
    return Invitation.objects.get(activity=activity, member=member).state


def test_a_valid_scan_checks_the_member_in(committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    slot, token = code(activity)
    invitation = services.invitation_check_in(
        activity=activity, actor=a.person.user, slot=slot, token=token
    )
    assert invitation.state == Invitation.State.ATTENDED
    assert invitation.attendance_method == Invitation.Method.QR
    assert invitation.checked_in_at is not None
    assert InvitationEvent.objects.filter(invitation=invitation, action="check_in").count() == 1


def test_the_previous_slots_code_still_works_an_older_one_has_expired(
    committee, duties_staff, new_member
):
    a, b = new_member(), new_member()
    activity = make_activity(committee, duties_staff)
    now = timezone.now()
    slot, token = code(activity, now - dt.timedelta(seconds=checkin.SLOT_SECONDS))
    services.invitation_check_in(
        activity=activity, actor=a.person.user, slot=slot, token=token, now=now
    )
    old_slot, old_token = code(activity, now - dt.timedelta(seconds=3 * checkin.SLOT_SECONDS))
    with pytest.raises(ValidationFailed, match=r"过期|expired"):
        services.invitation_check_in(
            activity=activity, actor=b.person.user, slot=old_slot, token=old_token, now=now
        )
    assert state(activity, b) == Invitation.State.INVITED


def test_a_forged_or_foreign_token_is_invalid(committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    other = make_activity(committee, duties_staff, title="另一个活动")
    slot, _token = code(activity)
    with pytest.raises(ValidationFailed, match=r"无效|not valid"):
        services.invitation_check_in(
            activity=activity, actor=a.person.user, slot=slot, token="0" * 24
        )
    # A code of another activity does not open this one.
    other_slot, other_token = code(other)
    with pytest.raises(ValidationFailed):
        services.invitation_check_in(
            activity=activity, actor=a.person.user, slot=other_slot, token=other_token
        )
    # A future slot cannot come from the screen.
    future_slot = slot + 5
    with pytest.raises(ValidationFailed):
        services.invitation_check_in(
            activity=activity,
            actor=a.person.user,
            slot=future_slot,
            token=checkin.token_for(activity.pk, future_slot),
        )
    assert state(activity, a) == Invitation.State.INVITED


def test_a_member_not_invited_cannot_check_in_and_nobody_else_is_checked_in(
    committee, duties_staff, new_member
):
    invited = new_member()
    activity = make_activity(committee, duties_staff)
    outsider = new_member()  # joined after the invitations went out
    slot, token = code(activity)
    with pytest.raises(PermissionDenied):
        services.invitation_check_in(
            activity=activity, actor=outsider.person.user, slot=slot, token=token
        )
    assert state(activity, invited) == Invitation.State.INVITED
    assert not Invitation.objects.filter(member=outsider).exists()


def test_the_token_names_no_member_so_a_scan_checks_in_only_the_scanner(
    committee, duties_staff, new_member
):
    a, b = new_member(), new_member()
    activity = make_activity(committee, duties_staff)
    slot, token = code(activity)
    services.invitation_check_in(activity=activity, actor=b.person.user, slot=slot, token=token)
    assert state(activity, b) == Invitation.State.ATTENDED
    assert state(activity, a) == Invitation.State.INVITED


def test_a_second_scan_changes_nothing(committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    slot, token = code(activity)
    first = services.invitation_check_in(
        activity=activity, actor=a.person.user, slot=slot, token=token
    )
    with pytest.raises(Conflict, match=r"已签到|already"):
        services.invitation_check_in(activity=activity, actor=a.person.user, slot=slot, token=token)
    again = Invitation.objects.get(pk=first.pk)
    assert again.checked_in_at == first.checked_in_at
    assert InvitationEvent.objects.filter(invitation=first, action="check_in").count() == 1


@pytest.mark.parametrize("offset", [dt.timedelta(hours=-2), dt.timedelta(hours=6)])
def test_a_scan_outside_the_window_is_refused(committee, duties_staff, new_member, offset):
    a = new_member()
    start = timezone.now() + offset
    activity = make_activity(
        committee, duties_staff, start_at=start, end_at=start + dt.timedelta(hours=1)
    )
    slot, token = code(activity)
    with pytest.raises(ValidationFailed):
        services.invitation_check_in(activity=activity, actor=a.person.user, slot=slot, token=token)
    assert state(activity, a) == Invitation.State.INVITED


def test_a_scan_within_the_margin_is_accepted(committee, duties_staff, new_member):
    a = new_member()
    start = timezone.now() + checkin.CHECKIN_MARGIN - dt.timedelta(minutes=1)
    activity = make_activity(
        committee, duties_staff, start_at=start, end_at=start + dt.timedelta(hours=1)
    )
    slot, token = code(activity)
    services.invitation_check_in(activity=activity, actor=a.person.user, slot=slot, token=token)
    assert state(activity, a) == Invitation.State.ATTENDED


def test_no_check_in_for_a_closed_activity(committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    services.activity_close(activity=activity, actor=duties_staff)
    slot, token = code(activity)
    with pytest.raises(Conflict):
        services.invitation_check_in(activity=activity, actor=a.person.user, slot=slot, token=token)
    assert state(activity, a) == Invitation.State.ABSENT


# --- Through the pages -----------------------------------------------------------


def test_the_scan_page_asks_to_confirm_then_checks_in(client, committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    slot, token = code(activity)
    client.force_login(a.person.user)
    url = reverse("duties:checkin", args=[activity.pk, slot, token])
    page = client.get(url)
    assert page.status_code == 200
    assert "checkin-confirm" in page.content.decode()
    assert state(activity, a) == Invitation.State.INVITED  # GET writes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert "checkin-ok" in done.content.decode()
    assert state(activity, a) == Invitation.State.ATTENDED
    twice = client.post(url)
    assert twice.status_code == 400
    assert "checkin-error" in twice.content.decode()


def test_the_scan_page_explains_an_expired_code(client, committee, duties_staff, new_member):
    a = new_member()
    activity = make_activity(committee, duties_staff)
    slot, token = code(activity, timezone.now() - dt.timedelta(minutes=5))
    client.force_login(a.person.user)
    page = client.get(reverse("duties:checkin", args=[activity.pk, slot, token]))
    assert page.status_code == 400
    assert "checkin-error" in page.content.decode()
    assert (
        client.post(reverse("duties:checkin", args=[activity.pk, slot, token])).status_code == 400
    )
    assert state(activity, a) == Invitation.State.INVITED


def test_another_committees_activity_is_not_found_on_the_scan_page(
    client, committee, duties_staff, new_member
):
    elsewhere = CommitteeFactory(code="elsewhere")
    foreign_member = make_member(elsewhere)
    new_member()
    activity = make_activity(committee, duties_staff)
    slot, token = code(activity)
    client.force_login(foreign_member.person.user)
    assert client.get(reverse("duties:checkin", args=[activity.pk, slot, token])).status_code == 404


def test_the_qr_page_shows_a_code_that_checks_in(client, committee, duties_staff, new_member):
    new_member()
    activity = make_activity(committee, duties_staff)
    client.force_login(duties_staff)
    page = client.get(reverse("duties:activity_qr", args=[activity.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in body
    assert 'hx-trigger="every 30s"' in body
    slot, token = code(activity)
    assert reverse("duties:checkin", args=[activity.pk, slot, token]) in body
    partial = client.get(reverse("duties:activity_qr", args=[activity.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_the_capacity():
    from lvzhi.accounts.models import Area, Role, RoleAssignment
    from lvzhi.accounts.tests.factories import UserFactory

    committee = CommitteeFactory(code="concurrent")
    staff = UserFactory()
    RoleAssignment.objects.create(
        user=staff, committee=committee, role=Role.STAFF, area=Area.DUTIES
    )
    members = [make_member(committee) for _ in range(6)]
    activity = make_activity(committee, staff, capacity=2)
    errors: list[Exception] = []
    barrier = threading.Barrier(len(members))

    def sign_up(member):
        try:
            barrier.wait()
            services.invitation_sign_up(
                invitation=Invitation.objects.get(activity=activity, member=member),
                actor=member.person.user,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (
        Invitation.objects.filter(activity=activity, state=Invitation.State.SIGNED_UP).count() == 2
    )
    assert len(errors) == 4
    assert all(isinstance(e, Conflict) for e in errors)
    assert Activity.objects.get(pk=activity.pk).state == Activity.State.PUBLISHED

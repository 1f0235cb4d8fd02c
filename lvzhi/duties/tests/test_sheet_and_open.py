"""The sign-in sheet and the attendance export of an activity (staff of the
duties area), the open activities a member may sign up for, withdrawing a
pending leave request from the page, and leave pages naming their activity."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import Area, Role
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import page_queries
from lvzhi.duties import services
from lvzhi.duties.audit import ATTENDANCE_EXPORT
from lvzhi.duties.models import Invitation
from lvzhi.duties.tests.factories import make_activity, make_member
from lvzhi.org.tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

S = Invitation.State


def inv(activity, member) -> Invitation:
    return Invitation.objects.get(activity=activity, member=member)


def rows_of(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


@pytest.fixture
def world(committee, duties_staff, new_member):
    me, other = new_member(username="me"), new_member(username="other")
    activity = make_activity(committee, duties_staff, title="河长制专题视察")
    services.invitation_request_leave(
        invitation=inv(activity, other), actor=other.person.user, reason="=HYPERLINK(1)"
    )
    services.invitation_mark(
        invitation=inv(activity, me), actor=duties_staff, outcome=S.ATTENDED, reason="到场"
    )
    return {"me": me, "other": other, "activity": activity, "staff": duties_staff}


def test_the_sign_in_sheet_lists_every_invitee_with_a_signature_column(client, world):
    me, other, activity = world["me"], world["other"], world["activity"]
    client.force_login(world["staff"])
    page = client.get(reverse("duties:activity_sheet", args=[activity.pk])).content.decode()
    for member in (me, other):
        assert f'id="sheet-{member.pk}"' in page
        assert member.person.name in page
        assert member.sector.name in page
    assert str(S.ATTENDED.label) in page and str(S.LEAVE_REQUESTED.label) in page
    assert "data-print" in page and "print-sheet" in page
    assert page.count('class="py-3"') == 2  # a cell to sign on each row
    detail = client.get(reverse("duties:activity_detail", args=[activity.pk])).content.decode()
    assert reverse("duties:activity_sheet", args=[activity.pk]) in detail


def test_the_attendance_export_is_streamed_safe_and_audited(client, world):
    me, other, activity = world["me"], world["other"], world["activity"]
    client.force_login(world["staff"])
    response = client.get(reverse("duties:activity_export") + f"?activity={activity.pk}")
    assert response.status_code == 200
    assert response.streaming
    rows = rows_of(response)
    assert len(rows) == 3
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name[me.person.name][3] == str(S.ATTENDED.label)
    assert isinstance(by_name[me.person.name][5], dt.datetime)
    # A reason that looks like a formula is stored as text.
    assert by_name[other.person.name][4] == "'=HYPERLINK(1)"
    audit = AuditEvent.objects.get(action=ATTENDANCE_EXPORT)
    assert (str(audit.detail["rows"]), str(audit.detail["activity"])) == ("2", str(activity.pk))


def test_members_other_staff_and_other_committees_get_no_sheet(client, committee, world, make_user):
    activity = world["activity"]
    sheet = reverse("duties:activity_sheet", args=[activity.pk])
    export = reverse("duties:activity_export") + f"?activity={activity.pk}"
    for user in (world["me"].person.user, make_user(Role.STAFF, committee, Area.ORG)):
        client.force_login(user)
        assert client.get(sheet).status_code == 403
        assert client.get(export).status_code == 403
    elsewhere = CommitteeFactory(code="elsewhere")
    client.force_login(make_user(Role.STAFF, elsewhere, Area.DUTIES))
    assert client.get(sheet).status_code == 404
    assert client.get(export).status_code == 404
    client.force_login(world["staff"])
    assert client.get(reverse("duties:activity_export") + "?activity=x").status_code == 404
    assert not AuditEvent.objects.filter(action=ATTENDANCE_EXPORT).exists()


def test_the_sheet_and_the_export_cost_the_same_for_more_invitees(client, committee, duties_staff):
    for _ in range(3):
        make_member(committee)
    small = make_activity(committee, duties_staff)
    for _ in range(6):
        make_member(committee)
    large = make_activity(committee, duties_staff)
    client.force_login(duties_staff)

    def export_queries(activity) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            rows_of(client.get(reverse("duties:activity_export") + f"?activity={activity.pk}"))
        return len(queries)

    assert small.invitations.count() * 3 == large.invitations.count()
    few = page_queries(client, reverse("duties:activity_sheet", args=[small.pk]))
    many = page_queries(client, reverse("duties:activity_sheet", args=[large.pk]))
    assert few == many <= 15
    export_queries(small)
    assert export_queries(small) == export_queries(large)


def test_open_activities_are_those_a_member_may_still_sign_up_for(
    client, committee, duties_staff, new_member
):
    me = new_member(username="me")
    later = timezone.now() + dt.timedelta(days=3)
    wanted = make_activity(
        committee,
        duties_staff,
        title="社区议事",
        start_at=later,
        end_at=later + dt.timedelta(hours=2),
        capacity=10,
    )
    signed = make_activity(committee, duties_staff, title="已报名", start_at=later)
    services.invitation_sign_up(invitation=inv(signed, me), actor=me.person.user)
    started = make_activity(committee, duties_staff, title="已开始")
    make_activity(committee, duties_staff, title="草稿", start_at=later, publish=False)
    client.force_login(me.person.user)
    home = client.get(reverse("duties:my_duties")).content.decode()
    assert reverse("duties:open_activities") in home
    page = client.get(reverse("duties:open_activities")).content.decode()
    assert f'id="open-{wanted.pk}"' in page and "0 / 10" not in page
    for absent in (signed, started):
        assert f'id="open-{absent.pk}"' not in page
    assert "草稿" not in page
    # Staff without a seat have no such page.
    client.force_login(duties_staff)
    assert client.get(reverse("duties:open_activities")).status_code == 403


def test_the_open_activities_page_costs_the_same_for_more_rows(
    client, committee, duties_staff, new_member
):
    me = new_member(username="me")
    later = timezone.now() + dt.timedelta(days=2)
    client.force_login(me.person.user)
    url = reverse("duties:open_activities")

    def build(n: int) -> None:
        for _ in range(n):
            make_activity(committee, duties_staff, start_at=later, capacity=5)

    from lvzhi.core.testing import assert_same_queries

    count = assert_same_queries(build, lambda: page_queries(client, url), n=10, page_size=25)
    assert count <= 15


def test_a_member_withdraws_a_leave_request_on_the_page(client, world):
    other, activity = world["other"], world["activity"]
    client.force_login(other.person.user)
    detail = reverse("duties:activity_detail", args=[activity.pk])
    page = client.get(detail).content.decode()
    assert 'id="withdraw-leave"' in page
    response = client.post(reverse("duties:invitation_withdraw_leave", args=[activity.pk]))
    assert response.status_code == 302
    assert inv(activity, other).state == S.INVITED
    assert 'id="withdraw-leave"' not in client.get(detail).content.decode()
    # A second time there is nothing to withdraw: refused, nothing changes.
    client.post(reverse("duties:invitation_withdraw_leave", args=[activity.pk]))
    assert inv(activity, other).state == S.INVITED
    # Someone else's invitation is not found.
    client.force_login(world["me"].person.user)
    services.invitation_request_leave(
        invitation=inv(activity, other), actor=other.person.user, reason="又有事"
    )
    assert client.post(
        reverse("duties:invitation_withdraw_leave", args=[activity.pk])
    ).status_code in (302, 400, 409)
    assert inv(activity, other).state == S.LEAVE_REQUESTED


def test_leave_pages_name_their_activity(client, world):
    other, activity = world["other"], world["activity"]
    client.force_login(other.person.user)
    page = client.get(reverse("duties:invitation_leave", args=[activity.pk])).content.decode()
    assert activity.title in page and activity.place in page
    client.force_login(world["staff"])
    assert activity.title in client.get(reverse("duties:leave_list")).content.decode()

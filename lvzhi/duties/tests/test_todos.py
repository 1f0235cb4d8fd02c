"""The duties' to-dos on the home page count the rows waiting for that user
in that committee: a member's invitations to answer and upcoming activities,
the office's leave requests and services to confirm (the queues list them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.duties import services
from lvzhi.duties.models import Contribution, Invitation
from lvzhi.duties.tests.factories import make_activity, make_member
from lvzhi.org.tests.todo_helpers import counts, home_todos, queue_rows

pytestmark = pytest.mark.django_db

TOMORROW = timezone.now() + dt.timedelta(days=1)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invitation(activity, member) -> Invitation:
    return Invitation.objects.get(activity=activity, member=member)


def test_a_member_counts_their_invitations_to_answer_and_upcoming_activities(
    committee, other_committee, new_member, duties_staff
):
    first, second = new_member(), new_member()
    far = make_member(other_committee)
    soon = make_activity(committee, start_at=TOMORROW)
    later = make_activity(committee, start_at=TOMORROW + dt.timedelta(days=7), title="第二次调研")
    make_activity(committee, start_at=timezone.now() - dt.timedelta(days=3), title="已结束")
    make_activity(committee, publish=False, start_at=TOMORROW, title="草稿")
    make_activity(other_committee, start_at=TOMORROW, title="外县活动")
    services.invitation_sign_up(invitation=invitation(soon, first), actor=first.person.user)
    services.invitation_request_leave(
        invitation=invitation(later, second), actor=second.person.user, reason="出差"
    )
    mine = counts(client_of(first.person.user))
    assert mine["Invitations to answer"] == 1
    assert mine["Upcoming activities"] == 2
    theirs = counts(client_of(second.person.user))
    assert theirs["Invitations to answer"] == 1
    assert theirs["Upcoming activities"] == 2
    assert counts(client_of(far.person.user))["Invitations to answer"] == 1


def test_the_office_counts_leave_requests_and_services_to_confirm(
    committee, other_committee, new_member, duties_staff
):
    member, other = new_member(), new_member()
    far = make_member(other_committee)
    activity = make_activity(committee, start_at=TOMORROW)
    far_activity = make_activity(other_committee, start_at=TOMORROW, title="外县活动")
    for who in (member, other):
        services.invitation_request_leave(
            invitation=invitation(activity, who), actor=who.person.user, reason="出差"
        )
    services.invitation_request_leave(
        invitation=invitation(far_activity, far), actor=far.person.user, reason="出差"
    )
    for who, title in ((member, "一"), (member, "二"), (far, "外县")):
        services.contribution_submit(
            member=who,
            actor=who.person.user,
            kind=Contribution.Kind.PUBLIC_SERVICE,
            title=title,
            description="帮扶",
            date=dt.date(2026, 3, 1),
        )
    client = client_of(duties_staff)
    todos = home_todos(client)
    for label, n in (("Leave requests waiting", 2), ("Services to confirm", 2)):
        assert todos[label]["count"] == n, label
        assert queue_rows(client, todos[label]) == n, label

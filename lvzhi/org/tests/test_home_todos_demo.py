"""The to-do home of every demo login: it opens, shows the to-dos of the
roles held, stays within 15 queries, and every count with a filter links to a
queue listing exactly that many rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import RoleAssignmentFactory
from lvzhi.org.models import Committee
from lvzhi.org.tests.todo_helpers import home_todos, queue_rows

pytestmark = pytest.mark.usefixtures("demo")

# Each login and a to-do its home must show.
LOGINS = {
    "weiyuan": "Invitations to answer",
    "staff_proposals": "Proposals waiting for review",
    "staff_duties": "Leave requests waiting",
    "staff_opinions": "Reports waiting to be edited",
    "staff_consultations": "Consultations awaiting feedback",
    "staff_public": "Messages waiting for a reply",
    "leader": "Key proposals I supervise",
    "unit": "Assignments to sign for",
    "gov_leader": "Consultation outcomes awaiting feedback",
}


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", sorted(LOGINS))
def test_each_demo_home_shows_its_todos_and_each_filtered_count_matches_its_queue(username):
    client = client_of(username)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries.captured_queries) <= 15
    todos = home_todos(client)
    assert LOGINS[username] in todos, sorted(todos)
    for label, todo in todos.items():
        if not todo["figure"] and "?" in todo["url"]:
            assert queue_rows(client, todo) == todo["count"], label


def test_a_demo_staff_user_holding_every_area_stays_within_15_queries():
    user = User.objects.get(username="staff_proposals")
    city = Committee.objects.get(code="demo-city")
    for area in (a for a in Area if a.value and a != Area.PROPOSALS):
        RoleAssignmentFactory(user=user, committee=city, role=Role.STAFF, area=area)
    client = Client()
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries.captured_queries) <= 15
    assert len([t for t in home_todos(client).values() if not t["figure"]]) >= 12

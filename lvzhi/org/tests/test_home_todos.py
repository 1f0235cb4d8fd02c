"""The home page's to-dos (org.home.Todo / Figure / register_todos): shown to
the sections the user holds, permission first, each with its count linking to
the filtered queue; urgent ones red, zero ones muted; the counts of the whole
page in one statement, so the page's queries do not grow with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import RoleAssignmentFactory
from lvzhi.core.testing import assert_same_queries
from lvzhi.duties.tests.factories import make_activity
from lvzhi.org import home
from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import MemberFactory
from lvzhi.org.tests.todo_helpers import home_todos

pytestmark = pytest.mark.django_db


@pytest.fixture
def only(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Only the to-dos a test registers."""
    monkeypatch.setattr(home, "_registered_todos", {})
    return home.register_todos


def members_of(request: Any) -> Any:
    return Member.objects.filter(committee=request.committee)


def refuse(_request: Any) -> int:
    raise AssertionError("a to-do the user may not see is never counted")


def test_a_todo_shows_its_count_and_links_to_the_filtered_queue(
    only, client_for, member_user, committee, other_committee
):
    MemberFactory.create_batch(2, committee=committee)
    MemberFactory.create_batch(3, committee=other_committee)
    only(
        "member",
        home.Todo("Members here", "core:inbox", members_of, query="state=x", anchor="part"),
    )
    client = client_for(member_user)
    todo = home_todos(client)["Members here"]
    assert todo["count"] == 3  # the member and the two others, not the other committee's
    assert todo["url"] == reverse("core:inbox") + "?state=x#part"
    assert f'href="{todo["url"]}"' in client.get("/").content.decode()


def test_a_todo_needing_a_permission_the_user_lacks_is_left_out_and_not_counted(
    only, client_for, member_user, staff_user
):
    only(
        "member",
        home.Todo("Roster work", "core:inbox", refuse, "org.change_roster"),
        home.Todo("Mine", "core:inbox", lambda r: 4, "org.view_own_profile"),
    )
    todos = home_todos(client_for(member_user))
    assert "Roster work" not in todos
    assert todos["Mine"]["count"] == 4


def test_todos_appear_only_in_the_sections_the_user_holds(only, client_for, make_user, committee):
    only(
        "staff:proposals",
        home.Todo("Proposal work", "core:inbox", lambda r: 1),
    )
    only("staff:duties", home.Todo("Duty work", "core:inbox", refuse))
    only("unit", home.Todo("Unit work", "core:inbox", refuse))
    user = make_user(Role.STAFF, committee, Area.PROPOSALS)
    todos = home_todos(client_for(user))
    assert set(todos) == {"Proposal work"}


def test_an_urgent_todo_is_red_when_there_are_any_and_a_zero_is_muted_but_linked(
    only, client_for, member_user
):
    only(
        "member",
        home.Todo("Late", "core:inbox", lambda r: 2, urgent=True, query="late=1"),
        home.Todo("Late but none", "core:inbox", lambda r: 0, urgent=True),
        home.Todo("Ordinary", "core:inbox", lambda r: 5),
    )
    client = client_for(member_user)
    todos = home_todos(client)
    assert todos["Late"]["alert"] and not todos["Late"]["muted"]
    assert not todos["Late but none"]["alert"] and todos["Late but none"]["muted"]
    assert not todos["Ordinary"]["alert"] and not todos["Ordinary"]["muted"]
    body = client.get("/").content.decode()
    assert body.count("todo-urgent") == 1
    assert body.count("todo-muted") == 1
    inbox = reverse("core:inbox")
    assert f'href="{inbox}?late=1"' in body
    # The muted one still links to its queue.
    assert body.count(f'href="{inbox}"') >= 2


def test_a_query_can_name_the_user(only, client_for, member_user):
    only(
        "member",
        home.Todo("Mine", "core:inbox", lambda r: 1, query=lambda r: f"who={r.user.pk}"),
    )
    assert home_todos(client_for(member_user))["Mine"]["url"].endswith(f"?who={member_user.pk}")


def test_a_todo_of_a_page_not_built_yet_is_left_out(only, client_for, member_user):
    only("member", home.Todo("Nowhere", "nowhere:page", refuse))
    assert "Nowhere" not in home_todos(client_for(member_user))


def test_a_figure_shows_its_value_or_is_left_out_when_it_has_none(only, client_for, member_user):
    only(
        "member",
        home.Figure("Score", "core:inbox", lambda r: "12 分"),
        home.Figure("No policy", "core:inbox", lambda r: None),
    )
    client = client_for(member_user)
    todos = home_todos(client)
    assert todos["Score"]["value"] == "12 分"
    assert "No policy" not in todos
    assert "12 分" in client.get("/").content.decode()


def test_per_request_runs_a_read_once_per_request(only, client_for, member_user):
    calls: list[int] = []

    @home.per_request
    def shared(request: Any) -> int:
        calls.append(1)
        return 7

    only(
        "member",
        home.Figure("A", "core:inbox", lambda r: str(shared(r))),
        home.Figure("B", "core:inbox", lambda r: str(shared(r))),
    )
    todos = home_todos(client_for(member_user))
    assert todos["A"]["value"] == todos["B"]["value"] == "7"
    assert len(calls) == 1


def test_count_together_counts_many_querysets_in_one_statement(
    committee: Committee, other_committee: Committee, django_assert_num_queries
):
    MemberFactory.create_batch(3, committee=committee)
    MemberFactory.create_batch(2, committee=other_committee)
    querysets = [
        Member.objects.filter(committee=committee),
        Member.objects.filter(committee=other_committee),
        # A join that repeats rows: each row counts once.
        Member.objects.filter(committee=committee, term__members__isnull=False),
        Member.objects.none(),
    ]
    with django_assert_num_queries(1):
        numbers = home.count_together(committee, querysets)
    assert numbers == [3, 2, 3, 0]
    with django_assert_num_queries(0):
        assert home.count_together(committee, []) == []


# --- The whole page stays within 15 queries, whatever the number of rows ----------------


def _rows(world: Any, n: int) -> None:
    """n of each kind of waiting row for the proposer and the office."""
    from lvzhi.proposals.tests import conftest as p

    for _ in range(n):
        p.draft(world)
        p.submitted(world)
        make_activity(world.committee)


def _page_queries(client: Any) -> int:
    client.get("/")  # the session settles
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("role", ["member", "staff"])
def test_the_home_page_queries_stay_bounded_and_constant_in_the_rows(client_for, role):
    from lvzhi.proposals.tests.conftest import build_world

    world = build_world("todo-q")
    if role == "member":
        user = world.proposer_user
    else:
        user = world.staff
        for area in (Area.ORG, Area.OPINIONS, Area.DUTIES, Area.CONSULTATIONS, Area.PUBLIC):
            RoleAssignmentFactory(user=user, committee=world.committee, role=Role.STAFF, area=area)
    client = client_for(user)
    _rows(world, 1)
    few = _page_queries(client)
    before = home_todos(client)
    _rows(world, 2)
    many = _page_queries(client)
    after = home_todos(client)
    assert few == many
    assert many <= 15
    # The rows were counted: more of them now.
    grown = [
        label for label in before if after[label].get("count", 0) > before[label].get("count", 0)
    ]
    assert grown, before


def test_the_member_home_page_within_15_queries_for_three_times_the_rows(client_for):
    from lvzhi.proposals.tests.conftest import build_world

    world = build_world("todo-m")
    client = client_for(world.proposer_user)
    queries = assert_same_queries(lambda n: _rows(world, n), lambda: _page_queries(client), n=2)
    assert queries <= 15

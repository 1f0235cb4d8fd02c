"""The fixed cost of a logged-in page: what every page pays before its own
queries (the minimal page has nothing of its own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role, User
from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

# The session, the user, their roles, their committees with their seats (one
# query), the unread count. No session write: the last-seen time was stored
# by the first request and is not due again within the minute.
FIXED_QUERIES = 5


def warmed(client: Client) -> Client:
    """After a first page view, which stores the login and last-seen times."""
    assert client.get(reverse("core:minimal")).status_code == 200
    return client


def test_a_member_pays_five_queries_for_a_minimal_page(
    client_for: Callable[[User], Client], member_user: User, django_assert_num_queries: Any
) -> None:
    client = warmed(client_for(member_user))
    with django_assert_num_queries(FIXED_QUERIES):
        response = client.get(reverse("core:minimal"))
    assert response.status_code == 200


def test_staff_with_a_role_pay_the_same(
    client_for: Callable[[User], Client], staff_user: User, django_assert_num_queries: Any
) -> None:
    client = warmed(client_for(staff_user))
    with django_assert_num_queries(FIXED_QUERIES):
        assert client.get(reverse("core:minimal")).status_code == 200


def test_roles_and_seats_in_several_committees_cost_no_more(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    committee: Committee,
    other_committee: Committee,
    django_assert_num_queries: Any,
) -> None:
    user = make_user(Role.STAFF, committee, Area.PROPOSALS, username="both")
    seat: Member = MemberFactory(committee=other_committee)
    seat.person.user = user
    seat.person.save()
    client = warmed(client_for(user))
    with django_assert_num_queries(FIXED_QUERIES):
        response = client.get(reverse("core:minimal"))
    assert {c.pk for c in response.context["available_committees"]} == {
        committee.pk,
        other_committee.pk,
    }


def test_the_minimal_page_is_for_logged_in_users_only(client: Client) -> None:
    response = client.get(reverse("core:minimal"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

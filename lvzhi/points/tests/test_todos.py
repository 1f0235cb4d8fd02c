"""The member's standing on the home page: this year's stored score and how
many of the required duties ("六个一") are met, in two queries; nothing
shown without an active policy; another member's records never count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.duties.models import DutyKind as K
from lvzhi.points import selectors
from lvzhi.points.models import MemberScore
from lvzhi.points.tests.helpers import YEAR, active_default_policy, record

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_no_policy_no_figures(committee, new_member):
    member = new_member()
    assert selectors.standing_of(committee, member.person.user, YEAR) is None
    body = client_of(member.person.user).get("/").content.decode()
    assert "home-figure" not in body


def test_the_score_and_the_required_duties_met(committee, other_committee, new_member):
    active_default_policy(committee)
    active_default_policy(other_committee)
    member, other = new_member(), new_member()
    for kind in (K.RESEARCH, K.PROPOSAL_FILED, K.OPINION_SUBMITTED, K.PUBLIC_SERVICE, K.RESEARCH):
        record(member, kind)
    record(other, K.RESEARCH)
    user = member.person.user
    with CaptureQueriesContext(connection) as queries:
        standing = selectors.standing_of(committee, user, YEAR)
    assert len(queries.captured_queries) == 2
    assert standing is not None
    assert (standing.met, standing.required) == (4, 6)
    assert standing.score == MemberScore.objects.get(member=member, year=YEAR).score > 0
    assert selectors.standing_of(committee, other.person.user, YEAR).met == 1
    # No seat in the other committee: nothing to show there.
    assert selectors.standing_of(other_committee, user, YEAR) is None


def test_the_home_page_shows_both_figures_linking_to_my_points(committee, new_member):
    from django.urls import reverse

    from lvzhi.org.tests.todo_helpers import home_todos

    active_default_policy(committee)
    member = new_member()
    record(member, K.RESEARCH)
    todos = home_todos(client_of(member.person.user))
    score = MemberScore.objects.get(member=member, year=YEAR).score
    assert todos["My points this year"]["url"] == reverse("points:my_points")
    assert todos["My points this year"]["value"].startswith(f"{score.normalize():f}")
    assert todos["Required duties"]["value"].startswith("1")
    assert "6" in todos["Required duties"]["value"]

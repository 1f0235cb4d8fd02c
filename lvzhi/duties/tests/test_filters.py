"""The duties lists' filters: an allowed value filters, a bad value is
ignored (the rest of the list stays), the old GET parameters keep working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from django.urls import reverse

from lvzhi.duties import filters, selectors, services
from lvzhi.duties.models import Activity, ActivityKind, Contribution
from lvzhi.duties.tests.factories import make_activity
from lvzhi.org.tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def _rows(filterset_class, query, queryset, committee):
    return list(filterset_class(QueryDict(query), queryset=queryset, committee=committee).qs)


def test_activity_filter_by_state_kind_and_title(committee, duties_staff, new_member):
    new_member()
    published = make_activity(committee, duties_staff, title="河道巡查")
    draft = make_activity(committee, duties_staff, publish=False, kind=ActivityKind.TRAINING)
    rows = selectors.activities_for_staff(committee)
    assert _rows(filters.ActivityFilter, "state=published", rows, committee) == [published]
    assert _rows(filters.ActivityFilter, "kind=training", rows, committee) == [draft]
    assert _rows(filters.ActivityFilter, "q=巡查", rows, committee) == [published]
    # A state that does not exist is ignored, not an empty list.
    bad = filters.ActivityFilter(QueryDict("state=nonsense"), queryset=rows, committee=committee)
    assert set(bad.qs) == {published, draft}
    assert "state" in bad.form.errors


def test_invitation_filter_by_state(committee, duties_staff, new_member):
    one, two = new_member(), new_member()
    activity = make_activity(committee, duties_staff)
    invitation = activity.invitations.get(member=one)
    services.invitation_sign_up(invitation=invitation, actor=one.person.user)
    rows = selectors.invitations_of_activity(activity)
    assert _rows(filters.InvitationFilter, "state=signed_up", rows, committee) == [invitation]
    assert len(_rows(filters.InvitationFilter, "state=bad", rows, committee)) == 2
    assert two.pk in {i.member_id for i in rows}


def test_contribution_filter_opens_on_what_awaits_and_all_shows_every_state(
    committee, duties_staff, new_member
):
    member = new_member()
    day = dt.date(2026, 3, 1)
    waiting, done = (
        services.contribution_submit(
            member=member,
            actor=member.person.user,
            kind=Contribution.Kind.PUBLIC_SERVICE,
            title=title,
            description="帮扶",
            date=day,
        )
        for title in ("一", "二")
    )
    services.contribution_review(item=done, actor=duties_staff, confirm=True)
    rows = selectors.contributions_of(committee)
    assert _rows(filters.ContributionFilter, "", rows, committee) == [waiting]
    assert set(_rows(filters.ContributionFilter, "state=all", rows, committee)) == {waiting, done}
    assert _rows(filters.ContributionFilter, "state=confirmed", rows, committee) == [done]
    assert len(_rows(filters.ContributionFilter, "state=bad", rows, committee)) == 2


def test_list_pages_keep_their_parameters_and_another_committee_stays_out(
    client, committee, duties_staff, new_member
):
    new_member()
    mine = make_activity(committee, duties_staff, title="本会活动")
    other = CommitteeFactory()
    make_activity(other, None, publish=False, title="他会活动")
    client.force_login(duties_staff)
    response = client.get(reverse("duties:activity_list") + "?q=活动")
    assert list(response.context["page_obj"]) == [mine]
    response = client.get(reverse("duties:activity_list") + "?state=published&q=活动")
    assert response.context["query"] == "state=published&q=%E6%B4%BB%E5%8A%A8"
    assert list(response.context["page_obj"]) == [mine]
    assert response.context["filter"].form["state"].value() == Activity.State.PUBLISHED
    for name in ("duties:contribution_list", "duties:project_list"):
        assert client.get(reverse(name) + "?state=bad").status_code == 200

"""Following a notification from another committee: it opens in that
committee (the user is switched to it when they work there) instead of
answering 404 in the committee they happen to be in."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.core.models import Notification
from lvzhi.core.notifications import notify
from lvzhi.org.middleware import SESSION_KEY
from lvzhi.org.tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_committees() -> dict[str, Any]:
    city = CommitteeFactory(code="n-city", name="北岭市政协")
    district = CommitteeFactory(code="n-district", name="南湖区政协", parent=city)
    user = UserFactory()
    RoleAssignmentFactory(user=user, committee=city, role=Role.STAFF, area=Area.ORG)
    RoleAssignmentFactory(user=user, committee=district, role=Role.STAFF, area=Area.ORG)
    return {"city": city, "district": district, "user": user}


def _working_in(client: Any, committee: Any) -> None:
    client.post(reverse("org:switch_committee"), {"committee": committee.pk})
    assert client.session[SESSION_KEY] == committee.pk


def test_opening_a_notice_of_the_other_committee_switches_to_it_and_follows_the_link(
    client_for: Any, two_committees: dict[str, Any]
) -> None:
    city, district, user = two_committees.values()
    target = reverse("org:member_list")
    (notice,) = notify(recipients=[user], title="区里的通知", url=target, committee=district)
    client = client_for(user)
    _working_in(client, city)
    response = client.post(reverse("org:notification_open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == target
    assert client.session[SESSION_KEY] == district.pk
    notice.refresh_from_db()
    assert notice.read_at is not None
    page = client.get(target)
    assert page.status_code == 200
    assert "南湖区政协" in page.content.decode()


def test_a_notice_of_a_committee_the_user_left_opens_without_switching(
    client_for: Any, two_committees: dict[str, Any]
) -> None:
    city, _district, user = two_committees.values()
    elsewhere = CommitteeFactory(code="n-elsewhere")
    (notice,) = notify(recipients=[user], title="旧通知", url="/org/members/", committee=elsewhere)
    client = client_for(user)
    _working_in(client, city)
    response = client.post(reverse("org:notification_open", args=[notice.pk]))
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == city.pk


def test_someone_elses_notice_is_not_found_and_stays_unread(
    client_for: Any, two_committees: dict[str, Any]
) -> None:
    city, _district, user = two_committees.values()
    (theirs,) = notify(recipients=[UserFactory()], title="别人的", url="/", committee=city)
    response = client_for(user).post(reverse("org:notification_open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_is_a_post_and_an_outside_link_is_never_followed(
    client_for: Any, two_committees: dict[str, Any]
) -> None:
    city, _district, user = two_committees.values()
    (notice,) = notify(recipients=[user], title="外链", url="https://evil.example/", committee=city)
    client = client_for(user)
    assert client.get(reverse("org:notification_open", args=[notice.pk])).status_code == 405
    assert Notification.objects.get(pk=notice.pk).read_at is None
    response = client.post(reverse("org:notification_open", args=[notice.pk]))
    assert response["Location"] == reverse("core:inbox")


def test_the_inbox_names_each_notices_committee_and_opens_it_through_a_post(
    client_for: Any, two_committees: dict[str, Any]
) -> None:
    city, district, user = two_committees.values()
    url = "/org/members/"
    (notice,) = notify(recipients=[user], title="区里的通知", url=url, committee=district)
    client = client_for(user)
    _working_in(client, city)
    body = client.get(reverse("core:inbox")).content.decode()
    assert "南湖区政协" in body
    assert reverse("org:notification_open", args=[notice.pk]) in body

"""Every committee is a tenant: another committee's objects answer 404, and a
person working in two committees sees one at a time."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.core.models import AuditEvent
from lvzhi.org.middleware import SESSION_KEY
from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import (
    CommitteeFactory,
    HandlingUnitFactory,
    MemberFactory,
    PersonFactory,
    PlenarySessionFactory,
    SectorClusterFactory,
    SpecialCommitteeFactory,
    StationFactory,
    StudioFactory,
)


@pytest.fixture
def foreign(other_committee: Committee) -> SimpleNamespace:
    """One object of each kind in another committee."""
    member = MemberFactory(committee=other_committee, person__name="别处委员")
    studio = StudioFactory(committee=other_committee)
    station = StationFactory(committee=other_committee)
    return SimpleNamespace(
        member=member,
        term=member.term,
        session=PlenarySessionFactory(term=member.term),
        cluster=SectorClusterFactory(committee=other_committee),
        sector=member.sector,
        special=SpecialCommitteeFactory(committee=other_committee),
        unit=HandlingUnitFactory(committee=other_committee),
        studio=studio,
        station=station,
    )


CROSS = [
    ("get", "org:member_detail", "member"),
    ("get", "org:member_edit", "member"),
    ("post", "org:member_edit", "member"),
    ("get", "org:member_deactivate", "member"),
    ("post", "org:member_deactivate", "member"),
    ("post", "org:member_reveal", "member"),
    ("get", "org:term_edit", "term"),
    ("post", "org:term_edit", "term"),
    ("get", "org:session_create", "term"),
    ("post", "org:session_create", "term"),
    ("get", "org:session_edit", "session"),
    ("post", "org:session_edit", "session"),
    ("get", "org:cluster_edit", "cluster"),
    ("post", "org:cluster_edit", "cluster"),
    ("get", "org:sector_edit", "sector"),
    ("post", "org:sector_edit", "sector"),
    ("get", "org:special_committee_edit", "special"),
    ("post", "org:special_committee_edit", "special"),
    ("get", "org:unit_detail", "unit"),
    ("get", "org:unit_edit", "unit"),
    ("post", "org:unit_edit", "unit"),
    ("post", "org:unit_deactivate", "unit"),
    ("get", "org:studio_detail", "studio"),
    ("get", "org:studio_edit", "studio"),
    ("post", "org:studio_edit", "studio"),
    ("post", "org:studio_deactivate", "studio"),
    ("get", "org:station_detail", "station"),
    ("get", "org:station_edit", "station"),
    ("post", "org:station_edit", "station"),
    ("post", "org:station_deactivate", "station"),
]


@pytest.mark.parametrize(("method", "url_name", "attr"), CROSS)
def test_org_staff_get_404_for_another_committees_objects_and_nothing_changes(
    client: Client,
    staff_user: User,
    foreign: SimpleNamespace,
    method: str,
    url_name: str,
    attr: str,
) -> None:
    obj = getattr(foreign, attr)
    before = {k: v for k, v in vars(type(obj).objects.get(pk=obj.pk)).items() if k != "_state"}
    client.force_login(staff_user)
    data = {"name": "篡改", "status": "resigned", "end_date": "2026-01-01", "reason": "x"}
    response = getattr(client, method)(reverse(url_name, args=[obj.pk]), data)
    assert response.status_code == 404
    after = {k: v for k, v in vars(type(obj).objects.get(pk=obj.pk)).items() if k != "_state"}
    assert after == before
    assert not AuditEvent.objects.exclude(result=AuditEvent.Result.DENIED).exists()


def test_lists_show_only_the_current_committees_rows(
    client: Client, staff_user: User, foreign: SimpleNamespace, member: Member
) -> None:
    client.force_login(staff_user)
    pages = {
        "org:member_list": foreign.member.person.name,
        "org:cluster_list": foreign.cluster.name,
        "org:sector_list": foreign.sector.name,
        "org:special_committee_list": foreign.special.name,
        "org:unit_list": foreign.unit.name,
        "org:studio_list": foreign.studio.name,
        "org:station_list": foreign.station.name,
        "org:structure": foreign.term.name + "X",  # terms: checked below
    }
    for url_name, foreign_text in pages.items():
        content = client.get(reverse(url_name), {"term": ""}).content.decode()
        assert foreign_text not in content, url_name
    structure = client.get(reverse("org:structure")).context
    assert list(structure["terms"]) == [member.term]


@pytest.fixture
def two_committee_staff(
    make_user: Callable[..., User], committee: Committee, other_committee: Committee
) -> User:
    user = make_user(Role.STAFF, committee, Area.ORG, username="two-hats")
    RoleAssignmentFactory(user=user, committee=other_committee, role=Role.STAFF, area=Area.ORG)
    return user


def test_a_user_of_two_committees_sees_one_roster_at_a_time_and_switches(
    client: Client,
    two_committee_staff: User,
    member: Member,
    foreign: SimpleNamespace,
    committee: Committee,
    other_committee: Committee,
) -> None:
    client.force_login(two_committee_staff)
    session = client.session
    session[SESSION_KEY] = committee.pk
    session.save()
    content = client.get(reverse("org:member_list")).content.decode()
    assert member.person.name in content and foreign.member.person.name not in content
    assert client.get(reverse("org:member_detail", args=[foreign.member.pk])).status_code == 404

    response = client.post(reverse("org:switch_committee"), {"committee": other_committee.pk})
    assert response.status_code == 302
    content = client.get(reverse("org:member_list")).content.decode()
    assert foreign.member.person.name in content and member.person.name not in content
    assert client.get(reverse("org:member_detail", args=[member.pk])).status_code == 404
    assert client.get(reverse("org:member_detail", args=[foreign.member.pk])).status_code == 200


def test_switching_to_a_committee_the_user_does_not_belong_to_is_404(
    client: Client, staff_user: User, committee: Committee, other_committee: Committee
) -> None:
    client.force_login(staff_user)
    client.get(reverse("org:member_list"))
    response = client.post(reverse("org:switch_committee"), {"committee": other_committee.pk})
    assert response.status_code == 404
    assert client.post(reverse("org:switch_committee"), {"committee": "abc"}).status_code == 404
    assert client.session[SESSION_KEY] == committee.pk


def test_a_member_of_two_committees_sees_the_profile_of_the_current_one(
    client: Client, committee: Committee, other_committee: Committee
) -> None:
    person = PersonFactory(name="两地委员", user=UserFactory(username="two-seats"))
    city = MemberFactory(committee=committee, person=person, sector__name="城市经济界")
    county = MemberFactory(committee=other_committee, person=person, sector__name="县域农业界")
    client.force_login(person.user)
    session = client.session
    session[SESSION_KEY] = committee.pk
    session.save()
    content = client.get(reverse("org:my_profile")).content.decode()
    assert city.sector.name in content and county.sector.name not in content

    client.post(reverse("org:switch_committee"), {"committee": other_committee.pk})
    content = client.get(reverse("org:my_profile")).content.decode()
    assert county.sector.name in content and city.sector.name not in content


def test_the_structure_page_shows_the_committee_in_its_tree(
    client: Client, staff_user: User, committee: Committee
) -> None:
    province = CommitteeFactory(name="示例省政协", code="province", level="provincial")
    committee.parent = province
    committee.save(update_fields=["parent"])
    child = CommitteeFactory(name="示例区政协", code="district", level="county", parent=committee)
    client.force_login(staff_user)
    content = client.get(reverse("org:structure")).content.decode()
    assert province.name in content and child.name in content

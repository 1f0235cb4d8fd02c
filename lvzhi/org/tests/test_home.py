"""The home page fits the roles of the user in the current committee."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.translation import gettext

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.org.models import Member
from lvzhi.org.tests.factories import HandlingUnitFactory, MemberFactory

pytestmark = pytest.mark.django_db


def url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def test_home_needs_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_member_sees_their_seat_with_sector_position_and_term(client_for, member, committee):
    member.sector.conveners.add(member)
    response = client_for(member.person.user).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="home-member"' in body
    assert member.person.name in body
    assert member.sector.name in body
    assert member.term.name in body
    assert str(member.get_position_display()) in body
    assert committee.name in body
    # No role cards for a plain member.
    assert 'id="home-staff"' not in body
    assert 'id="home-sysadmin"' not in body
    assert reverse("org:my_profile") in body


def test_a_member_who_resigned_sees_no_seat_card(client_for, committee, make_user):
    user = make_user(Role.STAFF, committee)
    MemberFactory(committee=committee, person__user=user, status=Member.Status.RESIGNED)
    body = client_for(user).get(reverse("home")).content.decode()
    assert 'id="home-member"' not in body
    assert 'id="home-staff"' in body


def test_office_staff_see_the_shortcuts_of_their_area(client_for, staff_user):
    response = client_for(staff_user).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="home-staff"' in body
    assert 'id="home-member"' not in body
    assert reverse("core:holiday_list") in body
    assert str(Area(Area.ORG).label) in body
    assert reverse("org:member_list") in body
    assert reverse("org:member_create") in body
    assert reverse("org:sector_list") in body
    roster_import = url_or_none("org:roster_import")
    if roster_import:
        assert roster_import in body


@pytest.mark.parametrize(
    ("role", "card"),
    [
        (Role.LEADER, "home-leader"),
        (Role.GOV_LEADER, "home-gov_leader"),
        (Role.SECADMIN, "home-secadmin"),
        (Role.AUDITOR, "home-auditor"),
    ],
)
def test_each_role_lands_on_its_own_card(client_for, make_user, committee, role, card):
    response = client_for(make_user(role, committee)).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="{card}"' in body
    assert escape(str(Role(role).label)) in body
    assert 'id="home-empty"' not in body


def test_the_system_administrator_is_pointed_to_the_holiday_calendar(
    client_for, make_user, committee
):
    body = client_for(make_user(Role.SYSADMIN, committee)).get(reverse("home")).content.decode()
    assert 'id="home-sysadmin"' in body
    assert reverse("core:holiday_list") in body
    # Separation of duties: no roster shortcut for administrators.
    assert reverse("org:member_list") not in body


def test_a_unit_user_sees_the_unit_they_act_for(client_for, committee):
    unit = HandlingUnitFactory(committee=committee, name="示例市交通运输局")
    user = UserFactory()
    RoleAssignmentFactory(user=user, committee=committee, role=Role.UNIT, unit=unit)
    body = client_for(user).get(reverse("home")).content.decode()
    assert 'id="home-unit"' in body
    assert "示例市交通运输局" in body


@pytest.mark.parametrize(
    ("role", "url_name"),
    [(Role.SECADMIN, "accounts:user_list"), (Role.AUDITOR, "accounts:audit_list")],
)
def test_the_security_administrator_and_the_auditor_are_pointed_to_their_pages(
    client_for, make_user, committee, role, url_name
):
    body = client_for(make_user(role, committee)).get(reverse("home")).content.decode()
    assert reverse(url_name) in body
    assert reverse("org:member_list") not in body


def test_a_leader_is_pointed_to_the_roster_and_the_structure(client_for, make_user, committee):
    body = client_for(make_user(Role.LEADER, committee)).get(reverse("home")).content.decode()
    assert reverse("org:member_list") in body
    assert reverse("org:structure") in body
    assert reverse("org:member_create") not in body  # read-only


def test_a_shortcut_to_a_page_not_built_yet_is_left_out():
    from lvzhi.org import home

    class FakeUser:
        def has_perm(self, perm, obj=None):
            return True

    class FakeRequest:
        user = FakeUser()
        committee = None

    links = home._links(
        FakeRequest(),  # type: ignore[arg-type]
        (
            home.Shortcut("Exists", "core:holiday_list"),
            home.Shortcut("Not yet", "proposals:queue"),
        ),
    )
    assert [link["label"] for link in links] == ["Exists"]


def test_a_user_without_any_role_sees_a_friendly_empty_state(client_for):
    user = UserFactory()
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="home-empty"' in body
    assert gettext("Your account is not linked to any committee yet") in body


def test_home_shows_the_current_committee_only(client_for, make_user, committee, other_committee):
    user = make_user(Role.STAFF, committee, Area.ORG)
    RoleAssignmentFactory(user=user, committee=other_committee, role=Role.AUDITOR)
    response = client_for(user).get(reverse("home"))
    # The first committee is current: staff card there, not the auditor card.
    assert response.context["committee"] == committee
    body = response.content.decode()
    assert 'id="home-staff"' in body
    assert 'id="home-auditor"' not in body


def test_home_queries_stay_bounded_for_a_user_with_many_roles(
    client_for, make_user, committee, django_assert_max_num_queries
):
    user = make_user(Role.STAFF, committee, Area.ORG)
    for area in (Area.PROPOSALS, Area.OPINIONS, Area.DUTIES):
        RoleAssignmentFactory(user=user, committee=committee, role=Role.STAFF, area=area)
    RoleAssignmentFactory(user=user, committee=committee, role=Role.LEADER)
    unit = HandlingUnitFactory(committee=committee)
    RoleAssignmentFactory(user=user, committee=committee, role=Role.UNIT, unit=unit)
    MemberFactory(committee=committee, person__user=user)
    client = client_for(user)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_shortcuts_registered_by_later_apps_appear_in_their_section(
    client_for, member_user, monkeypatch
):
    from lvzhi.org import home as home_module

    monkeypatch.setattr(home_module, "_registered", {})
    home_module.register_shortcuts(
        "member", home_module.Shortcut("Registered shortcut", "core:inbox", None, "star")
    )
    home_module.register_shortcuts(
        "member", home_module.Shortcut("Unbuilt page", "nowhere:page", None, "star")
    )
    body = client_for(member_user).get("/").content.decode()
    assert "Registered shortcut" in body
    assert "Unbuilt page" not in body

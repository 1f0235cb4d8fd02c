"""Authority over accounts flows down the committee tree (DESIGN §9, issue 11).

The finding: a district's security administrator reset the password of a
member who also sits on the city committee, logged in as that member,
switched to the city and opened a city draft. Each test reproduces one step
of such a takeover and shows it refused, with a Chinese reason and nothing
changed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from lvzhi.accounts import services
from lvzhi.accounts.models import Area, Role, RoleAssignment, User
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Committee
from lvzhi.org.tests.factories import CommitteeFactory, MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, Committee]:
    city = CommitteeFactory(code="t-city", name="北岭市政协", level="city")
    district = CommitteeFactory(code="t-district", name="南湖区政协", level="county", parent=city)
    sibling = CommitteeFactory(code="t-sibling", name="西山区政协", level="county", parent=city)
    return {"city": city, "district": district, "sibling": sibling}


def _with_role(committee: Committee, role: str, username: str, area: str = "") -> User:
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, committee=committee, role=role, area=area)
    return user


def _member_of(*committees: Committee, username: str) -> User:
    user = UserFactory(username=username)
    person = PersonFactory(user=user)
    for committee in committees:
        MemberFactory(committee=committee, person=person)
    return user


def _unchanged_password(user: User) -> bool:
    return User.objects.get(pk=user.pk).check_password(PASSWORD)


# --- Accounts across the tree ----------------------------------------------------------


def test_a_district_administrator_cannot_reset_a_member_who_also_sits_in_the_city(
    tree: dict[str, Committee],
) -> None:
    district_admin = _with_role(tree["district"], Role.SECADMIN, "district-sec")
    both = _member_of(tree["city"], tree["district"], username="both-seats")
    for act in (
        services.user_password_reset,
        services.user_deactivate,
        services.totp_reset,
        services.user_unlock,
    ):
        with pytest.raises(PermissionDenied):
            act(actor=district_admin, user=both)
    assert _unchanged_password(both)
    assert User.objects.get(pk=both.pk).is_active
    assert not AuditEvent.objects.filter(action="password_reset").exists()


def test_through_the_page_the_reset_is_refused_and_no_password_is_shown(
    client: Client, tree: dict[str, Committee]
) -> None:
    district_admin = _with_role(tree["district"], Role.SECADMIN, "district-sec")
    both = _member_of(tree["city"], tree["district"], username="both-seats")
    client.force_login(district_admin)
    response = client.post(reverse("accounts:user_password_reset", args=[both.pk]), follow=True)
    assert response.status_code in (200, 404)
    assert "临时密码" not in response.content.decode() or _unchanged_password(both)
    assert _unchanged_password(both)


def test_a_district_administrator_manages_an_account_that_is_only_in_the_district(
    tree: dict[str, Committee],
) -> None:
    district_admin = _with_role(tree["district"], Role.SECADMIN, "district-sec")
    local = _member_of(tree["district"], username="local-member")
    assert services.user_password_reset(actor=district_admin, user=local)
    assert not _unchanged_password(local)


def test_the_city_administrator_has_authority_over_the_districts_below_it(
    tree: dict[str, Committee],
) -> None:
    city_admin = _with_role(tree["city"], Role.SECADMIN, "city-sec")
    local = _member_of(tree["district"], username="local-member")
    both = _member_of(tree["district"], tree["sibling"], username="two-districts")
    for user in (local, both):
        assert services.user_password_reset(actor=city_admin, user=user)
    # ...but a sibling district's administrator has none over the other district.
    sibling_admin = _with_role(tree["sibling"], Role.SECADMIN, "sibling-sec")
    with pytest.raises(PermissionDenied):
        services.user_password_reset(actor=sibling_admin, user=both)


def test_a_grant_to_an_account_that_works_above_the_administrator_is_refused(
    tree: dict[str, Committee],
) -> None:
    district_admin = _with_role(tree["district"], Role.SECADMIN, "district-sec")
    both = _member_of(tree["city"], tree["district"], username="both-seats")
    with pytest.raises(PermissionDenied) as refused:
        services.role_grant(
            actor=district_admin,
            committee=tree["district"],
            user=both,
            role=Role.STAFF,
            area=Area.PROPOSALS,
        )
    assert "以外" in refused.value.message
    assert not RoleAssignment.objects.filter(user=both).exists()


# --- The three administrators are kept apart ----------------------------------------


@pytest.mark.parametrize("peer_role", [Role.AUDITOR, Role.SYSADMIN, Role.SECADMIN])
def test_a_security_administrator_cannot_touch_a_peer_administrators_account(
    tree: dict[str, Committee], peer_role: str
) -> None:
    secadmin = _with_role(tree["city"], Role.SECADMIN, "city-sec")
    peer = _with_role(tree["city"], peer_role, "peer-admin")
    for act in (services.user_password_reset, services.user_deactivate, services.user_unlock):
        with pytest.raises(PermissionDenied):
            act(actor=secadmin, user=peer)
    assignment = RoleAssignment.objects.get(user=peer)
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=secadmin, assignment=assignment)
    assert _unchanged_password(peer)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.parametrize("admin_role", [Role.AUDITOR, Role.SYSADMIN, Role.SECADMIN])
def test_no_security_administrator_grants_an_administrator_role_in_its_own_committee(
    tree: dict[str, Committee], admin_role: str
) -> None:
    for committee in (tree["city"], tree["district"]):
        secadmin = _with_role(committee, Role.SECADMIN, f"sec-{committee.code}")
        fresh, _password = services.user_create(
            actor=secadmin, committee=committee, username=f"new-{committee.code}", display_name="新"
        )
        with pytest.raises(PermissionDenied) as refused:
            services.role_grant(actor=secadmin, committee=committee, user=fresh, role=admin_role)
        assert "admin_account" in refused.value.message
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=secadmin, committee=committee, user=secadmin, role=admin_role)
    assert not RoleAssignment.objects.filter(user__username__startswith="new-").exists()


def test_the_top_manages_a_districts_administrators_but_never_its_own_peers(
    tree: dict[str, Committee],
) -> None:
    city_admin = _with_role(tree["city"], Role.SECADMIN, "city-sec")
    district_auditor = _with_role(tree["district"], Role.AUDITOR, "district-audit")
    assert services.user_password_reset(actor=city_admin, user=district_auditor)
    city_auditor = _with_role(tree["city"], Role.AUDITOR, "city-audit")
    with pytest.raises(PermissionDenied):
        services.user_password_reset(actor=city_admin, user=city_auditor)


def test_the_host_command_creates_and_resets_the_tops_administrators(
    tree: dict[str, Committee],
) -> None:
    out = StringIO()
    call_command("admin_account", "top-audit", committee="t-city", role="auditor", stdout=out)
    user = User.objects.get(username="top-audit")
    assert RoleAssignment.objects.filter(user=user, committee=tree["city"], role="auditor").exists()
    assert user.must_change_password
    assert "Temporary password" in out.getvalue()
    assert AuditEvent.objects.filter(action="role_granted", actor__isnull=True).exists()
    out = StringIO()
    call_command("admin_account", "top-audit", reset_password=True, stdout=out)
    assert "Temporary password of top-audit" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("admin_account", "top-audit", committee="nowhere", role="auditor")
    # Separation of duties holds for the host command too.
    with pytest.raises(CommandError):
        call_command("admin_account", "top-audit", committee="t-city", role="secadmin")


# --- What each auditor reads ---------------------------------------------------------


def _login(client: Client, username: str, password: str = PASSWORD) -> None:
    client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_events_carry_the_accounts_committees_and_each_auditor_reads_its_own(
    client: Client, tree: dict[str, Committee]
) -> None:
    _member_of(tree["city"], tree["district"], username="both-seats")
    _member_of(tree["city"], username="city-only")
    _login(client, "both-seats")
    client.logout()
    _login(client, "city-only", "wrong-password")
    _login(client, "nobody-at-all", "wrong-password")
    logins = AuditEvent.objects.filter(actor_label="both-seats", action="login_success")
    assert set(logins.values_list("committee__code", flat=True)) == {"t-city", "t-district"}

    district_auditor = _with_role(tree["district"], Role.AUDITOR, "district-audit")
    city_auditor = _with_role(tree["city"], Role.AUDITOR, "city-audit")
    district_view = _audit_labels(client, district_auditor)
    assert "both-seats" in district_view
    assert "city-only" not in district_view and "nobody-at-all" not in district_view
    city_view = _audit_labels(client, city_auditor)
    assert {"both-seats", "city-only", "nobody-at-all"} <= city_view


def _audit_labels(client: Client, auditor: User) -> set[str]:
    client.force_login(auditor)
    response = client.get(reverse("accounts:audit_list"))
    assert response.status_code == 200
    return {row.actor_label for row in response.context["page_obj"]}


# --- Platform data -------------------------------------------------------------------


def test_only_the_tops_system_administrator_edits_the_holiday_calendar(
    tree: dict[str, Committee],
) -> None:
    city_sys = _with_role(tree["city"], Role.SYSADMIN, "city-sys")
    district_sys = _with_role(tree["district"], Role.SYSADMIN, "district-sys")
    assert city_sys.has_perm("core.change_holiday", tree["city"])
    assert not district_sys.has_perm("core.change_holiday", tree["district"])


def test_a_district_system_administrator_gets_no_holiday_form(
    client: Client, tree: dict[str, Committee]
) -> None:
    district_sys = _with_role(tree["district"], Role.SYSADMIN, "district-sys")
    client.force_login(district_sys)
    response = client.get(reverse("core:holiday_create"))
    assert response.status_code in (403, 404)

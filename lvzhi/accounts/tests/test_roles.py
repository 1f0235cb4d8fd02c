"""Granting and revoking roles: the rules of DESIGN §1 and §9, audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.accounts import services
from lvzhi.accounts.models import Area, Role, RoleAssignment, User
from lvzhi.accounts.tests.conftest import audit_rows, shows
from lvzhi.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from lvzhi.core.errors import DomainError
from lvzhi.org.models import Committee, HandlingUnit
from lvzhi.org.tests.factories import HandlingUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_user: Callable[..., User], committee: Committee) -> User:
    return make_user(Role.LEADER, committee, username="clerk")


@pytest.fixture
def unit(committee: Committee) -> HandlingUnit:
    return HandlingUnitFactory(committee=committee, name="示例市教育局")


def grant(client: Client, user: User, **data: object) -> object:
    return client.post(reverse("accounts:role_grant", args=[user.pk]), data)


def roles_of(user: User) -> set[tuple[str, str]]:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", "area"))


# --- Through the pages ------------------------------------------------------------


def test_granting_a_staff_role_with_an_area(
    secadmin_client: Client, secadmin: User, clerk: User, committee: Committee
) -> None:
    response = grant(secadmin_client, clerk, role=Role.STAFF, area=Area.PROPOSALS)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=clerk, role=Role.STAFF)
    assert assignment.area == Area.PROPOSALS
    assert assignment.committee == committee
    assert assignment.created_by == secadmin
    [row] = audit_rows("role_granted")
    assert row.actor == secadmin
    assert row.committee == committee
    assert row.object_id == str(clerk.pk)
    assert row.detail == {"user": "clerk", "role": "staff", "area": "proposals", "unit": ""}


def test_granted_roles_take_effect_in_permissions(
    secadmin_client: Client, clerk: User, committee: Committee
) -> None:
    assert not User.objects.get(pk=clerk.pk).has_perm("org.change_roster", committee)
    grant(secadmin_client, clerk, role=Role.STAFF, area=Area.ORG)
    fresh = User.objects.get(pk=clerk.pk)
    assert fresh.has_perm("org.change_roster", committee)


def test_staff_without_an_area_is_refused(secadmin_client: Client, clerk: User) -> None:
    response = grant(secadmin_client, clerk, role=Role.STAFF, area="")
    assert response.status_code == 200
    assert shows(response, _("Office staff need a functional area."))
    assert roles_of(clerk) == {("leader", "")}
    assert not audit_rows("role_granted")


def test_a_unit_role_needs_a_unit(secadmin_client: Client, clerk: User) -> None:
    response = grant(secadmin_client, clerk, role=Role.UNIT)
    assert shows(response, _("A handling-unit account needs its handling unit."))
    assert roles_of(clerk) == {("leader", "")}


def test_a_unit_role_with_a_unit_of_this_committee(
    secadmin_client: Client, clerk: User, unit: HandlingUnit
) -> None:
    response = grant(secadmin_client, clerk, role=Role.UNIT, unit=unit.pk)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=clerk, role=Role.UNIT)
    assert assignment.unit == unit
    [row] = audit_rows("role_granted")
    assert row.detail["unit"] == "示例市教育局"


def test_a_unit_of_another_committee_is_refused(
    secadmin_client: Client, clerk: User, other_committee: Committee
) -> None:
    foreign = HandlingUnitFactory(committee=other_committee, name="别处县财政局")
    response = grant(secadmin_client, clerk, role=Role.UNIT, unit=foreign.pk)
    assert response.status_code == 200
    assert response.context["grant_form"].errors["unit"]
    assert not RoleAssignment.objects.filter(user=clerk, role=Role.UNIT).exists()


def test_the_unit_choices_list_only_this_committees_active_units(
    secadmin_client: Client, clerk: User, unit: HandlingUnit, other_committee: Committee
) -> None:
    HandlingUnitFactory(committee=other_committee, name="别处县财政局")
    HandlingUnitFactory(committee=unit.committee, name="已撤销局", is_active=False)
    response = secadmin_client.get(reverse("accounts:user_detail", args=[clerk.pk]))
    units = list(response.context["grant_form"].fields["unit"].queryset)
    assert units == [unit]


def test_an_area_given_with_a_non_staff_role_is_dropped(
    secadmin_client: Client, clerk: User
) -> None:
    grant(secadmin_client, clerk, role=Role.GOV_LEADER, area=Area.PROPOSALS)
    assert ("gov_leader", "") in roles_of(clerk)


def test_a_duplicate_grant_says_so_and_changes_nothing(
    secadmin_client: Client, clerk: User
) -> None:
    response = grant(secadmin_client, clerk, role=Role.LEADER)
    assert response.status_code == 200
    assert shows(response, _("This account already holds this role in this committee."))
    assert RoleAssignment.objects.filter(user=clerk).count() == 1
    assert not audit_rows("role_granted")


def test_an_unknown_role_is_refused(secadmin_client: Client, clerk: User) -> None:
    response = grant(secadmin_client, clerk, role="emperor")
    assert response.context["grant_form"].errors["role"]
    assert roles_of(clerk) == {("leader", "")}


def test_an_empty_grant_is_refused(secadmin_client: Client, clerk: User) -> None:
    response = grant(secadmin_client, clerk)
    assert response.context["grant_form"].errors["role"]
    assert roles_of(clerk) == {("leader", "")}


def test_a_security_administrator_cannot_grant_roles_to_themselves(
    secadmin_client: Client, secadmin: User
) -> None:
    response = grant(secadmin_client, secadmin, role=Role.LEADER)
    assert shows(response, _("You cannot grant roles to your own account."))
    assert roles_of(secadmin) == {("secadmin", "")}


def test_revoking_a_role(
    secadmin_client: Client, secadmin: User, clerk: User, committee: Committee
) -> None:
    assignment = RoleAssignment.objects.get(user=clerk)
    response = secadmin_client.post(reverse("accounts:role_revoke", args=[assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    [row] = audit_rows("role_revoked")
    assert row.actor == secadmin
    assert row.committee == committee
    assert row.detail["role"] == "leader"
    assert row.detail["user"] == "clerk"


def test_a_security_administrator_cannot_revoke_their_own_roles(
    secadmin_client: Client, secadmin: User
) -> None:
    own = RoleAssignment.objects.get(user=secadmin)
    response = secadmin_client.post(reverse("accounts:role_revoke", args=[own.pk]), follow=True)
    assert shows(response, _("You cannot revoke roles of your own account."))
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert not audit_rows("role_revoked")


def test_revoking_a_role_of_another_committee_answers_404(
    secadmin_client: Client, clerk: User, other_committee: Committee
) -> None:
    foreign = RoleAssignmentFactory(user=clerk, committee=other_committee, role=Role.LEADER)
    response = secadmin_client.post(reverse("accounts:role_revoke", args=[foreign.pk]))
    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=foreign.pk).exists()


def test_revoking_needs_post(secadmin_client: Client, clerk: User) -> None:
    assignment = RoleAssignment.objects.get(user=clerk)
    assert (
        secadmin_client.get(reverse("accounts:role_revoke", args=[assignment.pk])).status_code
        == 405
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_detail_page_lists_only_this_committees_roles(
    secadmin_client: Client, clerk: User, other_committee: Committee
) -> None:
    RoleAssignmentFactory(user=clerk, committee=other_committee, role=Role.AUDITOR)
    response = secadmin_client.get(reverse("accounts:user_detail", args=[clerk.pk]))
    assert [a.role for a in response.context["roles"]] == ["leader"]


# --- Separation of duties (services; administrator roles come from the host command,
# whose actor is the system: lvzhi/accounts/tests/test_account_tree.py) ---------------


@pytest.mark.parametrize(
    ("held", "wanted"),
    [
        (Role.SYSADMIN, Role.SECADMIN),
        (Role.SYSADMIN, Role.AUDITOR),
        (Role.SECADMIN, Role.AUDITOR),
        (Role.SECADMIN, Role.SYSADMIN),
        (Role.AUDITOR, Role.SYSADMIN),
        (Role.AUDITOR, Role.SECADMIN),
    ],
)
def test_one_person_holds_at_most_one_administrator_role(
    secadmin: User, committee: Committee, held: str, wanted: str
) -> None:
    user = UserFactory(username="admin-candidate")
    RoleAssignmentFactory(user=user, committee=committee, role=held)
    with pytest.raises(DomainError) as error:
        services.role_grant(actor=None, committee=committee, user=user, role=wanted)
    expected = _(
        "One person may hold only one of the roles system administrator, "
        "security administrator and audit administrator; this account is "
        "already %(role)s."
    ) % {"role": Role(held).label}
    assert error.value.message == expected
    assert roles_of(user) == {(held, "")}
    assert not audit_rows("role_granted")


def test_separation_of_duties_holds_across_committees(
    secadmin: User, committee: Committee, other_committee: Committee
) -> None:
    user = UserFactory(username="admin-candidate")
    RoleAssignmentFactory(user=user, committee=other_committee, role=Role.AUDITOR)
    with pytest.raises(DomainError):
        services.role_grant(actor=None, committee=committee, user=user, role=Role.SYSADMIN)


def test_the_same_administrator_role_in_two_committees_is_allowed(
    secadmin: User, committee: Committee, other_committee: Committee
) -> None:
    user = UserFactory(username="admin-candidate")
    RoleAssignmentFactory(user=user, committee=other_committee, role=Role.AUDITOR)
    services.role_grant(actor=None, committee=committee, user=user, role=Role.AUDITOR)
    assert RoleAssignment.objects.filter(user=user, role=Role.AUDITOR).count() == 2


def test_a_system_administrator_may_also_hold_a_working_role(committee: Committee) -> None:
    user = UserFactory(username="admin-candidate")
    RoleAssignmentFactory(user=user, committee=committee, role=Role.SYSADMIN)
    services.role_grant(actor=None, committee=committee, user=user, role=Role.LEADER)
    assert roles_of(user) == {("sysadmin", ""), ("leader", "")}


@pytest.mark.parametrize(
    ("held", "wanted"),
    [
        (Role.AUDITOR, Role.LEADER),
        (Role.AUDITOR, Role.GOV_LEADER),
        (Role.LEADER, Role.AUDITOR),
        (Role.STAFF, Role.AUDITOR),
    ],
)
def test_the_auditor_never_holds_a_business_role(
    committee: Committee, other_committee: Committee, held: str, wanted: str
) -> None:
    user = UserFactory(username="audit-candidate")
    area = Area.PROPOSALS if held == Role.STAFF else ""
    RoleAssignmentFactory(user=user, committee=other_committee, role=held, area=area)
    with pytest.raises(DomainError) as error:
        services.role_grant(actor=None, committee=committee, user=user, role=wanted)
    assert "审计管理员" in error.value.message
    assert roles_of(user) == {(held, area)}
    assert not audit_rows("role_granted")


def test_separation_of_duties_is_shown_on_the_page(
    secadmin_client: Client, committee: Committee
) -> None:
    user = UserFactory(username="admin-candidate")
    RoleAssignmentFactory(user=user, committee=committee, role=Role.AUDITOR)
    response = grant(secadmin_client, user, role=Role.SYSADMIN)
    assert response.status_code == 200
    assert response.context["grant_form"].non_field_errors()
    assert roles_of(user) == {("auditor", "")}


def test_the_service_refuses_a_unit_of_another_committee(
    secadmin: User, clerk: User, committee: Committee, other_committee: Committee
) -> None:
    foreign = HandlingUnitFactory(committee=other_committee)
    with pytest.raises(DomainError) as error:
        services.role_grant(
            actor=secadmin, committee=committee, user=clerk, role=Role.UNIT, unit=foreign
        )
    assert error.value.message == _("The handling unit must belong to this committee.")


def test_the_service_refuses_staff_without_area(
    secadmin: User, clerk: User, committee: Committee
) -> None:
    with pytest.raises(DomainError):
        services.role_grant(actor=secadmin, committee=committee, user=clerk, role=Role.STAFF)
    with pytest.raises(DomainError):
        services.role_grant(
            actor=secadmin, committee=committee, user=clerk, role=Role.STAFF, area="nonsense"
        )
    assert roles_of(clerk) == {("leader", "")}


def test_the_service_refuses_self_grants_and_self_revokes(
    secadmin: User, committee: Committee
) -> None:
    with pytest.raises(DomainError):
        services.role_grant(actor=secadmin, committee=committee, user=secadmin, role=Role.LEADER)
    with pytest.raises(DomainError):
        services.role_revoke(actor=secadmin, assignment=RoleAssignment.objects.get(user=secadmin))
    assert roles_of(secadmin) == {("secadmin", "")}


def test_revoking_twice_says_so(secadmin: User, clerk: User) -> None:
    assignment = RoleAssignment.objects.get(user=clerk)
    services.role_revoke(actor=secadmin, assignment=assignment)
    with pytest.raises(DomainError):
        services.role_revoke(actor=secadmin, assignment=assignment)
    assert len(audit_rows("role_revoked")) == 1

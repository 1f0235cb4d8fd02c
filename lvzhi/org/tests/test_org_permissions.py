"""Who may do what on the organisation pages: role × action, with status codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import rules
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role, User
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Committee, Member

ROLES = [
    "anonymous",
    "member",
    "unit",
    "gov_leader",
    "sysadmin",
    "secadmin",
    "auditor",
    "leader",
    "staff_other",
    "staff_org",
]
READERS = {"leader", "staff_other", "staff_org"}
WRITERS = {"staff_org"}


@pytest.fixture
def user_for(
    make_user: Callable[..., User], member_user: User, committee: Committee
) -> Callable[[str], User | None]:
    def make(role: str) -> User | None:
        if role == "anonymous":
            return None
        if role == "member":
            return member_user
        if role == "staff_other":
            return make_user(Role.STAFF, committee, Area.PROPOSALS)
        if role == "staff_org":
            return make_user(Role.STAFF, committee, Area.ORG)
        return make_user(role, committee)

    return make


def _client(client: Client, user: User | None) -> Client:
    if user is not None:
        client.force_login(user)
    return client


def _expect(role: str, allowed: bool, ok_status: int, response: Any) -> None:
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif allowed:
        assert response.status_code == ok_status, response.content[:500]
    else:
        assert response.status_code == 403


# --- Members ---------------------------------------------------------------------

MEMBER_ACTIONS: dict[str, tuple[str, str, set[str], int]] = {
    # action: (method, url name, roles allowed, status when allowed)
    "list": ("get", "org:member_list", READERS, 200),
    "detail": ("get", "org:member_detail", READERS, 200),
    "create": ("get", "org:member_create", WRITERS, 200),
    "edit": ("get", "org:member_edit", WRITERS, 200),
    "deactivate": ("post", "org:member_deactivate", WRITERS, 302),
    "reveal": ("post", "org:member_reveal", WRITERS, 200),
}


@pytest.mark.parametrize("action", list(MEMBER_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_member_pages_answer_each_role_as_the_matrix_says(
    client: Client,
    world: SimpleNamespace,
    user_for: Callable[[str], User | None],
    role: str,
    action: str,
) -> None:
    method, url_name, allowed_roles, ok_status = MEMBER_ACTIONS[action]
    url = (
        reverse(url_name)
        if action in {"list", "create"}
        else reverse(url_name, args=[world.member.pk])
    )
    data = (
        {"status": "resigned", "end_date": "2026-03-01", "reason": "本人申请辞去委员"}
        if action == "deactivate"
        else {}
    )
    c = _client(client, user_for(role))
    response = getattr(c, method)(url, data)
    _expect(role, role in allowed_roles, ok_status, response)
    world.member.refresh_from_db()
    if role in allowed_roles and action == "deactivate":
        assert world.member.status == Member.Status.RESIGNED
    else:
        assert world.member.status == Member.Status.IN_OFFICE
    revealed = AuditEvent.objects.filter(action="view_personal_data").count()
    assert revealed == (1 if (role in allowed_roles and action == "reveal") else 0)


def test_a_member_reaches_the_own_profile_and_other_roles_without_a_seat_get_404(
    client: Client, world: SimpleNamespace, user_for: Callable[[str], User | None]
) -> None:
    url = reverse("org:my_profile")
    for role in ROLES:
        client.logout()
        c = _client(client, user_for(role))
        response = c.get(url)
        if role == "anonymous":
            assert response.status_code == 302
        elif role == "member":
            assert response.status_code == 200
        else:
            assert response.status_code == 404, role


# --- Structure -----------------------------------------------------------------------

# name: (method, url name, object attribute or None, write?, status when allowed)
STRUCTURE_ACTIONS: dict[str, tuple[str, str, str | None, bool, int]] = {
    "structure": ("get", "org:structure", None, False, 200),
    "term_create": ("get", "org:term_create", None, True, 200),
    "term_edit": ("get", "org:term_edit", "term", True, 200),
    "session_create": ("get", "org:session_create", "term", True, 200),
    "session_edit": ("get", "org:session_edit", "session", True, 200),
    "cluster_list": ("get", "org:cluster_list", None, False, 200),
    "cluster_create": ("get", "org:cluster_create", None, True, 200),
    "cluster_edit": ("get", "org:cluster_edit", "cluster", True, 200),
    "sector_list": ("get", "org:sector_list", None, False, 200),
    "sector_create": ("get", "org:sector_create", None, True, 200),
    "sector_edit": ("get", "org:sector_edit", "sector", True, 200),
    "special_list": ("get", "org:special_committee_list", None, False, 200),
    "special_create": ("get", "org:special_committee_create", None, True, 200),
    "special_edit": ("get", "org:special_committee_edit", "special", True, 200),
    "unit_list": ("get", "org:unit_list", None, False, 200),
    "unit_detail": ("get", "org:unit_detail", "unit", False, 200),
    "unit_create": ("get", "org:unit_create", None, True, 200),
    "unit_edit": ("get", "org:unit_edit", "unit", True, 200),
    "unit_deactivate": ("post", "org:unit_deactivate", "unit", True, 302),
    "studio_list": ("get", "org:studio_list", None, False, 200),
    "studio_detail": ("get", "org:studio_detail", "studio", False, 200),
    "studio_create": ("get", "org:studio_create", None, True, 200),
    "studio_edit": ("get", "org:studio_edit", "studio", True, 200),
    "studio_deactivate": ("post", "org:studio_deactivate", "studio", True, 302),
    "station_list": ("get", "org:station_list", None, False, 200),
    "station_detail": ("get", "org:station_detail", "station", False, 200),
    "station_create": ("get", "org:station_create", None, True, 200),
    "station_edit": ("get", "org:station_edit", "station", True, 200),
    "station_deactivate": ("post", "org:station_deactivate", "station", True, 302),
}


@pytest.mark.parametrize("action", list(STRUCTURE_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_structure_pages_answer_each_role_as_the_matrix_says(
    client: Client,
    world: SimpleNamespace,
    user_for: Callable[[str], User | None],
    role: str,
    action: str,
) -> None:
    method, url_name, attr, write, ok_status = STRUCTURE_ACTIONS[action]
    url = reverse(url_name, args=[getattr(world, attr).pk]) if attr else reverse(url_name)
    c = _client(client, user_for(role))
    response = getattr(c, method)(url)
    allowed = role in (WRITERS if write else READERS)
    _expect(role, allowed, ok_status, response)
    if method == "post":
        obj = getattr(world, attr)
        obj.refresh_from_db()
        assert obj.is_active is not allowed


def test_deactivation_and_reveal_refuse_get_requests(
    client: Client, world: SimpleNamespace, staff_user: User
) -> None:
    client.force_login(staff_user)
    for name in ("org:unit_deactivate", "org:studio_deactivate", "org:station_deactivate"):
        obj = {"org:unit_deactivate": world.unit, "org:studio_deactivate": world.studio}.get(
            name, world.station
        )
        assert client.get(reverse(name, args=[obj.pk])).status_code == 405
    assert client.get(reverse("org:member_reveal", args=[world.member.pk])).status_code == 405
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()


@pytest.mark.parametrize(
    ("role", "area", "expected"),
    [
        (
            Role.STAFF,
            Area.ORG,
            {
                "view_roster",
                "change_roster",
                "view_full_personal_data",
                "view_structure",
                "change_structure",
            },
        ),
        (Role.STAFF, Area.DUTIES, {"view_roster", "view_structure"}),
        (Role.LEADER, "", {"view_roster", "view_structure"}),
        (Role.UNIT, "", set()),
        (Role.GOV_LEADER, "", set()),
        (Role.SYSADMIN, "", set()),
        (Role.SECADMIN, "", set()),
        (Role.AUDITOR, "", set()),
    ],
)
def test_the_org_permissions_hold_only_in_the_committee_of_the_role(
    make_user: Callable[..., User],
    committee: Committee,
    other_committee: Committee,
    role: str,
    area: str,
    expected: set[str],
) -> None:
    user = make_user(role, committee, area)
    names = [
        "view_roster",
        "change_roster",
        "view_full_personal_data",
        "view_structure",
        "change_structure",
    ]
    assert {n for n in names if rules.has_perm(f"org.{n}", user, committee)} == expected
    assert not any(rules.has_perm(f"org.{n}", user, other_committee) for n in names)


def test_only_members_in_office_hold_the_own_profile_permission(
    member: Member, member_user: User, committee: Committee, other_committee: Committee
) -> None:
    assert rules.has_perm("org.view_own_profile", member_user, committee)
    assert not rules.has_perm("org.view_own_profile", member_user, other_committee)
    Member.objects.filter(pk=member.pk).update(
        status=Member.Status.RESIGNED, end_date=dt.date(2026, 1, 1)
    )
    fresh = User.objects.get(pk=member_user.pk)
    assert not rules.has_perm("org.view_own_profile", fresh, committee)

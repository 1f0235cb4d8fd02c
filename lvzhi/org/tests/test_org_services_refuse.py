"""Every write service of the org app checks its named permission first: an
actor without it gets PermissionDenied, the refusal is audited and nothing
else is written. Also the named-permission matrix (role × relation) and the
audit row of a web POST (IP, browser, request id from the request context)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role, User
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent
from lvzhi.org import roster, services
from lvzhi.org.models import (
    Committee,
    Gender,
    HandlingUnit,
    Member,
    Party,
    Person,
    PlenarySession,
    Sector,
    SectorCluster,
    SpecialCommittee,
    Station,
    Studio,
    Term,
)
from lvzhi.org.validators import make_id_number

pytestmark = pytest.mark.django_db

MODELS = (
    Term,
    PlenarySession,
    SectorCluster,
    Sector,
    SpecialCommittee,
    Person,
    Member,
    HandlingUnit,
    Studio,
    Station,
)


def snapshot() -> dict[str, Any]:
    """Every org row and every audit row but the refusals."""
    state: dict[str, Any] = {
        model.__name__: sorted(model.objects.values_list(), key=str) for model in MODELS
    }
    state["audit"] = list(
        AuditEvent.objects.exclude(action="permission_denied").values_list("id", flat=True)
    )
    return state


def _session_dates(w: SimpleNamespace) -> dict[str, Any]:
    start = w.term.start_date + dt.timedelta(days=30)
    return {
        "number": 9,
        "name": "第九次会议",
        "start_date": start,
        "end_date": start + dt.timedelta(days=3),
        "proposal_window_start": start - dt.timedelta(days=20),
        "proposal_window_end": start,
    }


def _person(w: SimpleNamespace) -> dict[str, Any]:
    return {"name": "新委员", "gender": Gender.MALE, "party": Party.CDL, "term": w.term}


# service name -> (function, permission, keyword arguments for the world)
CALLS: dict[str, tuple[Callable[..., Any], str, Callable[[SimpleNamespace], dict[str, Any]]]] = {
    "term_create": (
        services.term_create,
        "org.change_structure",
        lambda w: {
            "committee": w.committee,
            "number": 99,
            "name": "第九十九届",
            "start_date": dt.date(2040, 1, 1),
        },
    ),
    "term_update": (
        services.term_update,
        "org.change_structure",
        lambda w: {
            "term": w.term,
            "number": w.term.number,
            "name": "改名",
            "start_date": w.term.start_date,
        },
    ),
    "session_create": (
        services.session_create,
        "org.change_structure",
        lambda w: {"term": w.term, **_session_dates(w)},
    ),
    "session_update": (
        services.session_update,
        "org.change_structure",
        lambda w: {"session": w.session, **_session_dates(w)},
    ),
    "cluster_create": (
        services.cluster_create,
        "org.change_structure",
        lambda w: {"committee": w.committee, "name": "新界别组"},
    ),
    "cluster_update": (
        services.cluster_update,
        "org.change_structure",
        lambda w: {"cluster": w.cluster, "name": "改名"},
    ),
    "sector_create": (
        services.sector_create,
        "org.change_structure",
        lambda w: {"committee": w.committee, "name": "新界别"},
    ),
    "sector_update": (
        services.sector_update,
        "org.change_structure",
        lambda w: {"sector": w.sector, "name": "改名"},
    ),
    "special_committee_create": (
        services.special_committee_create,
        "org.change_structure",
        lambda w: {"committee": w.committee, "name": "新专委会"},
    ),
    "special_committee_update": (
        services.special_committee_update,
        "org.change_structure",
        lambda w: {"special_committee": w.special, "name": "改名"},
    ),
    "member_create": (
        services.member_create,
        "org.change_roster",
        lambda w: {
            "committee": w.committee,
            **_person(w),
            "id_number": make_id_number("11010119800101001"),
            "mobile": "13900009999",
            "start_date": w.term.start_date,
        },
    ),
    "member_update": (
        services.member_update,
        "org.change_roster",
        lambda w: {"member": w.member, **_person(w), "start_date": w.member.start_date},
    ),
    "member_deactivate": (
        services.member_deactivate,
        "org.change_roster",
        lambda w: {
            "member": w.member,
            "status": Member.Status.RESIGNED,
            "end_date": w.member.start_date + dt.timedelta(days=1),
            "reason": "工作调动",
        },
    ),
    "personal_data_reveal": (
        services.personal_data_reveal,
        "org.view_full_personal_data",
        lambda w: {"member": w.member},
    ),
    "unit_create": (
        services.unit_create,
        "org.change_structure",
        lambda w: {"committee": w.committee, "name": "新单位", "kind": HandlingUnit.Kind.PARTY},
    ),
    "unit_update": (
        services.unit_update,
        "org.change_structure",
        lambda w: {"unit": w.unit, "name": "改名", "kind": w.unit.kind},
    ),
    "unit_deactivate": (
        services.unit_deactivate,
        "org.change_structure",
        lambda w: {"unit": w.unit},
    ),
    "studio_create": (
        services.studio_create,
        "org.change_structure",
        lambda w: {"committee": w.committee, "name": "新工作室"},
    ),
    "studio_update": (
        services.studio_update,
        "org.change_structure",
        lambda w: {"studio": w.studio, "name": "改名", "members": [w.member]},
    ),
    "studio_deactivate": (
        services.studio_deactivate,
        "org.change_structure",
        lambda w: {"studio": w.studio},
    ),
    "station_create": (
        services.station_create,
        "org.change_structure",
        lambda w: {"committee": w.committee, "name": "新联络站"},
    ),
    "station_update": (
        services.station_update,
        "org.change_structure",
        lambda w: {"station": w.station, "name": "改名", "members": [w.member]},
    ),
    "station_deactivate": (
        services.station_deactivate,
        "org.change_structure",
        lambda w: {"station": w.station},
    ),
    "roster_import": (
        roster.roster_import,
        "org.import_roster",
        lambda w: {"committee": w.committee, "file": io.BytesIO(b"")},
    ),
}

# Actors who lack every org write permission in the world's committee.
OUTSIDERS = ["leader", "staff_of_another_area", "org_staff_of_another_committee", "anonymous"]


@pytest.fixture
def outsider(
    make_user: Callable[..., User], committee: Committee, other_committee: Committee
) -> Callable[[str], Any]:
    def make(kind: str) -> Any:
        return {
            "leader": lambda: make_user(Role.LEADER, committee),
            "staff_of_another_area": lambda: make_user(Role.STAFF, committee, Area.PROPOSALS),
            "org_staff_of_another_committee": lambda: make_user(
                Role.STAFF, other_committee, Area.ORG
            ),
            "anonymous": AnonymousUser,
        }[kind]()

    return make


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", list(CALLS))
def test_every_org_write_service_refuses_an_actor_without_its_permission_and_writes_nothing(
    name: str, who: str, world: SimpleNamespace, outsider: Callable[[str], Any]
) -> None:
    service, permission, arguments = CALLS[name]
    actor = outsider(who)
    kwargs = arguments(world)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        service(actor=actor, **kwargs)

    assert snapshot() == before
    refusal = AuditEvent.objects.get(action="permission_denied")
    assert refusal.detail["permission"] == permission
    assert refusal.result == AuditEvent.Result.DENIED


@pytest.mark.parametrize("name", list(CALLS))
def test_every_org_write_service_lets_the_org_staff_through_its_permission(
    name: str, world: SimpleNamespace, staff_user: User
) -> None:
    service, permission, arguments = CALLS[name]
    assert rules.has_perm(permission, staff_user, world.committee)
    try:
        service(actor=staff_user, **arguments(world))
    except PermissionDenied:  # pragma: no cover - the failure this test is for
        pytest.fail(f"{name} refused the org staff")
    except Exception:  # noqa: S110 - an empty file or a rule may refuse later
        pass
    assert not AuditEvent.objects.filter(action="permission_denied").exists()


# --- The matrix: role × relation to the object × named permission ------------------------

PERMISSIONS = [
    "org.view_home",
    "org.view_roster",
    "org.change_roster",
    "org.import_roster",
    "org.export_roster",
    "org.view_full_personal_data",
    "org.view_structure",
    "org.change_structure",
    "org.view_own_profile",
]
# Who holds each permission on an object of their own committee.
MATRIX: dict[str, set[str]] = {
    "anonymous": set(),
    "member": {"org.view_home", "org.view_own_profile"},
    "unit": {"org.view_home"},
    "gov_leader": {"org.view_home"},
    "sysadmin": {"org.view_home"},
    "secadmin": {"org.view_home"},
    "auditor": {"org.view_home"},
    "leader": {"org.view_home", "org.view_roster", "org.export_roster", "org.view_structure"},
    "staff_other": {"org.view_home", "org.view_roster", "org.view_structure"},
    "staff_org": set(PERMISSIONS) - {"org.view_own_profile"},
}


@pytest.fixture
def holder(
    make_user: Callable[..., User], member_user: User, committee: Committee
) -> Callable[[str], Any]:
    def make(role: str) -> Any:
        if role == "anonymous":
            return AnonymousUser()
        if role == "member":
            return member_user
        if role == "staff_other":
            return make_user(Role.STAFF, committee, Area.PROPOSALS)
        if role == "staff_org":
            return make_user(Role.STAFF, committee, Area.ORG)
        return make_user(role, committee)

    return make


@pytest.mark.parametrize("role", list(MATRIX))
def test_each_role_holds_the_org_permissions_of_the_matrix_on_its_own_committee(
    role: str, holder: Callable[[str], Any], world: SimpleNamespace
) -> None:
    user = holder(role)
    for obj in (world.committee, world.member, world.unit, world.studio):
        held = {p for p in PERMISSIONS if rules.has_perm(p, user, obj)}
        assert held == MATRIX[role], (role, obj)


@pytest.mark.parametrize("role", list(MATRIX))
def test_no_role_holds_a_committee_bound_org_permission_on_another_committee(
    role: str, holder: Callable[[str], Any], other_committee: Committee
) -> None:
    user = holder(role)
    held = {p for p in PERMISSIONS if rules.has_perm(p, user, other_committee)}
    # Only the home page is open to any logged-in user, wherever they act.
    assert held <= {"org.view_home"}


def test_a_member_reads_only_the_own_record_as_own(
    member: Member, member_user: User, world: SimpleNamespace
) -> None:
    from lvzhi.org.rules import is_own_member_record
    from lvzhi.org.tests.factories import MemberFactory

    other = MemberFactory(committee=member.committee, term=member.term)
    assert is_own_member_record(member_user, member)
    assert not is_own_member_record(member_user, other)
    assert not is_own_member_record(AnonymousUser(), member)


# --- A web POST: the audit row knows where it came from --------------------------------


def test_a_web_post_writes_an_audit_row_with_ip_browser_and_request_id(
    client: Client, staff_user: User, committee: Committee
) -> None:
    client.force_login(staff_user)
    response = client.post(
        reverse("org:cluster_create"),
        {"name": "经济界别组", "order": 1},
        HTTP_USER_AGENT="pytest",
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="cluster_created")
    assert row.actor == staff_user
    assert row.ip == "10.9.8.7"
    assert row.user_agent == "pytest"
    assert row.request_id and row.request_id == response["X-Request-ID"]
    assert row.object_label == "经济界别组"
    assert row.committee == committee

"""The service-project table, the named permissions of studios, the star
criteria as committee settings, and the audit trail of every write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core.committee_settings import setting_value
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, CommitteeSetting
from lvzhi.core.permissions import has_perm
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.workflow import transition
from lvzhi.org.models import Committee, Member, Station
from lvzhi.org.tests.factories import (
    MemberFactory,
    PersonFactory,
    SectorClusterFactory,
    SectorFactory,
    StationFactory,
    StudioFactory,
)
from lvzhi.studios import services
from lvzhi.studios.models import (
    Activity,
    BlockedWeek,
    DutyWeek,
    MemberArea,
    RotationPlan,
    RoundTableLead,
    ServiceProject,
    ServiceProjectEvent,
    StarRating,
    StationLeader,
)
from lvzhi.studios.settings_defs import FLOOR_STARS, WEIGHT_ACTIVITIES
from lvzhi.studios.workflow import SERVICE_PROJECT_FLOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(committee: Committee, member: Member, public_staff: Any) -> dict[str, Any]:
    studio = StudioFactory(committee=committee)
    studio.members.add(member)
    station = StationFactory(committee=committee)
    station.members.add(member)
    project = services.service_project_create(studio=studio, title="义诊", actor=public_staff)
    return {"studio": studio, "station": station, "project": project}


# --- The service-project table ---------------------------------------------------------------


@pytest.mark.parametrize(("state", "row"), allowed_cases(SERVICE_PROJECT_FLOW), ids=case_id)
def test_every_allowed_project_transition_moves_the_state_and_is_logged(
    state: str, row: Any, world: dict[str, Any], member_user: Any
) -> None:
    project = world["project"]
    ServiceProject.objects.filter(pk=project.pk).update(status=state)
    project.refresh_from_db()
    # A member of the project's studio may finish it.
    transition(project, row.action, actor=member_user)
    project.refresh_from_db()
    assert project.status == (row.target or state)
    event = ServiceProjectEvent.objects.get(project=project)
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        row.action,
        state,
        row.target or state,
        member_user,
    )
    assert AuditEvent.objects.filter(
        action=SERVICE_PROJECT_FLOW.audit_code(row.action), object_id=str(project.pk)
    ).exists()


@pytest.mark.parametrize(("state", "action"), refused_cases(SERVICE_PROJECT_FLOW), ids=case_id)
def test_every_project_transition_the_table_lacks_is_refused_and_writes_nothing(
    state: str, action: str, world: dict[str, Any], public_staff: Any
) -> None:
    project = world["project"]
    ServiceProject.objects.filter(pk=project.pk).update(status=state)
    project.refresh_from_db()
    audits = AuditEvent.objects.count()
    with pytest.raises(Conflict):
        services.service_project_finish(project=project, actor=public_staff)
    assert ServiceProject.objects.get(pk=project.pk).status == state
    assert not ServiceProjectEvent.objects.exists() and AuditEvent.objects.count() == audits


def test_a_project_is_finished_from_its_page_and_drops_out_of_the_activity_form(
    world: dict[str, Any], public_staff: Any, client_for: Callable[..., Client]
) -> None:
    client = client_for(public_staff)
    project = world["project"]
    page = client.get(reverse("studios:project_detail", args=[project.pk])).content.decode()
    assert 'id="finish-project"' in page
    client.post(reverse("studios:project_finish", args=[project.pk]))
    project.refresh_from_db()
    assert project.is_finished
    page = client.get(reverse("studios:project_detail", args=[project.pk])).content.decode()
    assert 'id="finish-project"' not in page
    form = client.get(reverse("studios:studio_activity", args=[world["studio"].pk])).context["form"]
    assert "project" not in form.fields


def test_a_member_sees_a_station_without_the_staff_forms(
    world: dict[str, Any], member_user: Any, client_for: Callable[..., Client]
) -> None:
    station = world["station"]
    page = client_for(member_user).get(reverse("studios:station_detail", args=[station.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert reverse("studios:station_leader_add", args=[station.pk]) not in body
    assert reverse("studios:station_members", args=[station.pk]) not in body
    assert reverse("studios:station_activity", args=[station.pk]) in body


# --- Who may do what -------------------------------------------------------------------------

ACTORS = [
    "member of the studio",
    "other member",
    "public staff",
    "org staff",
    "staff of another area",
    "leader",
    "public staff of another committee",
    "anonymous",
]
Y, N = True, False
MATRIX: list[tuple[str, str, tuple[bool, ...]]] = [
    ("studios.view", "committee", (Y, Y, Y, Y, Y, Y, N, N)),
    ("studios.manage", "committee", (N, N, Y, N, N, N, N, N)),
    ("studios.record_activity", "studio", (Y, N, Y, N, N, N, N, N)),
    ("studios.record_activity", "station", (Y, N, Y, N, N, N, N, N)),
    ("studios.create_service_project", "studio", (Y, N, Y, N, N, N, N, N)),
    ("studios.finish_service_project", "project", (Y, N, Y, N, N, N, N, N)),
    ("studios.rate", "committee", (N, N, Y, N, N, N, N, N)),
    ("studios.adjust_rating", "rating", (N, N, Y, N, N, N, N, N)),
    ("studios.configure", "committee", (N, N, Y, N, N, N, N, N)),
    ("studios.view_ratings", "committee", (N, N, Y, N, N, Y, N, N)),
    ("studios.assign_station_members", "station", (N, N, Y, Y, N, N, N, N)),
    ("studios.plan_rotation", "committee", (N, N, Y, Y, N, N, N, N)),
    ("studios.view_rotation", "committee", (Y, Y, Y, Y, Y, Y, N, N)),
    ("studios.view_own_duty", "committee", (Y, Y, N, N, N, N, N, N)),
]


@pytest.mark.parametrize(("perm", "target", "expected"), MATRIX, ids=lambda v: str(v))
def test_the_permission_matrix_of_studios(
    perm: str,
    target: str,
    expected: tuple[bool, ...],
    world: dict[str, Any],
    committee: Committee,
    other_committee: Committee,
    member: Member,
    member_user: Any,
    public_staff: Any,
    make_user: Callable[..., Any],
) -> None:
    other = MemberFactory(
        committee=committee, term=member.term, person=PersonFactory(user=UserFactory())
    )
    actors = {
        "member of the studio": member_user,
        "other member": other.person.user,
        "public staff": public_staff,
        "org staff": make_user(Role.STAFF, committee, Area.ORG),
        "staff of another area": make_user(Role.STAFF, committee, Area.PROPOSALS),
        "leader": make_user(Role.LEADER, committee),
        "public staff of another committee": make_user(Role.STAFF, other_committee, Area.PUBLIC),
        "anonymous": AnonymousUser(),
    }
    rating = StarRating.objects.create(committee=committee, studio=world["studio"], year=2025)
    objects = {**world, "committee": committee, "rating": rating}
    got = {name: has_perm(actors[name], perm, objects[target]) for name in ACTORS}
    assert got == dict(zip(ACTORS, expected, strict=True))


# --- Every write service refuses an actor without its permission -----------------------------

MODELS = [
    ServiceProject,
    ServiceProjectEvent,
    Activity,
    StarRating,
    StationLeader,
    MemberArea,
    RotationPlan,
    BlockedWeek,
    DutyWeek,
    RoundTableLead,
    CommitteeSetting,
]


def _rows() -> dict[str, int]:
    counts = {m.__name__: m.objects.count() for m in MODELS}
    counts["audit"] = AuditEvent.objects.exclude(action="permission_denied").count()
    counts["station members"] = Station.members.through.objects.count()
    return counts


@pytest.fixture
def everything(
    world: dict[str, Any], committee: Committee, member: Member, public_staff: Any
) -> dict[str, Any]:
    cluster = SectorClusterFactory(committee=committee)
    sectors = [SectorFactory(committee=committee, cluster=cluster) for _ in range(2)]
    plan = services.rotation_plan_create(
        committee=committee, year=2030, rounds=1, actor=public_staff
    )
    services.rotation_generate(plan=plan, actor=public_staff)
    [rating] = services.star_ratings_compute(committee=committee, year=2025, actor=public_staff)
    leader = services.station_leader_add(
        station=world["station"], member=member, duty="", actor=public_staff
    )
    return {
        **world,
        "sectors": sectors,
        "plan": plan,
        "week": DutyWeek.objects.filter(plan=plan).first(),
        "lead": RoundTableLead.objects.filter(plan=plan).first(),
        "rating": rating,
        "leader": leader,
        "member": member,
    }


def _calls(e: dict[str, Any], committee: Committee) -> dict[str, Callable[[Any], Any]]:
    return {
        "service_project_create": lambda a: services.service_project_create(
            studio=e["studio"], title="新项目", actor=a
        ),
        "service_project_finish": lambda a: services.service_project_finish(
            project=e["project"], actor=a
        ),
        "activity_record": lambda a: services.activity_record(
            committee=committee,
            studio=e["studio"],
            kind="service",
            day=date(2025, 1, 2),
            title="活动",
            actor=a,
        ),
        "star_criteria_update": lambda a: services.star_criteria_update(
            committee=committee, actor=a, values={FLOOR_STARS.key: 2}
        ),
        "star_ratings_compute": lambda a: services.star_ratings_compute(
            committee=committee, year=2024, actor=a
        ),
        "star_rating_adjust": lambda a: services.star_rating_adjust(
            rating_row=e["rating"], stars=4, reason="理由", actor=a
        ),
        "station_leader_add": lambda a: services.station_leader_add(
            station=e["station"], member=MemberFactory(committee=committee), duty="", actor=a
        ),
        "station_leader_remove": lambda a: services.station_leader_remove(
            leader=e["leader"], actor=a
        ),
        "member_areas_set": lambda a: services.member_areas_set(
            committee=committee, areas={e["member"].pk: "东城"}, actor=a
        ),
        "station_members_assign": lambda a: services.station_members_assign(
            station=e["station"], members=[], actor=a
        ),
        "station_roster_save": lambda a: services.station_roster_save(
            station=e["station"], areas={e["member"].pk: "西城"}, members=[], actor=a
        ),
        "rotation_plan_create": lambda a: services.rotation_plan_create(
            committee=committee, year=2031, rounds=1, actor=a
        ),
        "blocked_week_add": lambda a: services.blocked_week_add(
            plan=e["plan"], week_start=date(2030, 5, 6), reason="会议", actor=a
        ),
        "rotation_generate": lambda a: services.rotation_generate(plan=e["plan"], actor=a),
        "duty_week_update": lambda a: services.duty_week_update(
            duty_week=e["week"], sector=e["sectors"][1], week_start=date(2030, 6, 3), actor=a
        ),
        "round_table_lead_update": lambda a: services.round_table_lead_update(
            lead=e["lead"], sector=e["sectors"][1], actor=a
        ),
    }


SERVICES = [
    "service_project_create",
    "service_project_finish",
    "activity_record",
    "star_criteria_update",
    "star_ratings_compute",
    "star_rating_adjust",
    "station_leader_add",
    "station_leader_remove",
    "member_areas_set",
    "station_members_assign",
    "station_roster_save",
    "rotation_plan_create",
    "blocked_week_add",
    "rotation_generate",
    "duty_week_update",
    "round_table_lead_update",
]


@pytest.mark.parametrize("name", SERVICES)
def test_a_write_service_refuses_an_actor_without_the_permission_and_writes_nothing(
    name: str, everything: dict[str, Any], committee: Committee, make_user: Callable[..., Any]
) -> None:
    outsider = make_user(Role.STAFF, committee, Area.PROPOSALS)
    call = _calls(everything, committee)[name]
    before = _rows()
    with pytest.raises(PermissionDenied):
        call(outsider)
    assert _rows() == before
    assert AuditEvent.objects.filter(action="permission_denied", actor=outsider).exists()


# --- The star criteria are committee settings ----------------------------------------------


def test_reading_the_criteria_writes_nothing_and_the_page_changes_them_audited(
    committee: Committee, public_staff: Any, client_for: Callable[..., Client]
) -> None:
    client = client_for(public_staff)
    assert client.get(reverse("studios:rating_list")).status_code == 200
    assert client.get(reverse("studios:policy_edit")).status_code == 200
    assert not CommitteeSetting.objects.exists()
    form = client.get(reverse("studios:policy_edit")).context["form"]
    data = {**form.initial, WEIGHT_ACTIVITIES.key.replace(".", "__"): 50}
    response = client.post(reverse("studios:policy_edit"), data, HTTP_USER_AGENT="pytest")
    assert response.status_code == 302
    committee.refresh_from_db()
    assert setting_value(committee, WEIGHT_ACTIVITIES) == 50
    row = AuditEvent.objects.get(action="setting_changed")
    assert row.detail["setting"] == WEIGHT_ACTIVITIES.key and row.user_agent == "pytest"


def test_criteria_whose_thresholds_do_not_rise_are_refused(
    committee: Committee, public_staff: Any, client_for: Callable[..., Client]
) -> None:
    with pytest.raises(ValidationFailed):
        services.star_criteria_update(
            committee=committee, actor=public_staff, values={"studios.rating.five_stars": 10}
        )
    client = client_for(public_staff)
    form = client.get(reverse("studios:policy_edit")).context["form"]
    data = {**form.initial, "studios__rating__two_stars": 95}
    assert client.post(reverse("studios:policy_edit"), data).status_code == 400
    assert not CommitteeSetting.objects.exists()


# --- The audit row of a page's POST ----------------------------------------------------------


def test_a_post_on_a_studios_page_writes_an_audit_row_with_ip_user_agent_and_request_id(
    world: dict[str, Any], public_staff: Any, client_for: Callable[..., Client]
) -> None:
    client = client_for(public_staff)
    response = client.post(
        reverse("studios:project_create", args=[world["studio"].pk]),
        {"title": "法律咨询"},
        HTTP_USER_AGENT="pytest",
    )
    assert response.status_code == 302
    row = AuditEvent.objects.filter(action="studios.service_project_create").latest("id")
    assert row.ip and row.user_agent == "pytest" and row.request_id and row.actor == public_staff

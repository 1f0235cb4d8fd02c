"""The state tables of points, the named permissions and the audit trail:
every allowed transition is performed and logged, every missing one is
refused, every write service refuses an actor without its permission, and a
page's POST leaves an audit row that says where it came from."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import Area, Role
from lvzhi.core.errors import Conflict, PermissionDenied
from lvzhi.core.models import AuditEvent
from lvzhi.core.permissions import has_perm
from lvzhi.core.testing import allowed_cases, case_id, refused_cases
from lvzhi.core.workflow import transition
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.models import Committee, Member
from lvzhi.points import services
from lvzhi.points.models import (
    Assessment,
    AssessmentEvent,
    Bulletin,
    BulletinEvent,
    MemberScore,
    Policy,
    PolicyEvent,
    RequirementSet,
)
from lvzhi.points.tests.helpers import YEAR, active_default_policy, open_assessment
from lvzhi.points.workflow import ASSESSMENT_FLOW, BULLETIN_FLOW, POLICY_FLOW

pytestmark = pytest.mark.django_db

FLOWS = {"policy": POLICY_FLOW, "assessment": ASSESSMENT_FLOW, "bulletin": BULLETIN_FLOW}


@pytest.fixture
def subjects(committee: Committee, duties_staff: Any) -> dict[str, Any]:
    """One object of each workflow, and the member whose assessment it is."""
    member = make_member(committee, username="assessed")
    policy = services.policy_create_default(committee=committee, year=YEAR, actor=duties_staff)
    bulletin = services.bulletin_generate(
        committee=committee, year=YEAR, quarter=1, actor=duties_staff
    )
    return {
        "policy": policy,
        "assessment": open_assessment(member, YEAR),
        "bulletin": bulletin,
        "member": member,
    }


def _in_state(obj: Any, flow: Any, state: str) -> Any:
    type(obj).objects.filter(pk=obj.pk).update(**{flow.state_field: state})
    obj.refresh_from_db()
    return obj


def _permitted(name: str, action: str, subjects: dict[str, Any], staff: Any) -> Any:
    if name == "assessment" and action == "submit":
        return subjects["member"].person.user
    return staff


def _flow_cases(cases: Callable[[Any], list[Any]]) -> list[Any]:
    return [(name, *case) for name, flow in FLOWS.items() for case in cases(flow)]


@pytest.mark.parametrize(
    ("name", "state", "row"),
    _flow_cases(allowed_cases),
    ids=lambda v: v if isinstance(v, str) else case_id(v),
)
def test_every_allowed_transition_moves_the_state_and_writes_the_event_and_the_audit_row(
    name: str, state: str, row: Any, subjects: dict[str, Any], duties_staff: Any
) -> None:
    flow = FLOWS[name]
    obj = _in_state(subjects[name], flow, state)
    actor = _permitted(name, row.action, subjects, duties_staff)
    transition(obj, row.action, actor=actor)
    obj.refresh_from_db()
    assert flow.state_of(obj) == (row.target or state)
    event = flow.event_model.objects.filter(**{flow.event_subject: obj}).latest("id")
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        row.action,
        state,
        row.target or state,
        actor,
    )
    assert AuditEvent.objects.filter(
        action=flow.audit_code(row.action), object_id=str(obj.pk), actor=actor
    ).exists()


@pytest.mark.parametrize(
    ("name", "state", "action"),
    _flow_cases(refused_cases),
    ids=lambda v: str(v),
)
def test_every_transition_the_table_lacks_is_refused_and_writes_nothing(
    name: str, state: str, action: str, subjects: dict[str, Any], duties_staff: Any
) -> None:
    flow = FLOWS[name]
    obj = _in_state(subjects[name], flow, state)
    actor = _permitted(name, action, subjects, duties_staff)
    events, audits = flow.event_model.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Conflict):
        transition(obj, action, actor=actor)
    obj.refresh_from_db()
    assert flow.state_of(obj) == state
    assert flow.event_model.objects.count() == events
    assert AuditEvent.objects.count() == audits


# --- Who may do what -------------------------------------------------------------------------

ACTORS = [
    "own member",
    "other member",
    "duties staff",
    "staff of another area",
    "leader",
    "duties staff of another committee",
    "anonymous",
]
Y, N = True, False
# permission, object → expected for each actor in ACTORS' order
MATRIX: list[tuple[str, str, tuple[bool, ...]]] = [
    ("points.view_own", "committee", (Y, Y, N, N, N, N, N)),
    ("points.manage", "committee", (N, N, Y, N, N, N, N)),
    ("points.view_rankings", "committee", (N, N, Y, N, Y, N, N)),
    ("points.change_policy", "policy", (N, N, Y, N, N, N, N)),
    ("points.activate_policy", "policy", (N, N, Y, N, N, N, N)),
    ("points.copy_policy", "policy", (N, N, Y, N, N, N, N)),
    ("points.submit_assessment", "assessment", (Y, N, N, N, N, N, N)),
    ("points.review_assessment", "assessment", (N, N, Y, N, N, N, N)),
    ("points.publish_assessment", "assessment", (N, N, Y, N, N, N, N)),
    ("points.generate_bulletin", "committee", (N, N, Y, N, N, N, N)),
    ("points.publish_bulletin", "bulletin", (N, N, Y, N, N, N, N)),
    ("points.view_bulletin", "bulletin", (N, N, Y, N, N, N, N)),
    ("points.view_bulletin", "published bulletin", (N, N, Y, N, Y, N, N)),
    ("points.view_duty_file", "member", (Y, N, Y, N, Y, N, N)),
]


@pytest.fixture
def actors(
    committee: Committee,
    other_committee: Committee,
    duties_staff: Any,
    make_user: Callable[..., Any],
    subjects: dict[str, Any],
) -> dict[str, Any]:
    return {
        "own member": subjects["member"].person.user,
        "other member": make_member(committee, username="neighbour").person.user,
        "duties staff": duties_staff,
        "staff of another area": make_user(Role.STAFF, committee, Area.PROPOSALS),
        "leader": make_user(Role.LEADER, committee),
        "duties staff of another committee": make_user(Role.STAFF, other_committee, Area.DUTIES),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(("perm", "target", "expected"), MATRIX, ids=lambda v: str(v))
def test_the_permission_matrix_of_points(
    perm: str,
    target: str,
    expected: tuple[bool, ...],
    actors: dict[str, Any],
    subjects: dict[str, Any],
    committee: Committee,
) -> None:
    published = Bulletin.objects.create(
        committee=committee,
        year=YEAR,
        quarter=2,
        state=Bulletin.State.PUBLISHED,
        generated_at=timezone.now(),
        published_at=timezone.now(),
    )
    objects = {**subjects, "committee": committee, "published bulletin": published}
    got = tuple(has_perm(actors[name], perm, objects[target]) for name in ACTORS)
    assert dict(zip(ACTORS, got, strict=True)) == dict(zip(ACTORS, expected, strict=True))


# --- Every write service refuses an actor without its permission -----------------------------


def _rows() -> dict[str, int]:
    models = [Policy, PolicyEvent, Assessment, AssessmentEvent, Bulletin, BulletinEvent]
    counts = {m.__name__: m.objects.count() for m in [*models, RequirementSet, MemberScore]}
    counts["audit"] = AuditEvent.objects.exclude(action="permission_denied").count()
    return counts


def _services(subjects: dict[str, Any], committee: Committee) -> dict[str, Callable[[Any], Any]]:
    policy, assessment, bulletin = subjects["policy"], subjects["assessment"], subjects["bulletin"]
    return {
        "requirement_presets_ensure": lambda a: services.requirement_presets_ensure(
            committee, actor=a
        ),
        "policy_create_default": lambda a: services.policy_create_default(
            committee=committee, year=YEAR + 1, actor=a
        ),
        "policy_copy": lambda a: services.policy_copy(policy=policy, actor=a),
        "policy_update": lambda a: services.policy_update(
            policy=policy, actor=a, data={"name": "改"}
        ),
        "policy_activate": lambda a: services.policy_activate(policy=policy, actor=a),
        "assessments_open": lambda a: services.assessments_open(
            committee=committee, year=YEAR + 1, actor=a
        ),
        "assessment_submit_report": lambda a: services.assessment_submit_report(
            member=subjects["member"], actor=a, year=YEAR + 1, text="述职"
        ),
        "assessment_review": lambda a: services.assessment_review(
            assessment=assessment, actor=a, adjustment=Decimal(1), reason="理由"
        ),
        "assessment_publish": lambda a: services.assessment_publish(assessment=assessment, actor=a),
        "bulletin_generate": lambda a: services.bulletin_generate(
            committee=committee, year=YEAR, quarter=3, actor=a
        ),
        "bulletin_publish": lambda a: services.bulletin_publish(bulletin=bulletin, actor=a),
    }


SERVICES = [
    "requirement_presets_ensure",
    "policy_create_default",
    "policy_copy",
    "policy_update",
    "policy_activate",
    "assessments_open",
    "assessment_submit_report",
    "assessment_review",
    "assessment_publish",
    "bulletin_generate",
    "bulletin_publish",
]


@pytest.mark.parametrize("name", SERVICES)
def test_a_write_service_refuses_an_actor_without_the_permission_and_writes_nothing(
    name: str, subjects: dict[str, Any], committee: Committee, make_user: Callable[..., Any]
) -> None:
    # Every service could go ahead in these states: only the permission is missing.
    Assessment.objects.filter(pk=subjects["assessment"].pk).update(state=Assessment.State.REVIEWED)
    subjects["assessment"].refresh_from_db()
    RequirementSet.objects.filter(committee=committee, code="five-ones").delete()
    outsider = make_user(Role.STAFF, committee, Area.PROPOSALS)
    before = _rows()
    with pytest.raises(PermissionDenied):
        _services(subjects, committee)[name](outsider)
    assert _rows() == before
    assert AuditEvent.objects.filter(action="permission_denied", actor=outsider).exists()


def test_an_anonymous_caller_inside_a_web_request_is_not_the_system(
    committee: Committee, rf: Any
) -> None:
    from lvzhi.core.context import RequestContextMiddleware

    def call(request: Any) -> Any:
        with pytest.raises(PermissionDenied):
            services.policy_create_default(committee=committee, year=YEAR, actor=None)
        return __import__("django.http", fromlist=["HttpResponse"]).HttpResponse()

    request = rf.get("/")
    request.user = AnonymousUser()
    RequestContextMiddleware(call)(request)
    assert not Policy.objects.exists()


# --- The audit row of a page's POST ----------------------------------------------------------


def test_a_post_on_a_points_page_writes_an_audit_row_with_ip_user_agent_and_request_id(
    client: Any, committee: Committee, duties_staff: Any, new_member: Callable[..., Member]
) -> None:
    new_member()
    active_default_policy(committee)
    client.force_login(duties_staff)
    response = client.post(
        reverse("points:bulletin_generate"), {"year": YEAR, "quarter": 2}, HTTP_USER_AGENT="pytest"
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="points.bulletin_generate")
    assert row.ip and row.user_agent == "pytest" and row.request_id
    assert row.actor == duties_staff and row.channel == "web"

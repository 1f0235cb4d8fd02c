"""Who may do what: every named permission of duties/rules.py against every
kind of user and their relation to the object; and every write service,
called by someone lacking its permission, refuses and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.core.committee_settings import committee_settings_update
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent
from lvzhi.core.permissions import has_perm
from lvzhi.duties import checkin, services
from lvzhi.duties.models import (
    Activity,
    ActivityEvent,
    Contribution,
    ContributionEvent,
    DutyProject,
    DutyProjectEvent,
    DutyProjectLink,
    DutyRecord,
    Invitation,
    InvitationEvent,
    PlenarySpeech,
    StudyNote,
)
from lvzhi.duties.tests.factories import activity_data, make_activity, make_member
from lvzhi.org.tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

ACTORS = ("own", "invited", "not_invited", "staff", "org_staff", "leader", "foreign", "anonymous")


@pytest.fixture
def world(committee, duties_staff, new_member, make_user) -> dict[str, Any]:
    own = new_member()
    invited = new_member()
    activity = make_activity(committee, duties_staff, publish=False)
    activity.scope = Activity.Scope.ALL
    services.activity_publish(activity=activity, actor=duties_staff)
    not_invited = new_member()  # joined after the invitations went out
    user = own.person.user
    elsewhere = CommitteeFactory(code="elsewhere")
    note = services.study_note_save(
        member=own, actor=user, title="学习", text="体会", date=dt.date(2026, 3, 1)
    )
    item = services.contribution_submit(
        member=own,
        actor=user,
        kind=Contribution.Kind.PUBLIC_SERVICE,
        title="义诊",
        description="社区义诊",
        date=dt.date(2026, 3, 1),
    )
    project = services.project_declare(
        member=own, actor=user, year=2026, topic="养老", planned_steps="调研"
    )
    speech = services.speech_register(
        member=own, actor=duties_staff, title="发言", date=dt.date(2026, 1, 12)
    )
    return {
        "committee": committee,
        "activity": activity,
        "invitation": Invitation.objects.get(activity=activity, member=own),
        "member": own,
        "note": note,
        "item": item,
        "project": project,
        "speech": speech,
        "users": {
            "own": user,
            "invited": invited.person.user,
            "not_invited": not_invited.person.user,
            "staff": duties_staff,
            "org_staff": make_user(Role.STAFF, committee, Area.ORG),
            "leader": make_user(Role.LEADER, committee),
            "foreign": make_user(Role.STAFF, elsewhere, Area.DUTIES),
            "anonymous": AnonymousUser(),
        },
    }


STAFF = {"staff"}
MEMBERS = {"own", "invited", "not_invited"}
# permission, the object it is asked on, who holds it.
MATRIX: list[tuple[str, str, set[str]]] = [
    ("duties.manage_activities", "committee", STAFF),
    ("duties.view_activities", "committee", STAFF | {"leader"}),
    ("duties.review_duties", "committee", STAFF),
    ("duties.take_part", "committee", MEMBERS),
    ("duties.configure", "committee", STAFF),
    ("duties.manage_activity", "activity", STAFF),
    ("duties.view_activity", "activity", STAFF | {"leader", "own", "invited"}),
    ("duties.answer_invitation", "invitation", {"own"}),
    ("duties.decide_leave", "invitation", STAFF),
    ("duties.mark_attendance", "invitation", STAFF),
    ("duties.record_duty", "member", {"own"}),
    ("duties.register_speech", "member", STAFF),
    ("duties.remove_speech", "speech", STAFF),
    ("duties.change_note", "note", {"own"}),
    ("duties.view_contribution", "item", STAFF | {"own"}),
    ("duties.review_contribution", "item", STAFF),
    ("duties.change_project", "project", {"own"}),
    ("duties.review_project", "project", STAFF),
]


@pytest.mark.parametrize(("permission", "target", "holders"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_permission_is_held_by_exactly_the_users_it_names(
    world, permission: str, target: str, holders: set[str]
):
    held = {actor for actor in ACTORS if has_perm(world["users"][actor], permission, world[target])}
    assert held == holders


# --- Every write service refuses an actor without its permission ---------------------

MODELS = [
    Activity,
    ActivityEvent,
    Invitation,
    InvitationEvent,
    StudyNote,
    PlenarySpeech,
    Contribution,
    ContributionEvent,
    DutyProject,
    DutyProjectEvent,
    DutyProjectLink,
    DutyRecord,
]


def _counts() -> dict[str, int]:
    counts = {m._meta.label: m._default_manager.count() for m in MODELS}
    counts["audit"] = AuditEvent.objects.exclude(action="permission_denied").count()
    return counts


def _code(world: dict[str, Any]) -> dict[str, Any]:
    slot, token = checkin.current_code(world["activity"].pk)
    return {"activity": world["activity"], "slot": slot, "token": token}


# (who calls, the call) — each lacks the permission the service checks.
CALLS: list[tuple[str, str, Callable[[dict[str, Any], Any], Any]]] = [
    (
        "activity_save (create)",
        "own",
        lambda w, u: services.activity_save(
            committee=w["committee"], actor=u, data=activity_data()
        ),
    ),
    (
        "activity_save (change)",
        "leader",
        lambda w, u: services.activity_save(
            committee=w["committee"], actor=u, data=activity_data(), activity=w["activity"]
        ),
    ),
    ("activity_publish", "org_staff", lambda w, u: services.activity_publish(
        activity=w["activity"], actor=u)),
    ("activity_cancel", "foreign", lambda w, u: services.activity_cancel(
        activity=w["activity"], actor=u, reason="天气")),
    ("activity_close", "own", lambda w, u: services.activity_close(
        activity=w["activity"], actor=u)),
    ("invitation_sign_up", "invited", lambda w, u: services.invitation_sign_up(
        invitation=w["invitation"], actor=u)),
    ("invitation_request_leave", "staff", lambda w, u: services.invitation_request_leave(
        invitation=w["invitation"], actor=u, reason="出差")),
    ("invitation_decide_leave", "own", lambda w, u: services.invitation_decide_leave(
        invitation=w["invitation"], actor=u, approve=True)),
    ("invitation_check_in", "not_invited", lambda w, u: services.invitation_check_in(
        actor=u, **_code(w))),
    ("invitation_mark", "own", lambda w, u: services.invitation_mark(
        invitation=w["invitation"], actor=u, outcome="attended", reason="到会")),
    ("study_note_save (new)", "invited", lambda w, u: services.study_note_save(
        member=w["member"], actor=u, title="t", text="t", date=dt.date(2026, 3, 2))),
    ("study_note_save (edit)", "staff", lambda w, u: services.study_note_save(
        member=w["member"], actor=u, title="t", text="t", date=dt.date(2026, 3, 2),
        note=w["note"])),
    ("study_note_delete", "invited", lambda w, u: services.study_note_delete(
        note=w["note"], actor=u)),
    ("speech_register", "own", lambda w, u: services.speech_register(
        member=w["member"], actor=u, title="发言", date=dt.date(2026, 1, 12))),
    ("speech_withdraw", "leader", lambda w, u: services.speech_withdraw(
        speech=w["speech"], actor=u)),
    ("contribution_submit", "staff", lambda w, u: services.contribution_submit(
        member=w["member"], actor=u, kind="public_service", title="t", description="d",
        date=dt.date(2026, 3, 2))),
    ("contribution_review", "own", lambda w, u: services.contribution_review(
        item=w["item"], actor=u, confirm=True)),
    ("project_declare (new)", "anonymous", lambda w, u: services.project_declare(
        member=w["member"], actor=u, year=2026, topic="t", planned_steps="s")),
    ("project_declare (revise)", "invited", lambda w, u: services.project_declare(
        member=w["member"], actor=u, year=2026, topic="t", planned_steps="s",
        project=w["project"])),
    ("project_review", "own", lambda w, u: services.project_review(
        project=w["project"], actor=u, approve=True)),
    ("project_link", "staff", lambda w, u: services.project_link(
        project=w["project"], actor=u, kind="proposal", reference="2026-001")),
    ("committee settings", "leader", lambda w, u: committee_settings_update(
        actor=u, committee=w["committee"], values={"duties.checkin_margin_minutes": 10})),
]  # fmt: skip


@pytest.mark.parametrize(("name", "actor", "call"), CALLS, ids=[c[0] for c in CALLS])
def test_a_write_service_called_without_its_permission_is_refused_and_writes_nothing(
    world, name: str, actor: str, call: Callable[[dict[str, Any], Any], Any]
):
    before = _counts()
    denied = AuditEvent.objects.filter(action="permission_denied")
    denials = denied.count()
    with pytest.raises(PermissionDenied):
        call(world, world["users"][actor])
    assert _counts() == before
    assert denied.count() == denials + 1


def test_a_button_posted_on_the_page_is_audited_with_ip_user_agent_and_request_id(
    client, committee, duties_staff, new_member
):
    new_member()
    activity = make_activity(committee, duties_staff, publish=False)
    client.force_login(duties_staff)
    response = client.post(
        reverse("duties:activity_publish", args=[activity.pk]), {}, HTTP_USER_AGENT="pytest"
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="duties.activity.publish")
    assert row.ip and row.request_id
    assert row.user_agent == "pytest"
    assert row.actor == duties_staff


def test_the_staff_set_the_check_in_window_of_their_committee(
    client, committee, duties_staff, new_member
):
    me = new_member()
    client.force_login(duties_staff)
    url = reverse("duties:settings")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"duties__checkin_margin_minutes": "999"})
    assert bad.status_code == 400
    client.post(url, {"duties__checkin_margin_minutes": "90"}, HTTP_USER_AGENT="pytest")
    assert AuditEvent.objects.filter(action="setting_changed").exists()
    start = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=80)
    activity = make_activity(
        committee, duties_staff, start_at=start, end_at=start + dt.timedelta(hours=1)
    )
    slot, token = checkin.current_code(activity.pk)
    services.invitation_check_in(activity=activity, actor=me.person.user, slot=slot, token=token)
    assert Invitation.objects.get(member=me).state == Invitation.State.ATTENDED
    client.force_login(make_member(committee).person.user)
    assert client.get(url).status_code == 403

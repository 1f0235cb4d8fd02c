"""The duty pages: who may open what, bad input, another committee's
objects, and list pages whose query count does not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import Area, Role
from lvzhi.core.models import Attachment
from lvzhi.core.testing import page_queries
from lvzhi.duties import services
from lvzhi.duties.models import (
    Activity,
    Contribution,
    DutyProject,
    DutyRecord,
    Invitation,
    StudyNote,
)
from lvzhi.duties.tests.factories import make_activity, make_member
from lvzhi.org.tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(committee, duties_staff, new_member):
    me = new_member(username="me")
    other = new_member(username="other")
    activity = make_activity(committee, duties_staff)
    return {"me": me, "other": other, "activity": activity, "staff": duties_staff}


def test_every_page_opens_for_its_users(client, committee, world, make_user):
    me, activity = world["me"], world["activity"]
    note = services.study_note_save(
        member=me, actor=me.person.user, title="学习", text="体会", date=dt.date.today()
    )
    project = services.project_declare(
        member=me, actor=me.person.user, year=2026, topic="课题", planned_steps="调研"
    )
    client.force_login(world["staff"])
    for name, args in [
        ("duties:activity_list", []),
        ("duties:activity_create", []),
        ("duties:activity_detail", [activity.pk]),
        ("duties:activity_edit", [activity.pk]),
        ("duties:activity_cancel", [activity.pk]),
        ("duties:activity_qr", [activity.pk]),
        ("duties:invitation_mark", [activity.invitations.first().pk]),
        ("duties:leave_list", []),
        ("duties:speech_list", []),
        ("duties:speech_create", []),
        ("duties:contribution_list", []),
        ("duties:project_list", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    client.force_login(me.person.user)
    for name, args in [
        ("duties:my_duties", []),
        ("duties:activity_detail", [activity.pk]),
        ("duties:invitation_leave", [activity.pk]),
        ("duties:note_list", []),
        ("duties:note_create", []),
        ("duties:note_edit", [note.pk]),
        ("duties:contribution_mine", []),
        ("duties:contribution_create", []),
        ("duties:project_mine", []),
        ("duties:project_create", []),
        ("duties:project_edit", [project.pk]),
        ("home", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    leader = make_user(Role.LEADER, committee)
    client.force_login(leader)
    assert client.get(reverse("duties:activity_list")).status_code == 200
    assert client.get(reverse("duties:activity_create")).status_code == 403


def test_members_and_other_staff_cannot_open_staff_pages(client, committee, world, make_user):
    activity = world["activity"]
    org_staff = make_user(Role.STAFF, committee, Area.ORG)
    for user in (world["me"].person.user, org_staff):
        client.force_login(user)
        assert client.get(reverse("duties:activity_create")).status_code == 403
        assert client.post(reverse("duties:activity_close", args=[activity.pk])).status_code == 403
        assert client.get(reverse("duties:leave_list")).status_code == 403
        assert client.get(reverse("duties:contribution_list")).status_code == 403
    activity.refresh_from_db()
    assert activity.state == Activity.State.PUBLISHED
    client.force_login(org_staff)
    assert client.get(reverse("duties:my_duties")).status_code == 403


def test_staff_create_publish_and_close_through_the_pages(client, committee, world):
    client.force_login(world["staff"])
    start = timezone.localtime() + dt.timedelta(days=2)
    data = {
        "kind": "inspection",
        "title": "民主监督视察",
        "start_at": start.strftime("%Y-%m-%dT%H:%M"),
        "end_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "示例开发区",
        "session_half_days": "1",
        "organiser_kind": "office",
        "scope": "list",
        "scope_members": [world["me"].pk],
    }
    response = client.post(reverse("duties:activity_create"), data)
    assert response.status_code == 302
    activity = Activity.objects.get(title="民主监督视察")
    assert list(activity.scope_members.all()) == [world["me"]]
    client.post(reverse("duties:activity_publish", args=[activity.pk]))
    assert list(activity.invitations.values_list("member_id", flat=True)) == [world["me"].pk]
    client.post(reverse("duties:activity_close", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.state == Activity.State.CLOSED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"end_at": "2026-05-01T08:00"}, "end_at"),
        ({"start_at": "not a date"}, "start_at"),
        ({"kind": "party"}, "kind"),
        ({"scope": "sector"}, "scope_sector"),
        ({"organiser_kind": "studio"}, "organiser_studio"),
        ({"capacity": "-3"}, "capacity"),
    ],
)
def test_bad_activity_input_shows_errors_and_writes_nothing(client, world, change, field):
    client.force_login(world["staff"])
    data = {
        "kind": "research",
        "title": "调研",
        "start_at": "2026-05-01T09:00",
        "end_at": "2026-05-01T12:00",
        "place": "某地",
        "session_half_days": "1",
        "organiser_kind": "office",
        "scope": "all",
        **change,
    }
    before = Activity.objects.count()
    response = client.post(reverse("duties:activity_create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Activity.objects.count() == before


def test_leave_for_an_activity_one_is_not_invited_to_is_not_found(
    client, committee, world, new_member
):
    late = new_member(username="late")
    client.force_login(late.person.user)
    url = reverse("duties:invitation_leave", args=[world["activity"].pk])
    assert client.post(url, {"reason": "有事"}).status_code == 404
    assert (
        client.post(reverse("duties:invitation_sign_up", args=[world["activity"].pk])).status_code
        == 404
    )
    assert not Invitation.objects.filter(member=late).exists()


def test_leave_needs_a_reason_on_the_page(client, world):
    me = world["me"]
    client.force_login(me.person.user)
    response = client.post(
        reverse("duties:invitation_leave", args=[world["activity"].pk]), {"reason": "   "}
    )
    assert response.status_code == 400
    assert Invitation.objects.get(member=me).state == Invitation.State.INVITED


def test_member_signs_up_and_asks_leave_staff_decide(client, world, new_member):
    me, other = world["me"], world["other"]
    activity = world["activity"]
    client.force_login(me.person.user)
    client.post(reverse("duties:invitation_sign_up", args=[activity.pk]))
    assert Invitation.objects.get(member=me).state == Invitation.State.SIGNED_UP
    client.force_login(other.person.user)
    client.post(reverse("duties:invitation_leave", args=[activity.pk]), {"reason": "出国"})
    leave = Invitation.objects.get(member=other)
    assert leave.state == Invitation.State.LEAVE_REQUESTED
    client.force_login(world["staff"])
    assert "出国" in client.get(reverse("duties:leave_list")).content.decode()
    client.post(
        reverse("duties:leave_decide", args=[leave.pk]), {"decision": "refuse", "note": "必须参加"}
    )
    assert Invitation.objects.get(pk=leave.pk).state == Invitation.State.LEAVE_REFUSED


def test_editing_someone_elses_study_note_is_not_found(client, world):
    me, other = world["me"], world["other"]
    note = services.study_note_save(
        member=other, actor=other.person.user, title="他的", text="原文", date=dt.date.today()
    )
    client.force_login(me.person.user)
    assert client.get(reverse("duties:note_edit", args=[note.pk])).status_code == 404
    assert (
        client.post(
            reverse("duties:note_edit", args=[note.pk]),
            {"title": "改", "text": "改", "date": "2026-01-01"},
        ).status_code
        == 404
    )
    assert client.post(reverse("duties:note_delete", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.text == "原文"


def test_study_notes_record_a_duty_and_withdraw_it_on_delete(client, world):
    me = world["me"]
    client.force_login(me.person.user)
    today = timezone.localdate()
    bad = client.post(reverse("duties:note_create"), {"title": "", "text": "", "date": "x"})
    assert bad.status_code == 400
    future = client.post(
        reverse("duties:note_create"),
        {"title": "t", "text": "t", "date": (today + dt.timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 400
    assert not StudyNote.objects.exists()
    client.post(
        reverse("duties:note_create"),
        {"title": "学习全会精神", "text": "心得", "date": today.isoformat()},
    )
    note = StudyNote.objects.get()
    assert DutyRecord.objects.filter(kind="study_note", withdrawn_at__isnull=True).count() == 1
    client.post(
        reverse("duties:note_edit", args=[note.pk]),
        {"title": "改题", "text": "改", "date": today.isoformat()},
    )
    assert (
        DutyRecord.objects.filter(kind="study_note", withdrawn_at__isnull=True).get().title
        == "改题"
    )
    client.post(reverse("duties:note_delete", args=[note.pk]))
    assert not DutyRecord.objects.filter(withdrawn_at__isnull=True).exists()


def test_a_contribution_with_evidence_is_recorded_when_confirmed(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    me = world["me"]
    client.force_login(me.person.user)
    bad_file = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(
        reverse("duties:contribution_create"),
        {
            "kind": "public_service",
            "title": "义诊",
            "date": "2026-01-05",
            "description": "社区义诊",
            "evidence": bad_file,
        },
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()
    pdf = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    client.post(
        reverse("duties:contribution_create"),
        {
            "kind": "public_service",
            "title": "义诊",
            "date": "2026-01-05",
            "description": "社区义诊",
            "evidence": pdf,
        },
    )
    item = Contribution.objects.get()
    attachment = Attachment.objects.get()
    assert not DutyRecord.objects.exists()
    # Another member may not read the evidence; the owner and staff may.
    client.force_login(world["other"].person.user)
    assert (
        client.get(
            reverse("duties:contribution_evidence", args=[item.pk, attachment.pk])
        ).status_code
        == 404
    )
    client.force_login(world["staff"])
    assert (
        client.get(
            reverse("duties:contribution_evidence", args=[item.pk, attachment.pk])
        ).status_code
        == 200
    )
    client.post(
        reverse("duties:contribution_review", args=[item.pk]), {"decision": "reject", "note": ""}
    )
    assert (
        Contribution.objects.get().state == Contribution.State.SUBMITTED
    )  # a refusal needs its reason
    client.post(reverse("duties:contribution_review", args=[item.pk]), {"decision": "confirm"})
    assert DutyRecord.objects.get().kind == "public_service"


def test_duty_projects_declared_approved_and_linked(client, world):
    me = world["me"]
    client.force_login(me.person.user)
    client.post(
        reverse("duties:project_create"),
        {"year": "2026", "topic": "养老服务", "planned_steps": "学习→调研→提案"},
    )
    project = DutyProject.objects.get()
    link_url = reverse("duties:project_link", args=[project.pk])
    assert (
        client.post(link_url, {"kind": "proposal", "reference": "2026-015"}).status_code == 400
    )  # not approved
    client.force_login(world["staff"])
    client.post(reverse("duties:project_review", args=[project.pk]), {"decision": "approve"})
    client.force_login(me.person.user)
    assert client.post(link_url, {"kind": "proposal", "reference": ""}).status_code == 400
    client.post(link_url, {"kind": "proposal", "reference": "2026-015"})
    client.post(link_url, {"kind": "activity", "activity": world["activity"].pk})
    assert list(project.links.values_list("kind", flat=True)) == ["proposal", "activity"]
    client.force_login(world["other"].person.user)
    assert client.post(link_url, {"kind": "proposal", "reference": "x"}).status_code == 404


def test_speeches_are_registered_by_staff_and_removed_with_their_record(client, world):
    client.force_login(world["staff"])
    client.post(
        reverse("duties:speech_create"),
        {"member": world["me"].pk, "title": "关于教育的发言", "date": "2026-01-12"},
    )
    assert DutyRecord.objects.get().kind == "plenary_speech"
    speech = world["me"].speeches.get()
    client.post(reverse("duties:speech_delete", args=[speech.pk]))
    assert not DutyRecord.objects.filter(withdrawn_at__isnull=True).exists()


def test_another_committees_objects_are_not_found(client, committee, world, make_user):
    elsewhere = CommitteeFactory(code="elsewhere")
    foreign_staff = make_user(Role.STAFF, elsewhere, Area.DUTIES)
    make_member(elsewhere)
    foreign_activity = make_activity(elsewhere, foreign_staff)
    client.force_login(world["staff"])
    for name in ("duties:activity_detail", "duties:activity_edit", "duties:activity_qr"):
        assert client.get(reverse(name, args=[foreign_activity.pk])).status_code == 404
    assert (
        client.post(reverse("duties:activity_close", args=[foreign_activity.pk])).status_code == 404
    )
    assert (
        client.get(
            reverse("duties:invitation_mark", args=[foreign_activity.invitations.first().pk])
        ).status_code
        == 404
    )
    foreign_activity.refresh_from_db()
    assert foreign_activity.state == Activity.State.PUBLISHED


def _count(client, url):
    return page_queries(client, url)


def test_list_pages_take_the_same_queries_for_more_rows(client, committee, world, new_member):
    staff, me = world["staff"], world["me"]
    client.force_login(staff)
    activity = world["activity"]
    first = activity.invitations.first()
    services.invitation_request_leave(
        invitation=first, actor=first.member.person.user, reason="病假"
    )
    urls = [
        reverse("duties:activity_list"),
        reverse("duties:activity_detail", args=[activity.pk]),
        reverse("duties:leave_list"),
    ]
    small = [_count(client, u) for u in urls]
    for _ in range(4):
        new_member()
    for _ in range(3):
        a = make_activity(committee, staff)
        for inv in a.invitations.all()[:2]:
            services.invitation_request_leave(
                invitation=inv, actor=inv.member.person.user, reason="事假"
            )
    assert [_count(client, u) for u in urls] == small
    client.force_login(me.person.user)
    mine = _count(client, reverse("duties:my_duties"))
    make_activity(committee, staff)
    make_activity(committee, staff)
    assert _count(client, reverse("duties:my_duties")) == mine

"""A handling unit's system credential: made by the proposal office, bound to
one unit, scoped to its assignments; its office system fetches the inbox,
records the pre-contact and replies with the signed letter (issue 14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lvzhi.api import services
from lvzhi.api.models import ApiToken
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.files import attachments_of
from lvzhi.core.models import AuditEvent
from lvzhi.proposals.models import (
    CoUnitOpinion,
    ExtensionRequest,
    PreContact,
    ReassignmentRequest,
    Reply,
)
from lvzhi.proposals.services import LETTER_PURPOSE
from lvzhi.proposals.tests.conftest import World, assigned, build_world, lead_assignment

PDF = b"%PDF-1.4\n%a signed and sealed reply letter\n"


@pytest.fixture
def world(db: None) -> World:
    return build_world("cred")


def credential(world: World, unit: Any = None, days: int = 30) -> str:
    return services.unit_credential_create(
        actor=world.staff, unit=unit or world.lead_unit, name="教育局OA", days=days
    ).token


def oa(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post_json(client: Client, url: str, data: Any, **headers: Any) -> Any:
    return client.post(url, data, content_type="application/json", **headers)


def test_a_units_system_fetches_its_inbox_and_replies_with_a_signed_letter(world: World) -> None:
    proposal = assigned(world)
    lead = lead_assignment(proposal)
    client = oa(credential(world))
    inbox = client.get("/api/v1/proposals/assignments").json()
    assert [row["id"] for row in inbox["items"]] == [lead.pk]
    base = f"/api/v1/proposals/assignments/{lead.pk}"
    assert client.post(f"{base}/accept").status_code == 200
    contact = post_json(
        client,
        f"{base}/precontact",
        {"date": str(timezone.localdate()), "way": "phone", "summary": "电话沟通办理思路"},
    )
    assert contact.status_code == 200, contact.content
    letter = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    reply = client.post(
        f"{base}/reply",
        {"text": "经研究，答复如下：一、……", "reply_class": "A", "letter": letter},
        HTTP_IDEMPOTENCY_KEY="reply-1",
    )
    assert reply.status_code == 200, reply.content
    assert reply.json()["class_label"] and reply.json()["has_letter"] is True
    row = Reply.objects.get(assignment=lead)
    assert attachments_of(row, purpose=LETTER_PURPOSE).count() == 1
    proposal.refresh_from_db()
    assert proposal.status == "replied"
    # The OA retries (lost answer): the same answer, still one reply and one letter.
    letter.seek(0)
    again = client.post(
        f"{base}/reply",
        {"text": "经研究，答复如下：一、……", "reply_class": "A", "letter": letter},
        HTTP_IDEMPOTENCY_KEY="reply-1",
    )
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert Reply.objects.filter(assignment=lead).count() == 1
    # The timeline and the audit trail name the unit's system account.
    account = ApiToken.objects.get(unit=world.lead_unit).user
    assert proposal.events.filter(action="reply", actor=account).exists()
    assert AuditEvent.objects.filter(actor=account, channel="api").exists()


def test_the_credential_reaches_only_its_units_assignments(world: World) -> None:
    proposal = assigned(world)
    co = proposal.assignments.get(role="co")
    client = oa(credential(world))
    assert client.post(f"/api/v1/proposals/assignments/{co.pk}/accept").status_code == 404
    co_client = oa(credential(world, unit=world.co_unit))
    opinion = post_json(
        co_client, f"/api/v1/proposals/assignments/{co.pk}/co-opinion", {"text": "同意主办意见"}
    )
    assert opinion.status_code == 200 and CoUnitOpinion.objects.filter(assignment=co).exists()
    me = client.get("/api/v1/me").json()
    assert [(r["role"], r["committee_id"]) for r in me["roles"]] == [("unit", world.committee.pk)]
    assert me["display_name"].startswith(world.lead_unit.name)
    # Nothing else of the committee: not a member's list, nor the office's pages.
    assert client.get("/api/v1/proposals/mine").status_code == 403
    assert client.get(f"/api/v1/proposals/{proposal.pk}").status_code == 200
    other = assigned(world, title="关于另一所学校的建议")
    other.assignments.update(unit=world.other_unit)
    assert client.get(f"/api/v1/proposals/{other.pk}").status_code == 404


def test_the_unit_asks_for_an_extension_and_for_reassignment(world: World) -> None:
    lead = lead_assignment(assigned(world))
    client = oa(credential(world))
    base = f"/api/v1/proposals/assignments/{lead.pk}"
    later = lead.reply_due + dt.timedelta(days=20)
    extension = post_json(
        client, f"{base}/extension", {"requested_due": str(later), "reason": "需要跨部门调研"}
    )
    assert extension.status_code == 200, extension.content
    assert ExtensionRequest.objects.get(assignment=lead).requested_due == later
    relieved = post_json(client, f"{base}/reassignment", {"reason": "不属于本单位职责"})
    assert relieved.status_code == 200, relieved.content
    assert ReassignmentRequest.objects.filter(assignment=lead).count() == 1


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("precontact", {}),
        ("precontact", {"date": "昨天", "way": "phone", "summary": "沟通"}),
        ("precontact", {"date": "2026-01-01", "way": "pigeon", "summary": "沟通"}),
        ("precontact", {"date": "2026-01-01", "way": "phone", "summary": "长" * 2001}),
        ("precontact", {"date": "2026-01-01", "way": "phone", "summary": "沟通", "extra": 1}),
        ("co-opinion", {"text": ""}),
        ("extension", {"requested_due": 5, "reason": "x"}),
        ("extension", {"requested_due": "2026-01-01", "reason": ""}),
        ("reassignment", {"reason": "长" * 501}),
        ("reassignment", {"reason": ["不对"]}),
    ],
)
def test_bad_input_of_the_units_endpoints_is_422_and_changes_nothing(
    world: World, path: str, data: Any
) -> None:
    lead = lead_assignment(assigned(world))
    response = post_json(
        oa(credential(world)), f"/api/v1/proposals/assignments/{lead.pk}/{path}", data
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input" and response.json()["message"]
    assert not PreContact.objects.exists() and not CoUnitOpinion.objects.exists()
    assert not ExtensionRequest.objects.exists() and not ReassignmentRequest.objects.exists()


def test_a_reply_with_a_forbidden_file_or_no_contact_is_refused(world: World) -> None:
    lead = lead_assignment(assigned(world))
    client = oa(credential(world))
    base = f"/api/v1/proposals/assignments/{lead.pk}"
    client.post(f"{base}/accept")
    exe = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    no_contact = client.post(f"{base}/reply", {"text": "答复", "reply_class": "A", "letter": exe})
    assert no_contact.status_code == 422
    assert no_contact.json()["code"] == "validation_failed"
    wrong_class = client.post(f"{base}/reply", {"text": "答复", "reply_class": "Z"})
    assert wrong_class.status_code == 422
    assert not Reply.objects.exists()


def test_revoked_expired_or_deactivated_credentials_are_401(world: World) -> None:
    lead = lead_assignment(assigned(world))
    token = credential(world)
    row = ApiToken.objects.get(unit=world.lead_unit)
    assert oa(token).get("/api/v1/proposals/assignments").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None
    world.lead_unit.is_active = False
    world.lead_unit.save(update_fields=["is_active"])
    assert oa(token).get("/api/v1/proposals/assignments").status_code == 401
    world.lead_unit.is_active = True
    world.lead_unit.save(update_fields=["is_active"])
    services.unit_credential_revoke(actor=world.staff, token=row)
    refused = oa(token).post(f"/api/v1/proposals/assignments/{lead.pk}/accept")
    assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
    ApiToken.objects.filter(pk=row.pk).update(
        revoked_at=None, expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert oa(token).get("/api/v1/proposals/assignments").status_code == 401


def test_only_the_proposal_office_or_the_sysadmin_makes_and_revokes_credentials(
    world: World,
) -> None:
    for refused in (world.lead_user, world.leader, world.proposer_user, world.other_staff):
        with pytest.raises(PermissionDenied):
            services.unit_credential_create(actor=refused, unit=world.lead_unit, name="OA", days=30)
    assert not ApiToken.objects.exists()
    credential(world)
    row = ApiToken.objects.get()
    assert row.token_hash != "" and row.prefix.startswith("lvz_") and row.created_by == world.staff
    assert not row.user.has_usable_password() and not row.user.role_assignments.exists()
    with pytest.raises(PermissionDenied):
        services.unit_credential_revoke(actor=world.other_staff, token=row)
    with pytest.raises(ValidationFailed):
        services.unit_credential_create(actor=world.staff, unit=world.lead_unit, name=" ", days=30)
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert "api.unit_credential_create" in codes


def test_the_office_page_lists_creates_once_and_revokes(world: World) -> None:
    staff = Client()
    staff.force_login(world.staff)
    page = staff.post(
        "/api/units/new/", {"unit": world.lead_unit.pk, "name": "教育局OA", "days": 90}
    )
    assert page.status_code == 200
    token = page.context["created"].token
    assert token.encode() in page.content and page["Cache-Control"].startswith("max-age=0")
    listed = staff.get("/api/units/")
    assert world.lead_unit.name in listed.content.decode() and token not in listed.content.decode()
    row = ApiToken.objects.get(unit=world.lead_unit)
    assert staff.post(f"/api/units/{row.pk}/revoke/").status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    unit_user = Client()
    unit_user.force_login(world.lead_user)
    assert unit_user.get("/api/units/").status_code == 403
    outsider = Client()
    outsider.force_login(world.other_staff)
    assert outsider.post(f"/api/units/{row.pk}/revoke/").status_code == 404

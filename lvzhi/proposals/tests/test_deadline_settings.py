"""The deadlines are committee settings: a change applies to proposals
assigned afterwards, is made on the settings page by the office only, and is
audited. Reading the settings page writes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.audit import SETTING_CHANGED
from lvzhi.core.committee_settings import (
    committee_settings_update,
    setting_defs,
    setting_value,
)
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, CommitteeSetting
from lvzhi.org.tests.factories import CommitteeFactory
from lvzhi.proposals import settings_defs, workflow
from lvzhi.proposals.models import DeclineGround, ProposalCategory
from lvzhi.proposals.tests.conftest import World, assigned, lead_assignment, make_role_user


def client_as(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_changed_reply_deadline_applies_to_later_assignments(world: World) -> None:
    before = lead_assignment(assigned(world, title="改之前"))
    committee_settings_update(
        actor=world.staff,
        committee=world.committee,
        values={"proposals.reply_months": 2, "proposals.reassignment_working_days": 5},
    )
    after = lead_assignment(assigned(world, title="改之后"))
    today = timezone.localdate()
    assert before.reply_due == workflow.add_months(today, 3)
    assert after.reply_due == workflow.add_months(today, 2)
    assert after.reassignment_due < before.reassignment_due
    assert setting_value(world.other_committee, settings_defs.REPLY_MONTHS) == 3


def test_only_the_office_changes_deadlines_within_bounds(world: World) -> None:
    with pytest.raises(PermissionDenied):
        committee_settings_update(
            actor=world.leader, committee=world.committee, values={"proposals.reply_months": 2}
        )
    with pytest.raises(ValidationFailed):
        committee_settings_update(
            actor=world.staff, committee=world.committee, values={"proposals.reply_months": 99}
        )
    assert not CommitteeSetting.objects.exists()


def test_the_settings_page_saves_the_deadlines_and_audits_them(world: World) -> None:
    client = client_as(world.staff)
    page = client.get(reverse("proposals:settings"))
    assert page.status_code == 200 and 'id="deadlines-form"' in page.content.decode()
    data = {d.key.replace(".", "__"): d.default for d in setting_defs("proposals.")}
    data["proposals__evaluation_working_days"] = 20
    response = client.post(reverse("proposals:settings_deadlines"), data)
    assert response.status_code == 302
    assert setting_value(world.committee, settings_defs.EVALUATION_WORKING_DAYS) == 20
    row = AuditEvent.objects.get(action=SETTING_CHANGED)
    assert row.detail["old"] == "15" and row.detail["new"] == "20"
    data["proposals__evaluation_working_days"] = 0
    refused = client.post(reverse("proposals:settings_deadlines"), data)
    assert refused.status_code == 400
    leader = client_as(world.leader).post(reverse("proposals:settings_deadlines"), data)
    assert leader.status_code == 403


def test_reading_the_pages_of_a_new_committee_writes_nothing(db: None) -> None:
    committee = CommitteeFactory(code="p-new")
    staff = make_role_user(committee, "p-new-staff", "staff", "proposals")
    client = client_as(staff)
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    for name in ("settings", "review", "list", "stats"):
        assert client.get(reverse(f"proposals:{name}")).status_code == 200
    after = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    changed = {k for k in counts if counts[k] != after[k]}
    assert changed <= {"sessions.Session"}, changed
    # The empty lists offer the defaults, added by a POST.
    assert (
        "proposals/settings/defaults/" in client.get(reverse("proposals:settings")).content.decode()
    )
    client.post(reverse("proposals:settings_defaults"))
    assert ProposalCategory.objects.filter(committee=committee).exists()
    assert DeclineGround.objects.filter(committee=committee).exists()

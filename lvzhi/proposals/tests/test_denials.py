"""Every write service refuses an actor who lacks its permission — a user of
an unrelated unit, another committee's office — with PermissionDenied, and
writes nothing but the audited refusal. A page's POST audits who, from where
and in which request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.audit import PERMISSION_DENIED
from lvzhi.core.errors import PermissionDenied
from lvzhi.core.models import AuditEvent
from lvzhi.proposals import services
from lvzhi.proposals.models import (
    CoSigner,
    DeclineGround,
    ExtensionRequest,
    Proposal,
    ProposalCategory,
    ReassignmentRequest,
    Reply,
)
from lvzhi.proposals.tests.conftest import World, submitted
from lvzhi.proposals.tests.test_tables import a_proposal, an_assignment

S = Proposal.Status


def _objects(world: World) -> dict[str, Any]:
    proposal = a_proposal(world, S.IN_HANDLING)
    CoSigner.objects.create(proposal=proposal, member=world.cosigner)
    lead = an_assignment(world, proposal)
    co = an_assignment(world, proposal, "co")
    reply = Reply.objects.create(
        assignment=lead,
        text="答复",
        reply_class="A",
        class_label="A类（已解决或采纳）",
        solved=True,
        unit_class="A",
        created_by=world.lead_user,
    )
    return {
        "proposal": proposal,
        "lead": lead,
        "co": co,
        "reply": reply,
        "extension": ExtensionRequest.objects.create(
            assignment=lead, requested_due=lead.reply_due, reason="理由"
        ),
        "reassignment": ReassignmentRequest.objects.create(assignment=lead, reason="理由"),
        "target": a_proposal(world, S.REGISTERED),
    }


Call = Callable[[World, dict[str, Any], Any], Any]
SERVICES: dict[str, Call] = {
    "proposal_draft_save (new)": lambda w, o, a: services.proposal_draft_save(
        actor=a,
        committee=w.committee,
        title="标题",
        category=w.category,
        kind="individual",
        reason="",
        suggestions="",
    ),
    "proposal_draft_save (edit)": lambda w, o, a: services.proposal_draft_save(
        actor=a,
        committee=w.committee,
        proposal=o["proposal"],
        title="改",
        category=w.category,
        kind="individual",
        reason="",
        suggestions="",
    ),
    "cosigner_answer": lambda w, o, a: services.cosigner_answer(
        actor=a, proposal=o["proposal"], confirm=True
    ),
    "proposal_submit": lambda w, o, a: services.proposal_submit(actor=a, proposal=o["proposal"]),
    "proposal_withdraw": lambda w, o, a: services.proposal_withdraw(
        actor=a, proposal=o["proposal"]
    ),
    "proposal_draft_create_from_public": lambda w, o, a: services.proposal_draft_create_from_public(
        committee=w.committee, member=w.proposer, title="线索", body="", actor=a
    ),
    "proposal_register": lambda w, o, a: services.proposal_register(
        actor=a, proposal=o["proposal"]
    ),
    "proposal_decline": lambda w, o, a: services.proposal_decline(
        actor=a, proposal=o["proposal"], ground=w.ground
    ),
    "proposal_convert": lambda w, o, a: services.proposal_convert(
        actor=a, proposal=o["proposal"], unit=w.lead_unit
    ),
    "proposal_return": lambda w, o, a: services.proposal_return(
        actor=a, proposal=o["proposal"], reason="x"
    ),
    "proposal_merge": lambda w, o, a: services.proposal_merge(
        actor=a, proposal=o["proposal"], into=o["target"]
    ),
    "proposal_assign": lambda w, o, a: services.proposal_assign(
        actor=a, proposal=o["proposal"], lead=w.lead_unit
    ),
    "assignment_accept": lambda w, o, a: services.assignment_accept(actor=a, assignment=o["lead"]),
    "assignment_precontact": lambda w, o, a: services.assignment_precontact(
        actor=a, assignment=o["lead"], when=timezone.localdate(), way="phone", summary="x"
    ),
    "assignment_co_opinion": lambda w, o, a: services.assignment_co_opinion(
        actor=a, assignment=o["co"], text="x"
    ),
    "assignment_reply": lambda w, o, a: services.assignment_reply(
        actor=a, assignment=o["lead"], text="x", reply_class="A"
    ),
    "extension_request": lambda w, o, a: services.extension_request(
        actor=a,
        assignment=o["lead"],
        requested_due=o["lead"].reply_due + dt.timedelta(days=30),
        reason="x",
    ),
    "extension_decide": lambda w, o, a: services.extension_decide(
        actor=a, request=o["extension"], approve=True
    ),
    "reassignment_request": lambda w, o, a: services.reassignment_request(
        actor=a, assignment=o["lead"], reason="x"
    ),
    "reassignment_decide": lambda w, o, a: services.reassignment_decide(
        actor=a, request=o["reassignment"], approve=True
    ),
    "reply_review": lambda w, o, a: services.reply_review(
        actor=a, reply=o["reply"], reply_class="B", reason="x"
    ),
    "quality_rate": lambda w, o, a: services.quality_rate(
        actor=a, assignment=o["lead"], rating="good"
    ),
    "proposal_evaluate": lambda w, o, a: services.proposal_evaluate(
        actor=a, proposal=o["proposal"], contact="basic", attitude="basic", result="basic"
    ),
    "proposal_close": lambda w, o, a: services.proposal_close(actor=a, proposal=o["proposal"]),
    "proposal_mark_key": lambda w, o, a: services.proposal_mark_key(
        actor=a, proposal=o["proposal"], supervisor=w.leader
    ),
    "proposal_correct": lambda w, o, a: services.proposal_correct(
        actor=a,
        proposal=o["proposal"],
        title="改",
        category=w.category,
        kind="individual",
        reason="笔误",
    ),
    "assignment_message_add": lambda w, o, a: services.assignment_message_add(
        actor=a, assignment=o["lead"], text="x"
    ),
    "supervision_note_add": lambda w, o, a: services.supervision_note_add(
        actor=a, proposal=o["proposal"], text="x"
    ),
    "excellent_select": lambda w, o, a: services.excellent_select(
        actor=a, proposal=o["proposal"], year=timezone.localdate().year
    ),
    "excellent_publish": lambda w, o, a: services.excellent_publish(
        actor=a, committee=w.committee, year=timezone.localdate().year
    ),
    "config_defaults_add": lambda w, o, a: services.config_defaults_add(
        actor=a, committee=w.committee
    ),
    "config_row_add": lambda w, o, a: services.config_row_add(
        actor=a, committee=w.committee, model=ProposalCategory, name="新类别"
    ),
    "config_row_rename": lambda w, o, a: services.config_row_rename(
        actor=a, row=w.category, name="改名"
    ),
    "config_row_set_active": lambda w, o, a: services.config_row_set_active(
        actor=a, row=w.ground, active=False
    ),
    "config_row_move": lambda w, o, a: services.config_row_move(actor=a, row=w.category, up=True),
    "config_row_delete": lambda w, o, a: services.config_row_delete(
        actor=a, row=DeclineGround.objects.filter(committee=w.committee).last()
    ),
}


def _rows() -> dict[str, int]:
    """Rows of every proposals table, and audit rows other than refusals."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("proposals").get_models()
    }
    counts["audit"] = AuditEvent.objects.exclude(action=PERMISSION_DENIED).count()
    return counts


@pytest.mark.parametrize("outsider", ["other_unit_user", "other_staff"])
@pytest.mark.parametrize("name", list(SERVICES))
def test_every_write_service_refuses_an_actor_without_the_permission(
    world: World, name: str, outsider: str
) -> None:
    objects = _objects(world)
    actor = getattr(world, outsider)
    before = _rows()
    refusals = AuditEvent.objects.filter(action=PERMISSION_DENIED).count()
    with pytest.raises(PermissionDenied):
        SERVICES[name](world, objects, actor)
    assert _rows() == before
    assert AuditEvent.objects.filter(action=PERMISSION_DENIED).count() == refusals + 1


def test_a_page_post_audits_ip_user_agent_and_request_id(world: World) -> None:
    proposal = submitted(world)
    client = Client()
    client.force_login(world.staff)
    response = client.post(
        reverse("proposals:register", args=[proposal.pk]), {}, HTTP_USER_AGENT="pytest"
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="proposal.register", object_id=str(proposal.pk))
    assert row.ip
    assert row.user_agent == "pytest"
    assert row.request_id
    assert row.actor_id == world.staff.pk

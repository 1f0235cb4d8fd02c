"""The office corrects a proposal's title, category and kind after the fact:
audited, the original kept and shown, refused for other roles, for an empty
reason and for a kind that does not fit the co-signers — nothing changed then."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.core.corrections import corrections_of
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, Correction
from lvzhi.duties.models import DutyRecord
from lvzhi.proposals import services
from lvzhi.proposals.models import Proposal, ProposalCategory
from lvzhi.proposals.tests.conftest import World, draft, registered, submitted
from lvzhi.proposals.tests.test_threads import _joint

pytestmark = pytest.mark.django_db


def _other_category(world: World) -> ProposalCategory:
    return ProposalCategory.objects.filter(committee=world.committee).exclude(pk=world.category.pk)[
        0
    ]


def _correct(world: World, proposal: Proposal, actor: Any = None, **changes: Any) -> Proposal:
    values: dict[str, Any] = {
        "title": proposal.title,
        "category": proposal.category,
        "kind": proposal.kind,
        "on_behalf_of": proposal.on_behalf_of,
        "reason": "提案人来电说明标题有误",
    }
    values.update(changes)
    return services.proposal_correct(actor=actor or world.staff, proposal=proposal, **values)


def _state(proposal: Proposal) -> tuple[Any, ...]:
    proposal.refresh_from_db()
    return (proposal.title, proposal.category_id, proposal.kind, proposal.on_behalf_of)


def test_staff_correct_and_the_original_is_kept_and_audited(world: World) -> None:
    proposal = registered(world)
    new_category = _other_category(world)
    _correct(world, proposal, title="关于加强中小学校园周边交通安全的建议", category=new_category)
    proposal.refresh_from_db()
    assert proposal.title == "关于加强中小学校园周边交通安全的建议"
    assert proposal.category == new_category
    rows = {c.field: c for c in corrections_of(proposal)}
    assert set(rows) == {"title", "category"}
    assert rows["title"].original == "关于加强校园周边交通安全的建议"
    assert rows["category"].original == world.category.name
    assert rows["category"].corrected == new_category.name
    audit = AuditEvent.objects.get(action="proposal.corrected")
    assert audit.detail["changes"]["title"]["before"] == "关于加强校园周边交通安全的建议"
    assert audit.detail["reason"] == "提案人来电说明标题有误"


def test_kind_individual_to_sector_needs_a_name_and_keeps_the_points(world: World) -> None:
    proposal = registered(world)
    records = list(DutyRecord.objects.values_list("member_id", "kind", "share"))
    with pytest.raises(ValidationFailed):
        _correct(world, proposal, kind="sector")
    _correct(world, proposal, kind="sector", on_behalf_of="教育界")
    assert _state(proposal)[2:] == ("sector", "教育界")
    assert list(DutyRecord.objects.values_list("member_id", "kind", "share")) == records


@pytest.mark.parametrize("kind", ["individual", "sector"])
def test_a_joint_proposal_with_confirmed_cosigners_stays_joint(world: World, kind: str) -> None:
    proposal = _joint(world)
    before = _state(proposal)
    with pytest.raises(ValidationFailed):
        _correct(world, proposal, kind=kind, on_behalf_of="教育界")
    assert _state(proposal) == before
    assert not Correction.objects.exists()


def test_an_individual_proposal_cannot_become_joint(world: World) -> None:
    proposal = registered(world)
    with pytest.raises(ValidationFailed):
        _correct(world, proposal, kind="joint")
    assert _state(proposal)[2] == "individual"


@pytest.mark.parametrize("reason", ["", "   ", "理" * 301])
def test_a_missing_or_too_long_reason_is_refused(world: World, reason: str) -> None:
    proposal = registered(world)
    before = _state(proposal)
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        _correct(world, proposal, title="新标题", reason=reason)
    assert _state(proposal) == before
    assert AuditEvent.objects.count() == audits and not Correction.objects.exists()


def test_nothing_changed_is_refused(world: World) -> None:
    proposal = registered(world)
    with pytest.raises(ValidationFailed):
        _correct(world, proposal)
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "who", ["proposer_user", "leader", "lead_user", "other_staff", "cosigner_user"]
)
def test_other_roles_are_refused(world: World, who: str) -> None:
    proposal = registered(world)
    before = _state(proposal)
    with pytest.raises(PermissionDenied):
        _correct(world, proposal, actor=getattr(world, who), title="他人改的标题")
    assert _state(proposal) == before
    client = Client()
    client.force_login(getattr(world, who))
    url = reverse("proposals:correct", args=[proposal.pk])
    assert client.post(url, {"title": "他人改的标题", "reason": "x"}).status_code == 404
    assert _state(proposal) == before


def test_drafts_are_the_proposers_to_edit_not_corrected(world: World) -> None:
    proposal = draft(world)
    with pytest.raises(PermissionDenied):
        _correct(world, proposal, title="新标题")
    returned = submitted(world)
    services.proposal_return(actor=world.staff, proposal=returned, reason="请补充")
    returned.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _correct(world, returned, title="新标题")


def test_the_page_corrects_keeps_input_on_error_and_shows_the_original(world: World) -> None:
    proposal = registered(world)
    client = Client()
    client.force_login(world.staff)
    url = reverse("proposals:correct", args=[proposal.pk])
    data = {
        "title": "更正后的标题",
        "category": world.category.pk,
        "kind": "individual",
        "on_behalf_of": "",
        "reason": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "更正后的标题" in refused.content.decode()
    assert _state(proposal)[0] == "关于加强校园周边交通安全的建议"
    data["reason"] = "笔误"
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "更正后的标题" in page and "<del>关于加强校园周边交通安全的建议</del>" in page
    # The proposer sees the corrected title, not the office's record of it.
    client.force_login(world.proposer_user)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "<del>" not in page


def test_a_withdrawn_proposal_cannot_be_corrected(world: World) -> None:
    proposal = submitted(world)
    services.proposal_withdraw(actor=world.proposer_user, proposal=proposal)
    proposal.refresh_from_db()
    with pytest.raises((PermissionDenied, Conflict)):
        _correct(world, proposal, title="新标题")

"""The settings page of the proposal office: the committee's categories and
decline grounds. Add, rename, reorder, deactivate/reactivate, delete only
what no proposal uses; bad input changes nothing; other roles get 403,
another committee's row 404; deactivated rows leave the forms but stay on
old proposals; every change is audited; the page's query count is bounded."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lvzhi.accounts.models import Area, Role
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.proposals import forms, services
from lvzhi.proposals.models import DeclineGround, Proposal, ProposalCategory
from lvzhi.proposals.tests.conftest import World, draft, make_role_user, submitted

LISTS = {
    "categories": (ProposalCategory, "name", "proposals.category_changed"),
    "grounds": (DeclineGround, "text", "proposals.decline_ground_changed"),
}


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def action_url(kind: str, row: Any, action: str) -> str:
    return reverse(f"proposals:settings_{action}", args=[kind, row.pk])


def add_url(kind: str) -> str:
    return reverse("proposals:settings_add", args=[kind])


def names(world: World, kind: str) -> list[tuple[str, bool]]:
    model, field, _action = LISTS[kind]
    return [
        (getattr(r, field), r.is_active)
        for r in model.objects.filter(committee=world.committee).order_by("order", "id")
    ]


def audits(action: str) -> list[dict[str, str]]:
    return list(
        AuditEvent.objects.filter(action=action).order_by("id").values_list("detail", flat=True)
    )


@pytest.mark.parametrize("kind", list(LISTS))
def test_staff_add_rename_deactivate_reactivate(world: World, kind: str) -> None:
    model, field, audit_action = LISTS[kind]
    client = client_as(world.staff)
    page = client.get(reverse("proposals:settings"))
    assert page.status_code == 200
    before = names(world, kind)

    response = client.post(add_url(kind), {"name": "  城乡融合发展  "})
    assert response.status_code == 302
    assert names(world, kind) == [*before, ("城乡融合发展", True)]
    row = model.objects.get(committee=world.committee, **{field: "城乡融合发展"})
    assert row.order > max(
        r.order for r in model.objects.exclude(pk=row.pk).filter(committee=world.committee)
    )

    client.post(action_url(kind, row, "rename"), {"name": "城乡融合"})
    row.refresh_from_db()
    assert getattr(row, field) == "城乡融合"

    client.post(action_url(kind, row, "deactivate"))
    row.refresh_from_db()
    assert row.is_active is False
    # A second click changes nothing and writes no second audit row.
    client.post(action_url(kind, row, "deactivate"))
    client.post(action_url(kind, row, "activate"))
    row.refresh_from_db()
    assert row.is_active is True

    changes = [d["change"] for d in audits(audit_action)]
    assert changes == ["add", "rename", "deactivate", "activate"]
    rename = audits(audit_action)[1]
    assert rename["old"] == "城乡融合发展" and rename["name"] == "城乡融合"
    assert AuditEvent.objects.filter(action=audit_action, actor=world.staff).count() == 4
    assert set(
        AuditEvent.objects.filter(action=audit_action).values_list("committee_id", flat=True)
    ) == {world.committee.pk}


@pytest.mark.parametrize("kind", list(LISTS))
def test_reorder_moves_a_row_and_stops_at_the_ends(world: World, kind: str) -> None:
    model, _field, audit_action = LISTS[kind]
    client = client_as(world.staff)
    rows = list(model.objects.filter(committee=world.committee).order_by("order", "id"))
    second, first = rows[1], rows[0]
    client.post(action_url(kind, second, "up"))
    order = [r.pk for r in model.objects.filter(committee=world.committee).order_by("order", "id")]
    assert order[:2] == [second.pk, first.pk]
    assert len(
        set(model.objects.filter(committee=world.committee).values_list("order", flat=True))
    ) == len(rows)
    # The first row cannot go further up, the last not further down.
    client.post(action_url(kind, second, "up"))
    last = model.objects.get(pk=order[-1])
    client.post(action_url(kind, last, "down"))
    assert [
        r.pk for r in model.objects.filter(committee=world.committee).order_by("order", "id")
    ] == order
    assert [d["change"] for d in audits(audit_action)] == ["move_up"]


def zh(message: str, **params: Any) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(message)
        return text % params if params else text


@pytest.mark.parametrize("kind", list(LISTS))
@pytest.mark.parametrize("bad", ["", "   ", "duplicate", "长" * 101])
def test_bad_names_are_refused_and_nothing_changes(world: World, kind: str, bad: str) -> None:
    model, field, _audit_action = LISTS[kind]
    client = client_as(world.staff)
    rows = list(model.objects.filter(committee=world.committee).order_by("order", "id"))
    if bad == "duplicate":
        bad = getattr(rows[0], field)  # a name already in this list
        expected = zh("“%(name)s” is already in the list.", name=bad)
    elif not bad.strip():
        expected = zh("Enter a name.")
    else:
        limit = 32 if kind == "categories" else 100
        expected = zh("At most %(limit)s characters (now %(count)s).", limit=limit, count=101)
    before = names(world, kind)
    events = AuditEvent.objects.count()

    response = client.post(add_url(kind), {"name": bad})
    assert response.status_code == 200  # the page again, with the error
    form = response.context["lists"][list(LISTS).index(kind)]["form"]
    with translation.override("zh-hans"):
        assert [str(e) for e in form.errors["name"]] == [expected]

    # Renaming the second row to it (or to a blank) is refused the same way:
    # the form again on its own page, with the error and what was typed.
    response = client.post(action_url(kind, rows[1], "rename"), {"name": bad})
    assert response.status_code == 400
    with translation.override("zh-hans"):
        assert [str(e) for e in response.context["form"].errors["name"]] == [expected]
    assert response.context["form"]["name"].value() == bad

    assert names(world, kind) == before
    assert AuditEvent.objects.count() == events


def test_too_long_category_name_is_refused_at_32(world: World) -> None:
    client = client_as(world.staff)
    before = names(world, "categories")
    response = client.post(add_url("categories"), {"name": "类" * 33})
    assert response.status_code == 200
    assert "name" in response.context["lists"][0]["form"].errors
    assert names(world, "categories") == before
    client.post(add_url("categories"), {"name": "类" * 32})
    assert names(world, "categories")[-1] == ("类" * 32, True)


def test_services_refuse_bad_names_and_non_staff(world: World) -> None:
    with pytest.raises(ValidationFailed):
        services.config_row_add(
            actor=world.staff, committee=world.committee, model=ProposalCategory, name="  "
        )
    with pytest.raises(ValidationFailed):
        services.config_row_add(
            actor=world.staff, committee=world.committee, model=ProposalCategory, name="社会建设"
        )
    with pytest.raises(ValidationFailed):
        services.config_row_rename(actor=world.staff, row=world.ground, name="涉及国家秘密")
    with pytest.raises(PermissionDenied):
        services.config_row_add(
            actor=world.other_staff, committee=world.committee, model=DeclineGround, name="新理由"
        )
    with pytest.raises(PermissionDenied):
        services.config_row_set_active(actor=world.proposer_user, row=world.category, active=False)
    # The same name in another committee's list is fine.
    other = services.config_row_add(
        actor=world.other_staff,
        committee=world.other_committee,
        model=ProposalCategory,
        name="新类别",
    )
    assert other.committee_id == world.other_committee.pk
    services.config_row_add(
        actor=world.staff, committee=world.committee, model=ProposalCategory, name="新类别"
    )


@pytest.mark.parametrize("role", ["member", "unit", "leader", "staff_opinions"])
def test_other_roles_get_403(world: World, role: str) -> None:
    user = {
        "member": world.proposer_user,
        "unit": world.lead_user,
        "leader": world.leader,
        "staff_opinions": make_role_user(world.committee, "op-staff", Role.STAFF, Area.OPINIONS),
    }[role]
    client = client_as(user)
    before = names(world, "categories")
    assert client.get(reverse("proposals:settings")).status_code == 403
    assert client.post(add_url("categories"), {"name": "新类别"}).status_code == 403
    for action in ("rename", "deactivate", "delete", "up"):
        response = client.post(action_url("categories", world.category, action), {"name": "x"})
        assert response.status_code == 403, action
    assert names(world, "categories") == before
    assert not AuditEvent.objects.filter(action="proposals.category_changed").exists()


def test_another_committees_row_is_404(world: World) -> None:
    client = client_as(world.staff)
    theirs = ProposalCategory.objects.filter(committee=world.other_committee).first()
    their_ground = DeclineGround.objects.filter(committee=world.other_committee).first()
    assert theirs is not None and their_ground is not None
    for action in ("rename", "deactivate", "activate", "up", "down", "delete"):
        assert (
            client.post(action_url("categories", theirs, action), {"name": "x"}).status_code == 404
        )
        assert (
            client.post(action_url("grounds", their_ground, action), {"name": "x"}).status_code
            == 404
        )
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.name != "x"
    # The other committee's staff reach their own page, not this committee's rows.
    theirs_client = client_as(world.other_staff)
    page = theirs_client.get(reverse("proposals:settings"))
    assert page.status_code == 200
    assert action_url("categories", world.category, "rename") not in page.content.decode()
    for action in ("rename", "deactivate", "delete"):
        response = theirs_client.post(
            action_url("categories", world.category, action), {"name": "x"}
        )
        assert response.status_code == 404
    world.category.refresh_from_db()
    assert world.category.is_active and world.category.name == "社会建设"
    assert client.post(add_url("nonsense"), {"name": "x"}).status_code == 404
    nonsense = f"{reverse('proposals:settings')}categories/{world.category.pk}/nonsense/"
    assert client.post(nonsense).status_code == 404
    assert client.get(action_url("categories", world.category, "deactivate")).status_code == 405


def test_delete_only_what_no_proposal_uses(world: World) -> None:
    client = client_as(world.staff)
    draft(world)  # uses world.category
    page = client.get(reverse("proposals:settings")).content.decode()
    assert action_url("categories", world.category, "delete") not in page
    with pytest.raises(Conflict):
        services.config_row_delete(actor=world.staff, row=world.category)
    response = client.post(action_url("categories", world.category, "delete"), follow=True)
    assert any("停用" in str(m) or "deactivate" in str(m) for m in response.context["messages"])
    assert ProposalCategory.objects.filter(pk=world.category.pk).exists()

    unused = services.config_row_add(
        actor=world.staff, committee=world.committee, model=ProposalCategory, name="笔误"
    )
    assert (
        action_url("categories", unused, "delete")
        in client.get(reverse("proposals:settings")).content.decode()
    )
    client.post(action_url("categories", unused, "delete"))
    assert not ProposalCategory.objects.filter(pk=unused.pk).exists()
    assert [d["change"] for d in audits("proposals.category_changed")] == ["add", "delete"]


def test_used_ground_cannot_be_deleted(world: World) -> None:
    proposal = submitted(world)
    services.proposal_decline(actor=world.staff, proposal=proposal, ground=world.ground)
    with pytest.raises(Conflict):
        services.config_row_delete(actor=world.staff, row=world.ground)
    assert DeclineGround.objects.filter(pk=world.ground.pk).exists()


def _category_choices(response: Any) -> set[int]:
    field = response.context["form"].fields["category"]
    return {c.pk for c in field.queryset}


def test_inactive_category_is_not_offered_but_old_proposals_keep_it(world: World) -> None:
    old = draft(world)  # filed under world.category
    services.config_row_set_active(actor=world.staff, row=world.category, active=False)

    proposer = client_as(world.proposer_user)
    new_form = proposer.get(reverse("proposals:create"))
    offered = _category_choices(new_form)
    assert world.category.pk not in offered
    assert offered and not ProposalCategory.objects.filter(pk__in=offered, is_active=False).exists()
    assert (
        not ProposalCategory.objects.filter(pk__in=offered)
        .exclude(committee=world.committee)
        .exists()
    )
    # Posting it anyway is refused; the service refuses it too.
    before = Proposal.objects.count()
    response = proposer.post(
        reverse("proposals:create"),
        {"title": "新提案", "category": world.category.pk, "kind": "individual"},
    )
    assert response.status_code == 200 and "category" in response.context["form"].errors
    with pytest.raises(ValidationFailed):
        draft(world, title="另一件")
    assert Proposal.objects.count() == before

    # The old proposal keeps its category, shows it, and its draft can still be
    # saved with it (labelled as no longer in use) without losing it.
    old.refresh_from_db()
    assert old.category_id == world.category.pk
    detail = proposer.get(reverse("proposals:detail", args=[old.pk])).content.decode()
    assert world.category.name in detail
    edit = proposer.get(reverse("proposals:edit", args=[old.pk]))
    assert world.category.pk in _category_choices(edit)
    assert "停用" in edit.content.decode() or "no longer in use" in edit.content.decode()
    draft(world, proposal=old, title="改过的标题")
    old.refresh_from_db()
    assert old.category_id == world.category.pk and old.title == "改过的标题"
    # Submitted, staff can still filter the list by it.
    services.proposal_submit(actor=world.proposer_user, proposal=old)
    listing = client_as(world.staff).get(reverse("proposals:list"), {"category": world.category.pk})
    assert listing.status_code == 200 and listing.context["page_obj"].paginator.count == 1

    # Reactivated, it is offered again.
    services.config_row_set_active(actor=world.staff, row=world.category, active=True)
    assert world.category.pk in _category_choices(proposer.get(reverse("proposals:create")))


def test_inactive_ground_is_not_offered_in_the_decline_form(world: World) -> None:
    proposal = submitted(world)
    other = DeclineGround.objects.get(committee=world.committee, text="涉及国家秘密")
    services.config_row_set_active(actor=world.staff, row=other, active=False)
    offered = set(forms.DeclineForm(committee=world.committee).fields["ground"].queryset)  # type: ignore[attr-defined]
    assert other not in offered and world.ground in offered
    assert all(g.committee_id == world.committee.pk and g.is_active for g in offered)
    page = client_as(world.staff).get(reverse("proposals:detail", args=[proposal.pk]))
    assert "涉及国家秘密" not in page.content.decode()
    with pytest.raises(ValidationFailed):
        services.proposal_decline(actor=world.staff, proposal=proposal, ground=other)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    # A proposal declined on a ground deactivated later still shows it.
    services.proposal_decline(actor=world.staff, proposal=proposal, ground=world.ground)
    services.config_row_set_active(actor=world.staff, row=world.ground, active=False)
    page = client_as(world.staff).get(reverse("proposals:detail", args=[proposal.pk]))
    assert world.ground.text in page.content.decode()


def test_defaults_do_not_come_back_once_configured(world: World) -> None:
    services.config_row_rename(actor=world.staff, row=world.category, name="社会事业")
    for row in ProposalCategory.objects.filter(committee=world.committee):
        services.config_row_set_active(actor=world.staff, row=row, active=False)
    client_as(world.proposer_user).get(reverse("proposals:create"))
    client_as(world.staff).get(reverse("proposals:settings"))
    assert not ProposalCategory.objects.filter(committee=world.committee, name="社会建设").exists()
    assert not ProposalCategory.objects.filter(committee=world.committee, is_active=True).exists()


def test_links_and_home_shortcut(world: World) -> None:
    link = reverse("proposals:settings")
    staff = client_as(world.staff)
    for name in ("list", "review"):
        assert f'href="{link}"' in staff.get(reverse(f"proposals:{name}")).content.decode(), name
    assert f'href="{link}"' in staff.get(reverse("home")).content.decode()
    leader = client_as(world.leader)
    assert f'href="{link}"' not in leader.get(reverse("proposals:list")).content.decode()
    assert f'href="{link}"' not in leader.get(reverse("home")).content.decode()


def test_settings_page_query_count_is_bounded(world: World) -> None:
    client = client_as(world.staff)
    client.get(reverse("proposals:settings"))  # warm up (session, defaults)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("proposals:settings")).status_code == 200
        return len(ctx)

    few = count()
    for i in range(30):
        row = services.config_row_add(
            actor=world.staff, committee=world.committee, model=ProposalCategory, name=f"类别{i}"
        )
        services.config_row_add(
            actor=world.staff, committee=world.committee, model=DeclineGround, name=f"理由{i}"
        )
        if i % 3 == 0:
            draft(world, title=f"提案{i}", category=row)
    assert count() == few

"""Answer classes are committee data (issue 10): a scheme of 2–6 classes
set on the settings page by the proposal office, validated, audited; a reply
keeps the label and the solved mark of its class as they were when it was
made; forms, letters, the detail page, statistics and exports use the scheme."""

from __future__ import annotations

import importlib
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.audit import SETTING_CHANGED
from lvzhi.core.committee_settings import (
    committee_settings_update,
    forget_settings,
    setting_value,
)
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, CommitteeSetting
from lvzhi.proposals import selectors, services, settings_defs, workflow
from lvzhi.proposals.forms import ReplyForm
from lvzhi.proposals.models import Reply
from lvzhi.proposals.settings_defs import ABC_PRESET, ABCD_PRESET, ANSWER_CLASSES
from lvzhi.proposals.tests.conftest import World, assigned, lead_assignment, replied

KEY = ANSWER_CLASSES.key


def client_as(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def set_scheme(world: World, scheme: Any) -> None:
    committee_settings_update(actor=world.staff, committee=world.committee, values={KEY: scheme})


def cls(code: str, label: str = "", solved: bool = False) -> dict[str, Any]:
    return {"code": code, "label": label or f"{code}类", "solved": solved}


def stored(world: World) -> Any:
    """The scheme as saved now (not the value cached on the test's committee)."""
    forget_settings(world.committee)
    return setting_value(world.committee, ANSWER_CLASSES)


BAD_SCHEMES = {
    "not a list": {"code": "A"},
    "one class": [cls("A", solved=True)],
    "seven classes": [cls(c, solved=True) for c in "ABCDEFG"],
    "empty code": [cls("A", solved=True), cls("")],
    "blank code": [cls("A", solved=True), cls("  ")],
    "code too long": [cls("A", solved=True), cls("ABCDEFGHI")],
    "same code twice": [cls("A", solved=True), cls("A")],
    "empty label": [cls("A", solved=True), {"code": "B", "label": " ", "solved": False}],
    "label too long": [cls("A", solved=True), cls("B", "长" * 41)],
    "none solved": [cls("A"), cls("B")],
    "solved not a flag": [cls("A", solved=True), {"code": "B", "label": "B", "solved": "no"}],
    "missing key": [cls("A", solved=True), {"code": "B", "label": "B"}],
    "extra key": [cls("A", solved=True), {**cls("B"), "colour": "red"}],
    "not a dict": [cls("A", solved=True), "B"],
}


@pytest.mark.parametrize("name", list(BAD_SCHEMES))
def test_a_bad_scheme_is_refused_and_changes_nothing(world: World, name: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        set_scheme(world, BAD_SCHEMES[name])
    assert refused.value.message
    assert not CommitteeSetting.objects.exists()
    assert not AuditEvent.objects.filter(action=SETTING_CHANGED).exists()
    assert stored(world) == ABC_PRESET


def test_a_refused_scheme_leaves_the_deadlines_of_the_same_update_unchanged(
    world: World,
) -> None:
    with pytest.raises(ValidationFailed):
        committee_settings_update(
            actor=world.staff,
            committee=world.committee,
            values={"proposals.reply_months": 2, KEY: [cls("A"), cls("B")]},
        )
    assert not CommitteeSetting.objects.exists()


def test_only_the_proposal_office_sets_the_scheme(world: World) -> None:
    for actor in (world.leader, world.lead_user, world.other_staff):
        with pytest.raises(PermissionDenied):
            committee_settings_update(
                actor=actor, committee=world.committee, values={KEY: ABCD_PRESET}
            )
    url = reverse("proposals:settings_answer_preset")
    assert client_as(world.leader).post(url, {"preset": "abcd"}).status_code == 403
    rows = reverse("proposals:settings_answer_classes")
    assert client_as(world.lead_user).post(rows, {"code_0": "X"}).status_code == 403
    assert not CommitteeSetting.objects.exists()


def test_the_default_scheme_is_a_b_c_with_a_solved(world: World) -> None:
    scheme = settings_defs.answer_classes(world.committee)
    assert [(c["code"], c["solved"]) for c in scheme] == [("A", True), ("B", False), ("C", False)]
    form = ReplyForm(committee=world.committee)
    assert [v for v, _label in form.fields["reply_class"].choices] == ["", "A", "B", "C"]


def test_a_reply_keeps_its_label_when_the_scheme_changes(world: World) -> None:
    old = replied(world, reply_class="B", title="改之前")
    set_scheme(
        world,
        [cls("A", "甲类（已解决）", True), cls("B", "乙类（另议）"), cls("Z", "丙类（参考）")],
    )
    new = replied(world, reply_class="B", title="改之后")
    old_reply = Reply.objects.get(assignment__proposal=old)
    new_reply = Reply.objects.get(assignment__proposal=new)
    assert old_reply.class_label == "B类（正在解决或列入计划）"
    assert new_reply.class_label == "乙类（另议）"
    page = client_as(world.staff).get(reverse("proposals:detail", args=[old.pk]))
    assert "B类（正在解决或列入计划）" in page.content.decode()
    letter = client_as(world.staff).get(reverse("proposals:print_reply", args=[new_reply.pk]))
    assert "乙类（另议）" in letter.content.decode()
    # A class the scheme no longer has is refused for a new reply.
    with pytest.raises(ValidationFailed):
        replied(world, reply_class="C", title="旧分类")


def test_the_office_changes_a_class_to_one_of_the_scheme(world: World) -> None:
    set_scheme(world, ABCD_PRESET)
    proposal = replied(world, reply_class="D")
    reply = Reply.objects.get(assignment__proposal=proposal)
    with pytest.raises(ValidationFailed):
        services.reply_review(actor=world.staff, reply=reply, reply_class="E", reason="x")
    services.reply_review(actor=world.staff, reply=reply, reply_class="A", reason="已经解决")
    reply.refresh_from_db()
    assert (reply.reply_class, reply.class_label, reply.solved) == ("A", "A类（已解决）", True)
    assert (reply.unit_class, reply.unit_class_label) == ("D", "D类（留作参考）")
    page = client_as(world.staff).get(reverse("proposals:detail", args=[proposal.pk])).content
    assert "D类（留作参考）" in page.decode()


def test_the_settings_page_edits_labels_and_applies_a_preset(world: World) -> None:
    client = client_as(world.staff)
    page = client.get(reverse("proposals:settings")).content.decode()
    assert 'id="answer-classes-form"' in page and "A类（已解决或采纳）" in page
    response = client.post(reverse("proposals:settings_answer_preset"), {"preset": "abcd"})
    assert response.status_code == 302
    assert stored(world) == ABCD_PRESET
    audit = AuditEvent.objects.get(action=SETTING_CHANGED, detail__setting=KEY)
    assert [c["label"] for c in audit.detail["new"]] == [c["label"] for c in ABCD_PRESET]
    rows = {
        "code_0": "A",
        "label_0": "A类（已经解决）",
        "solved_0": "on",
        "code_1": "B",
        "label_1": "B类（正在解决）",
        "code_2": "C",
        "label_2": "C类（留作参考）",
    }
    response = client.post(reverse("proposals:settings_answer_classes"), rows)
    assert response.status_code == 302
    assert [c["label"] for c in stored(world)] == [
        "A类（已经解决）",
        "B类（正在解决）",
        "C类（留作参考）",
    ]
    # None solved: refused, shown again with the error, nothing changed.
    refused = client.post(reverse("proposals:settings_answer_classes"), {**rows, "solved_0": ""})
    assert refused.status_code == 400
    assert 'id="answer-classes-form"' in refused.content.decode()
    assert stored(world)[0]["solved"] is True
    bad_preset = client.post(reverse("proposals:settings_answer_preset"), {"preset": "xyz"})
    assert bad_preset.status_code == 400


def test_four_classes_and_two_months_end_to_end(world: World) -> None:
    """A committee on A/B/C/D and a 2-month reply deadline: assignment,
    a "C" (列入计划) reply, the deadline, the statistics and the export."""
    committee_settings_update(
        actor=world.staff,
        committee=world.committee,
        values={KEY: ABCD_PRESET, "proposals.reply_months": 2},
    )
    proposal = assigned(world)
    assignment = lead_assignment(proposal)
    assert assignment.reply_due == workflow.add_months(assignment.assigned_on, 2)
    services.assignment_accept(actor=world.lead_user, assignment=assignment)
    services.assignment_precontact(
        actor=world.lead_user,
        assignment=assignment,
        when=timezone.localdate(),
        way="phone",
        summary="电话沟通。",
    )
    client = client_as(world.lead_user)
    # The unit's reply form offers the four classes.
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    for label in ("A类（已解决）", "B类（正在解决）", "C类（列入计划）", "D类（留作参考）"):
        assert f">{label}</option>" in page
    response = client.post(
        reverse("proposals:reply", args=[assignment.pk]),
        {"text": "列入明年计划。", "reply_class": "C"},
    )
    assert response.status_code == 302
    reply = Reply.objects.get(assignment=assignment)
    assert (reply.reply_class, reply.class_label, reply.solved) == ("C", "C类（列入计划）", False)
    proposal.refresh_from_db()
    assert proposal.events.filter(action="reply", note__contains="C类（列入计划）").exists()

    stats = client_as(world.staff).get(reverse("proposals:stats"))
    rows = {r["unit__name"]: r for r in stats.context["rows"]}
    lead = rows["测试市教育局"]
    assert [(c["code"], c["count"], c["share"]) for c in lead["classes"]] == [
        ("A", 0, 0.0),
        ("B", 0, 0.0),
        ("C", 1, 100.0),
        ("D", 0, 0.0),
    ]
    assert (lead["solved"], lead["solved_rate"]) == (0, 0.0)
    assert "C类（列入计划） (%)" in stats.content.decode()

    export = client_as(world.staff).get(reverse("proposals:export_stats"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    values = list(book.active.values)
    header = list(values[0])
    assert "C类（列入计划） (%)" in header and "D类（留作参考） (%)" in header
    row = next(r for r in values if r[0] == "测试市教育局")
    assert row[header.index("C类（列入计划） (%)")] == 100.0


def test_statistics_count_the_solved_mark_each_reply_recorded(world: World) -> None:
    replied(world, reply_class="A", title="一")
    set_scheme(world, [cls("A", "A类"), cls("S", "S类", True)])
    replied(world, reply_class="S", title="二")
    rows = {r["unit__name"]: r for r in selectors.unit_statistics(world.committee)}
    lead = rows["测试市教育局"]
    # The first reply counted as solved when made (old A); the second is S.
    assert (lead["solved"], lead["solved_rate"]) == (2, 100.0)
    assert [(c["code"], c["count"]) for c in lead["classes"]] == [("A", 1), ("S", 1)]


def test_statistics_take_the_same_queries_whatever_the_scheme(
    world: World, django_assert_max_num_queries: Any
) -> None:
    replied(world, reply_class="A")
    set_scheme(world, ABCD_PRESET)
    committee = type(world.committee).objects.get(pk=world.committee.pk)
    with django_assert_max_num_queries(3):
        selectors.unit_statistics(committee)


def test_the_migration_gives_existing_replies_the_old_labels(world: World) -> None:
    from django.apps import apps

    migration = importlib.import_module("lvzhi.proposals.migrations.0004_reply_class_scheme")
    proposal = replied(world, reply_class="A")
    reply = Reply.objects.get(assignment__proposal=proposal)
    Reply.objects.filter(pk=reply.pk).update(
        reply_class="C", unit_class="A", class_label="", unit_class_label="", solved=False
    )
    migration.fill_labels(apps, None)
    reply.refresh_from_db()
    assert (reply.class_label, reply.solved) == ("C类（留作参考）", False)
    assert reply.unit_class_label == "A类（已解决或采纳）"
    Reply.objects.filter(pk=reply.pk).update(reply_class="A", solved=False)
    migration.fill_labels(apps, None)
    reply.refresh_from_db()
    assert (reply.class_label, reply.solved) == ("A类（已解决或采纳）", True)

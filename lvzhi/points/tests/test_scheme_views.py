"""The policy-language pages: a draft from a shipped scheme or a file, the
scheme editor with located errors, the preview of who moves (before/after),
activation, export, staff entries; who may use them (duties staff of the
committee only), another committee's policy, and the member's page's
query count."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.core.models import AuditEvent
from lvzhi.core.testing import page_queries
from lvzhi.duties.models import DutyKind as K
from lvzhi.points import presets, schemefile, services
from lvzhi.points.models import MemberScore, Policy, PolicyEntry
from lvzhi.points.tests.helpers import YEAR, active_default_policy, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(committee, duties_staff, new_member):
    me, other = new_member(username="me"), new_member(username="other")
    policy = active_default_policy(committee)
    record(me, K.PLENARY_ATTENDED)
    record(me, K.RESEARCH)
    record(other, K.PROPOSAL_FILED)
    return {"me": me, "other": other, "policy": policy, "staff": duties_staff}


def new_from_preset(client, preset: str = "tongcheng-2019") -> Policy:
    response = client.post(reverse("points:policy_new"), {"year": YEAR, "preset": preset})
    assert response.status_code == 302
    return Policy.objects.filter(status=Policy.Status.DRAFT).latest("id")


def test_staff_start_from_a_shipped_scheme_preview_who_moves_and_activate(client, world):
    client.force_login(world["staff"])
    draft = new_from_preset(client)
    page = client.get(reverse("points:policy_edit", args=[draft.pk])).content.decode()
    assert "全体会议出席" in page and 'id="scheme-summary"' in page
    preview = client.get(reverse("points:policy_preview", args=[draft.pk]))
    rows = {r["pk"]: r for r in preview.context["page_obj"].object_list}
    # Me: plenary 30 + research 2 = 32 不称职 now; under Tongcheng 50 + 2 = 52 不合格.
    mine = rows[world["me"].pk]
    assert (mine["old_score"], mine["old_grade_label"]) == (Decimal("32.00"), "不称职")
    assert (mine["new_score"], mine["new_grade_label"]) == (Decimal("52.00"), "不合格")
    assert "不称职 → 不合格" in preview.content.decode()
    client.post(reverse("points:policy_activate", args=[draft.pk]))
    stored = MemberScore.objects.get(member=world["me"], year=YEAR)
    assert (stored.score, stored.grade_label) == (Decimal("52.00"), "不合格")
    # The preview equals what activation stored.
    assert all(
        MemberScore.objects.get(member_id=pk, year=YEAR).score == r["new_score"]
        for pk, r in rows.items()
    )


def test_the_scheme_editor_refuses_a_bad_scheme_with_located_errors(client, world):
    client.force_login(world["staff"])
    draft = new_from_preset(client)
    document = dict(draft.scheme)
    document["categories"] = [{**document["categories"][0], "part": "nowhere"}]
    url = reverse("points:policy_edit", args=[draft.pk])
    response = client.post(url, {"document": json.dumps(document, ensure_ascii=False)})
    assert response.status_code == 400
    assert "categories[0].part" in response.content.decode()
    broken = client.post(url, {"document": "{"})
    assert broken.status_code == 400
    draft.refresh_from_db()
    assert draft.scheme["categories"][0]["part"] == "total"  # nothing changed


def test_the_scheme_editor_saves_a_changed_scheme(client, world):
    client.force_login(world["staff"])
    draft = new_from_preset(client)
    document = dict(draft.scheme)
    document["kinds"] = [
        {**k, "points": 3} if k["code"] == "activity" else k for k in document["kinds"]
    ]
    url = reverse("points:policy_edit", args=[draft.pk])
    response = client.post(url, {"document": json.dumps(document, ensure_ascii=False)})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert next(k for k in draft.scheme["kinds"] if k["code"] == "activity")["points"] == 3


def test_a_scheme_file_imports_and_exports_unchanged(client, world):
    client.force_login(world["staff"])
    text = json.dumps(presets.scheme_preset("anqing-2018"), ensure_ascii=False).encode()
    upload = SimpleUploadedFile("anqing.json", text, content_type="application/json")
    response = client.post(reverse("points:policy_new"), {"year": YEAR, "upload": upload})
    assert response.status_code == 302
    draft = Policy.objects.filter(status=Policy.Status.DRAFT).latest("id")
    exported = client.get(reverse("points:policy_export", args=[draft.pk]))
    assert exported["Content-Disposition"].startswith("attachment")
    document = json.loads(exported.content)
    assert schemefile.load(document) == schemefile.load(presets.scheme_preset("anqing-2018"))
    assert AuditEvent.objects.filter(action="points.policy_export").exists()


def test_a_simple_policy_exports_as_the_scheme_it_stands_for(client, world):
    client.force_login(world["staff"])
    document = json.loads(
        client.get(reverse("points:policy_export", args=[world["policy"].pk])).content
    )
    scheme = schemefile.load(document)
    assert [s.code for s in scheme.requirement_sets] == ["six-ones"]
    assert scheme.kind("plenary_attended").points == 30


def test_a_bad_file_is_refused_and_nothing_is_created(client, world):
    client.force_login(world["staff"])
    before = Policy.objects.count()
    for content in (b"not json", b'{"format": "lvzhi.points/1"}', b"\xff\xfe"):
        upload = SimpleUploadedFile("x.json", content, content_type="application/json")
        response = client.post(reverse("points:policy_new"), {"year": YEAR, "upload": upload})
        assert response.status_code == 400
    both = client.post(
        reverse("points:policy_new"),
        {"year": YEAR, "preset": "default", "upload": SimpleUploadedFile("x.json", b"{}")},
    )
    assert both.status_code == 400
    assert Policy.objects.count() == before


def test_staff_record_an_adjustment_and_remove_it(client, world):
    client.force_login(world["staff"])
    me = world["me"]
    response = client.post(
        reverse("points:entry_add") + f"?year={YEAR}",
        {"member": me.pk, "entry_type": "adjustment", "points": "2.5", "reason": "牵头调研"},
    )
    assert response.status_code == 302
    assert MemberScore.objects.get(member=me, year=YEAR).score == Decimal("34.50")
    listing = client.get(reverse("points:entry_list") + f"?year={YEAR}").content.decode()
    assert "牵头调研" in listing
    entry = PolicyEntry.objects.get()
    client.post(reverse("points:entry_remove", args=[entry.pk]))
    assert MemberScore.objects.get(member=me, year=YEAR).score == Decimal("32.00")


def test_an_entry_needs_a_reason_and_a_kind_of_the_scheme(client, world):
    client.force_login(world["staff"])
    url = reverse("points:entry_add") + f"?year={YEAR}"
    no_reason = {"member": world["me"].pk, "entry_type": "adjustment", "points": "2"}
    assert client.post(url, no_reason).status_code == 400
    veto = {"member": world["me"].pk, "entry_type": "veto", "code": "x", "reason": "r"}
    assert client.post(url, veto).status_code == 400
    assert not PolicyEntry.objects.exists()


@pytest.mark.parametrize("role", ["member", "leader", "other_staff"])
def test_only_duties_staff_of_the_committee_use_the_editor(
    client, world, make_user, committee, role
):
    draft = services.policy_create_preset(
        committee=committee, year=YEAR, actor=None, preset="hefei-2015"
    )
    users = {
        "member": lambda: world["me"].person.user,
        "leader": lambda: make_user(Role.LEADER, committee),
        "other_staff": lambda: make_user(Role.STAFF, committee, Area.PROPOSALS),
    }
    client.force_login(users[role]())
    for url in (
        reverse("points:policy_new"),
        reverse("points:policy_edit", args=[draft.pk]),
        reverse("points:policy_export", args=[draft.pk]),
        reverse("points:entry_list"),
        reverse("points:entry_add"),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("points:policy_new"), {"year": YEAR, "preset": "default"}).status_code
        == 403
    )


def test_another_committees_policy_is_not_found(client, world, other_committee):
    theirs = services.policy_create_preset(
        committee=other_committee, year=YEAR, actor=None, preset="default"
    )
    client.force_login(world["staff"])
    assert client.get(reverse("points:policy_edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("points:policy_export", args=[theirs.pk])).status_code == 404


def test_my_points_page_takes_at_most_15_queries_whatever_the_records(client, committee, world):
    services.policy_activate(
        policy=services.policy_create_preset(
            committee=committee, year=YEAR, actor=None, preset="tongcheng-2019"
        ),
        actor=None,
    )
    client.force_login(world["me"].person.user)
    url = reverse("points:my_points") + f"?year={YEAR}"

    small = page_queries(client, url)
    for kind in [K.RESEARCH, K.OPINION_SUBMITTED, K.PROPOSAL_FILED] * 4:
        record(world["me"], kind)
    assert page_queries(client, url) == small
    assert small <= 15

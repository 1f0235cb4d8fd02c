"""The scheme built on the page: a blank scheme to start from, and each
element of the scheme (part, category, kind, grade, requirement item)
added, changed and removed through its own small form, the whole document
saved through ``services.policy_scheme_update``; who may do it (duties
staff of the committee, drafts only)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.duties.models import DutyKind as K
from lvzhi.points import language, schemefile, services
from lvzhi.points.models import MemberScore, Policy
from lvzhi.points.scheme_forms import ELEMENTS, POSITIONS
from lvzhi.points.tests.helpers import YEAR, record

pytestmark = pytest.mark.django_db


def test_a_blank_scheme_is_a_valid_scheme_that_scores_nothing():
    scheme = schemefile.load(schemefile.blank())
    assert (scheme.parts, scheme.kinds, scheme.grades) == ((), (), ())
    result = language.evaluate(scheme, language.MemberYear())
    assert (result.score, result.grade) == (Decimal("0.00"), "")
    assert schemefile.load(schemefile.dump(scheme)) == scheme


def test_staff_start_a_blank_scheme_preview_and_activate_it(
    client, committee, duties_staff, new_member
):
    member = new_member(username="m1")
    record(member, K.PLENARY_ATTENDED)
    client.force_login(duties_staff)
    response = client.post(reverse("points:policy_new"), {"year": YEAR, "preset": "blank"})
    assert response.status_code == 302
    draft = Policy.objects.get(committee=committee, year=YEAR)
    assert draft.scheme["parts"] == [] and draft.status == Policy.Status.DRAFT
    page = client.get(reverse("points:policy_edit", args=[draft.pk]))
    assert page.status_code == 200
    assert client.get(reverse("points:policy_preview", args=[draft.pk])).status_code == 200
    client.post(reverse("points:policy_activate", args=[draft.pk]))
    assert MemberScore.objects.get(member=member, year=YEAR).score == Decimal("0.00")


# --- Element by element -------------------------------------------------------------------


@pytest.fixture
def blank(committee) -> Policy:
    return services.policy_import(
        committee=committee, year=YEAR, actor=None, document=schemefile.blank()
    )


def new_url(policy: Policy, element: str) -> str:
    return reverse("points:scheme_element_new", args=[policy.pk, element])


def edit_url(policy: Policy, element: str, index: int = 0) -> str:
    return reverse("points:scheme_element", args=[policy.pk, element, index])


def post_ok(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()


PART = {"label": "履职积分", "base": "0", "cap": "100", "floor": "0"}
CATEGORY = {"label": "会议", "part": "part1", "cap": "60"}
KIND = {
    "label": "全会出席",
    "category": "category1",
    "points": "30",
    "events": ["plenary_attended"],
}


def build(client, policy: Policy) -> None:
    post_ok(client, new_url(policy, "part"), PART)
    post_ok(client, new_url(policy, "category"), CATEGORY)
    post_ok(client, new_url(policy, "kind"), KIND)


def test_staff_build_a_scheme_element_by_element(client, duties_staff, blank):
    client.force_login(duties_staff)
    build(client, blank)
    post_ok(
        client,
        new_url(blank, "kind"),
        {
            "code": "proposal",
            "label": "提案立案",
            "category": "category1",
            "points": "1/3",
            "events": ["proposal_registered", "proposal_key"],
            "count_from": "2",
            "count_at_most": "4",
            "count_tiers": "2 30\n4：50",
            "roles": "on",
            "roles_lead": "1/2",
            "roles_others": "0.5",
            "roles_split": "on",
            "roles_at_most": "3",
            "position_standing": "-2",
            "position_chair": "0",
            "cap": "20",
        },
    )
    post_ok(client, new_url(blank, "grade"), {"label": "合格", "minimum": "60"})
    post_ok(client, new_url(blank, "grade"), {"label": "优秀", "minimum": "85"})
    post_ok(
        client, new_url(blank, "item"), {"label": "一件提案", "kinds": ["proposal"], "count": "1"}
    )
    blank.refresh_from_db()
    scheme = schemefile.load(blank.scheme)
    assert [p.label for p in scheme.parts] == ["履职积分"]
    assert scheme.parts[0].cap == 100 and scheme.categories[0].cap == 60
    kind = scheme.kind("proposal")
    assert kind.points == Fraction(1, 3) and kind.events == ("proposal_registered", "proposal_key")
    assert kind.count == language.CountRule(2, 4, False, ((2, Fraction(30)), (4, Fraction(50))))
    assert kind.roles == language.Roles(Fraction(1, 2), Fraction(1, 2), True, 3)
    assert kind.positions == {"standing": -2, "chair": 0} and kind.cap == 20
    # The grades are kept from the highest down whatever the order they were added in.
    assert [(g.label, g.minimum) for g in scheme.grades] == [("优秀", 85), ("合格", 60)]
    assert scheme.requirement_sets[0].items[0].kinds == ("proposal",)
    assert Policy.objects.get(pk=blank.pk).version == blank.version
    page = client.get(reverse("points:policy_edit", args=[blank.pk])).content.decode()
    assert "提案立案" in page and "全会出席" in page and 'id="add-kind"' in page

    # Changing a kind's code follows into the requirement items; the form shows what it holds.
    form = client.get(edit_url(blank, "kind", 1)).context["form"]
    positions = [name for name in form.fields if name.startswith("position_")]
    assert positions == [
        "position_standing",
        "position_chair",
        "position_vice_chair",
        "position_secretary_general",
    ]
    assert len({code for code, _label in POSITIONS}) == len(POSITIONS)  # each once
    assert form.initial["count_tiers"] == "2 30\n4 50" and form.initial["roles_lead"] == "0.5"
    post_ok(
        client,
        edit_url(blank, "kind", 1),
        {
            **KIND,
            "code": "motion",
            "label": "提案",
            "events": ["proposal_registered"],
            "points": "10",
        },
    )
    blank.refresh_from_db()
    assert blank.scheme["kinds"][1]["code"] == "motion"
    assert blank.scheme["kinds"][1].get("roles") is None
    assert blank.scheme["requirement_sets"][0]["items"][0]["kinds"] == ["motion"]
    # Remove the requirement item, then the kind.
    client.post(reverse("points:scheme_element_remove", args=[blank.pk, "item", 0]))
    client.post(reverse("points:scheme_element_remove", args=[blank.pk, "kind", 1]))
    blank.refresh_from_db()
    assert [k["code"] for k in blank.scheme["kinds"]] == ["kind1"]
    assert blank.scheme["requirement_sets"][0]["items"] == []


def test_bad_input_is_refused_in_chinese_and_nothing_changes(client, duties_staff, blank):
    client.force_login(duties_staff)
    build(client, blank)
    blank.refresh_from_db()
    before = blank.scheme
    # The form's own checks, in Chinese, what was typed kept.
    response = client.post(new_url(blank, "kind"), {**KIND, "points": "三十", "count_tiers": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写数字，如 5、2.5 或 1/3。" in page and "全会出席" in page
    # The parser's located refusal: an event already counted by another kind.
    response = client.post(new_url(blank, "kind"), {**KIND, "label": "又一个"})
    assert response.status_code == 400
    assert "kinds[1].events[0]" in response.content.decode()
    # Removing the part its category belongs to is refused with the parser's message.
    response = client.post(
        reverse("points:scheme_element_remove", args=[blank.pk, "part", 0]), follow=True
    )
    assert "categories[0].part" in response.content.decode()
    blank.refresh_from_db()
    assert blank.scheme == before
    assert client.get(edit_url(blank, "grade", 5)).status_code == 404
    assert client.get(new_url(blank, "nothing")).status_code == 404


FULL = {
    "parts": [{"code": "p", "label": "部分"}],
    "categories": [{"code": "c", "label": "类别", "part": "p"}],
    "kinds": [{"code": "k", "label": "出席", "category": "c", "points": 1, "events": []}],
    "grades": [{"code": "g", "label": "合格", "from": 60}],
    "requirement_sets": [
        {"code": "r", "label": "一个一", "items": [{"label": "一次", "kinds": ["k"]}]}
    ],
    "vetoes": [{"code": "v", "label": "违纪", "cap_grade": "g"}],
}


@pytest.mark.parametrize("element", list(ELEMENTS))
def test_only_points_staff_of_the_committee_edit_a_draft(
    client, other_committee, duties_staff, make_user, new_member, blank, element
):
    member = new_member(username="plain")
    others = make_user(Role.STAFF, other_committee, Area.DUTIES, username="other_staff")
    services.policy_scheme_update(policy=blank, actor=None, document={**blank.scheme, **FULL})
    blank.refresh_from_db()
    before = blank.scheme
    single = ELEMENTS[element].single
    urls = [edit_url(blank, element)] + ([] if single else [new_url(blank, element)])
    remove = reverse("points:scheme_element_remove", args=[blank.pk, element, 0])
    client.force_login(member.person.user)
    assert {client.get(u).status_code for u in urls} == {403}
    assert client.post(urls[0], {"label": "改"}).status_code == 403
    client.force_login(others)
    assert {client.get(u).status_code for u in urls} == {404}
    assert client.post(remove).status_code == 404
    client.force_login(duties_staff)
    assert {client.get(u).status_code for u in urls} == {200}
    services.policy_activate(policy=blank, actor=None)
    assert {client.get(u).status_code for u in urls} == {403}
    assert client.post(urls[0], {"label": "改"}).status_code == 403
    assert client.post(remove).status_code == 403
    blank.refresh_from_db()
    assert blank.scheme == before
    page = client.get(reverse("points:policy_edit", args=[blank.pk])).content.decode()
    assert f"/scheme/{element}/" not in page


def test_the_scheme_its_required_duties_vetoes_and_category_tiers(client, duties_staff, blank):
    client.force_login(duties_staff)
    build(client, blank)
    post_ok(client, new_url(blank, "grade"), {"label": "合格", "minimum": "60"})
    post_ok(client, new_url(blank, "grade"), {"label": "不合格", "minimum": "0"})
    post_ok(
        client,
        edit_url(blank, "scheme"),
        {"name": "本县方案", "minimum": "-10", "maximum": "120", "places": "1"},
    )
    post_ok(client, edit_url(blank, "category"), {**CATEGORY, "tiers": "2 30\n3 45"})
    post_ok(client, edit_url(blank, "requirements"), {"label": "三个一", "cap_grade": "grade2"})
    post_ok(client, new_url(blank, "item"), {"label": "一次出席", "kinds": ["kind1"], "count": "1"})
    post_ok(client, new_url(blank, "veto"), {"label": "违纪", "cap_grade": "grade2"})
    blank.refresh_from_db()
    scheme = schemefile.load(blank.scheme)
    assert (scheme.name, scheme.minimum, scheme.maximum, scheme.places) == ("本县方案", -10, 120, 1)
    assert scheme.categories[0].tiers == ((2, Fraction(30)), (3, Fraction(45)))
    (rset,) = scheme.requirement_sets
    assert (rset.label, rset.cap_grade, len(rset.items)) == ("三个一", "grade2", 1)
    assert [(v.code, v.cap_grade) for v in scheme.vetoes] == [("veto1", "grade2")]
    assert blank.name == "本县方案"
    # The scheme and its required duties are one each: never added or removed.
    assert client.get(new_url(blank, "scheme")).status_code == 404
    remove = reverse("points:scheme_element_remove", args=[blank.pk, "requirements", 0])
    assert client.post(remove).status_code == 404
    # A bad tier line is refused on its field, what was typed kept.
    response = client.post(edit_url(blank, "category"), {**CATEGORY, "tiers": "两次 30"})
    assert response.status_code == 400 and "tiers" in response.context["form"].errors
    assert "两次 30" in response.content.decode()


def test_a_form_or_delete_button_of_a_scheme_changed_meanwhile_is_refused(
    client, duties_staff, blank
):
    client.force_login(duties_staff)
    build(client, blank)
    post_ok(client, new_url(blank, "kind"), {**KIND, "label": "全会请假", "events": []})
    form = client.get(edit_url(blank, "kind", 1)).context["form"]
    seen = form.initial["seen"]
    # Someone else removes the first kind: the page's positions are stale.
    post_ok(client, reverse("points:scheme_element_remove", args=[blank.pk, "kind", 0]), {})
    blank.refresh_from_db()
    before = blank.scheme
    response = client.post(edit_url(blank, "kind", 0), {**KIND, "seen": seen})
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    remove = reverse("points:scheme_element_remove", args=[blank.pk, "kind", 0])
    client.post(remove, {"seen": seen})
    blank.refresh_from_db()
    assert blank.scheme == before and [k["label"] for k in before["kinds"]] == ["全会请假"]

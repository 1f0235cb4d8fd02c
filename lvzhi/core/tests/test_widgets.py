"""The people picker (lvzhi/core/widgets.py): what it renders for the
browser (each option's groups, the groups to add by), that it reads the
groups in a bounded number of queries, and that the four forms using it
still refuse another committee's member."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lvzhi.consultations.forms import InspectionForm
from lvzhi.consultations.models import SupervisionItem
from lvzhi.core.testing import assert_same_queries, page_queries
from lvzhi.core.widgets import PeoplePicker
from lvzhi.duties.forms import ActivityForm
from lvzhi.opinions.forms import ReportForm
from lvzhi.org.models import Committee, Member, Sector
from lvzhi.org.tests.factories import (
    MemberFactory,
    SectorFactory,
    SpecialCommitteeFactory,
    StudioFactory,
)
from lvzhi.proposals.forms import ProposalForm
from lvzhi.proposals.tests.conftest import World, build_world

pytestmark = pytest.mark.django_db


class Groups:
    """Two sectors, two special committees, an active and a closed studio."""

    def __init__(self, committee: Committee) -> None:
        self.committee = committee
        self.economy = SectorFactory(committee=committee, name="经济界", order=1)
        self.education = SectorFactory(committee=committee, name="教育界", order=2)
        self.proposals = SpecialCommitteeFactory(committee=committee, name="提案委员会")
        self.culture = SpecialCommitteeFactory(committee=committee, name="文史委员会")
        self.studio = StudioFactory(committee=committee, name="乡村振兴工作室")
        self.closed = StudioFactory(committee=committee, name="已关闭工作室", is_active=False)

    def member(self, name: str, sector: Sector, *, specials=(), studios=(), **kw: Any) -> Member:
        member = MemberFactory(committee=self.committee, sector=sector, person__name=name, **kw)
        member.special_committees.set(specials)
        for studio in studios:
            studio.members.add(member)
        return member


class PickForm(forms.Form):
    people = forms.ModelMultipleChoiceField(queryset=Member.objects.none(), widget=PeoplePicker)

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = Member.objects.filter(committee=committee).select_related("person")
        self.fields["people"].queryset = queryset.order_by("id")  # type: ignore[attr-defined]


def option_of(html: str, member: Member) -> str:
    found = re.search(rf'<option value="{member.pk}"[^>]*>', html)
    assert found, html
    return found.group(0)


def test_each_option_carries_its_groups_and_the_select_lists_them() -> None:
    g = Groups(build_world("w1").committee)
    wang = g.member("王经济", g.economy, specials=[g.proposals, g.culture], studios=[g.studio])
    li = g.member("李教育", g.education, studios=[g.closed])
    html = str(PickForm(committee=g.committee, initial={"people": [li.pk]})["people"])

    assert "data-picker" in html and "multiple" in html
    wang_option = option_of(html, wang)
    assert f'data-sector="{g.economy.pk}"' in wang_option
    assert f'data-special="{g.proposals.pk} {g.culture.pk}"' in wang_option or (
        f'data-special="{g.culture.pk} {g.proposals.pk}"' in wang_option
    )
    assert f'data-studio="{g.studio.pk}"' in wang_option
    li_option = option_of(html, li)
    assert f'data-sector="{g.education.pk}"' in li_option
    # A closed studio is no group to add by; a member with no special committee has no attribute.
    assert "data-studio" not in li_option and "data-special" not in li_option
    assert "selected" in li_option and "selected" not in wang_option

    found = re.search(r'data-picker-groups="([^"]*)"', html)
    assert found
    groups = json.loads(found.group(1).replace("&quot;", '"'))
    sectors, specials, studios = (dict(group["choices"]) for group in groups)
    names = list(sectors.values())
    assert names.index("经济界") < names.index("教育界")  # in the sectors' order
    assert specials[f"special:{g.proposals.pk}"] == "提案委员会"
    assert studios == {f"studio:{g.studio.pk}": "乡村振兴工作室"}


def test_the_labels_are_chinese_for_a_chinese_page() -> None:
    g = Groups(build_world("w2").committee)
    g.member("王经济", g.economy)
    with translation.override("zh-hans"):
        html = str(PickForm(committee=g.committee)["people"])
    assert 'data-picker-remove="移除"' in html and 'data-picker-add="添加"' in html
    assert "界别" in html


def test_the_picker_reads_the_groups_in_the_same_queries_for_n_or_3n_people() -> None:
    g = Groups(build_world("w3").committee)

    def build(n: int) -> None:
        for i in range(n):
            sector = g.economy if i % 2 else g.education
            g.member(f"委员{i}", sector, specials=[g.proposals], studios=[g.studio])

    def measure() -> int:
        form = PickForm(committee=g.committee)
        with CaptureQueriesContext(connection) as queries:
            str(form["people"])
        return len(queries)

    # The members (with person and sector), their special committees, their studios.
    assert assert_same_queries(build, measure, n=4) == 3


def test_the_new_proposal_page_costs_the_same_for_n_or_3n_candidates(client: Any) -> None:
    world = build_world("w4")
    g = Groups(world.committee)
    client.force_login(world.proposer_user)

    def build(n: int) -> None:
        for i in range(n):
            g.member(
                f"附议{i}", g.economy, specials=[g.culture], studios=[g.studio], term=world.term
            )

    assert_same_queries(build, lambda: page_queries(client, reverse("proposals:create")), n=3)
    html = client.get(reverse("proposals:create")).content.decode()
    assert 'id="id_cosigners"' in html and "data-picker" in html
    assert "tom-select.complete.min.js" in html and "js/picker.js" in html


# --- The forms still check every id ---------------------------------------------------


@pytest.fixture
def world() -> World:
    return build_world("w5")


def errors_zh(form: forms.BaseForm, field: str) -> str:
    with translation.override("zh-hans"):
        form.is_valid()
        text = " ".join(str(e) for e in form.errors.get(field, []))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    return text


def test_the_co_signer_picker_refuses_another_committees_member(world: World) -> None:
    form = ProposalForm(
        {"cosigners": [world.other_member.pk]}, committee=world.committee, proposer=world.proposer
    )
    assert isinstance(form.fields["cosigners"].widget, PeoplePicker)
    errors_zh(form, "cosigners")
    ok = ProposalForm(
        {"cosigners": [world.cosigner.pk]}, committee=world.committee, proposer=world.proposer
    )
    ok.is_valid()
    assert "cosigners" not in ok.errors


def test_the_co_submitter_picker_refuses_another_committees_member(world: World) -> None:
    form = ReportForm(
        {"co_submitters": [world.other_member.pk]},
        committee=world.committee,
        author=world.proposer,
        max_chars=3000,
    )
    assert isinstance(form.fields["co_submitters"].widget, PeoplePicker)
    with translation.override("zh-hans"):
        expected = str(form.fields["co_submitters"].error_messages["invalid_choice"])
    assert errors_zh(form, "co_submitters") == expected


def test_the_invitee_picker_refuses_another_committees_member(world: World) -> None:
    form = ActivityForm({"scope_members": [world.other_member.pk]}, committee=world.committee)
    assert isinstance(form.fields["scope_members"].widget, PeoplePicker)
    errors_zh(form, "scope_members")


def test_the_participant_picker_refuses_another_committees_member(world: World) -> None:
    item = SupervisionItem(committee=world.committee)
    form = InspectionForm({"participants": [world.other_member.pk]}, item=item)
    assert isinstance(form.fields["participants"].widget, PeoplePicker)
    with translation.override("zh-hans"):
        message = str(form.fields["participants"].error_messages["invalid_choice"])
    assert errors_zh(form, "participants") == message % {"value": world.other_member.pk}

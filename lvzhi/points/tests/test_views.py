"""Points pages: the member's own score and progress, staff rankings and
exports, policy editing with preview, assessments, bulletins, duty files;
permissions, bad input, another committee's objects, constant query counts."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from lvzhi.accounts.models import Area, Role
from lvzhi.core.testing import page_queries
from lvzhi.duties.models import DutyKind as K
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.tests.factories import CommitteeFactory
from lvzhi.points import services
from lvzhi.points.models import Assessment, Bulletin, Policy, PolicyKindPoints
from lvzhi.points.tests.helpers import YEAR, active_default_policy, open_assessment, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(committee, duties_staff, new_member):
    me, other = new_member(username="me"), new_member(username="other")
    policy = active_default_policy(committee)
    for kind in (K.PLENARY_ATTENDED, K.RESEARCH, K.PROPOSAL_FILED, K.OPINION_SUBMITTED):
        record(me, kind)
    record(other, K.PLENARY_ATTENDED)
    record(other, K.PLENARY_ATTENDED)
    return {"me": me, "other": other, "policy": policy, "staff": duties_staff}


def test_the_member_sees_score_grade_rank_sources_and_progress(client, world):
    client.force_login(world["me"].person.user)
    body = client.get(reverse("points:my_points") + f"?year={YEAR}").content.decode()
    assert 'id="my-score">40.00<' in body
    assert 'id="my-rank">2<' in body
    assert "3/6" in body  # research, proposal and report of the six
    assert world["other"].person.name not in body  # only their own rank, no one else's


def test_members_cannot_see_rankings_or_others_files(client, world):
    client.force_login(world["me"].person.user)
    assert client.get(reverse("points:ranking")).status_code == 403
    assert client.get(reverse("points:duty_file", args=[world["other"].pk])).status_code == 403
    assert client.get(reverse("points:policy_list")).status_code == 403
    assert client.get(reverse("points:duty_file_mine") + f"?year={YEAR}").status_code == 200


def test_staff_pages_open(client, world):
    client.force_login(world["staff"])
    assessment = open_assessment(world["me"], YEAR)
    bulletin = services.bulletin_generate(committee=world["policy"].committee, year=YEAR, quarter=2)
    for url in [
        reverse("points:ranking") + f"?year={YEAR}",
        reverse("points:candidates") + f"?year={YEAR}",
        reverse("points:policy_list"),
        reverse("points:policy_edit", args=[world["policy"].pk]),
        reverse("points:assessment_list") + f"?year={YEAR}",
        reverse("points:assessment_review", args=[assessment.pk]),
        reverse("points:bulletin_list"),
        reverse("points:bulletin_detail", args=[bulletin.pk]),
        reverse("points:duty_file", args=[world["me"].pk]) + f"?year={YEAR}",
        reverse("home"),
    ]:
        assert client.get(url).status_code == 200, url


def test_rankings_filter_and_export(client, world):
    client.force_login(world["staff"])
    body = client.get(
        reverse("points:ranking") + f"?year={YEAR}&sector={world['me'].sector_id}"
    ).content.decode()
    assert world["me"].person.name in body and world["other"].person.name not in body
    response = client.get(reverse("points:ranking") + f"?year={YEAR}&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == world["other"].person.name and rows[1][3] == 60


def test_ranking_query_count_does_not_grow(client, committee, world, new_member):
    client.force_login(world["staff"])
    url = reverse("points:ranking") + f"?year={YEAR}"

    small = page_queries(client, url)
    for _ in range(6):
        record(new_member(), K.RESEARCH)
    assert page_queries(client, url) == small


def test_the_duty_file_shows_the_stored_score_and_the_notes_in_constant_queries(client, world):
    import datetime as dt

    from lvzhi.duties import services as duties_services

    me = world["me"]
    client.force_login(me.person.user)
    url = reverse("points:duty_file_mine") + f"?year={YEAR}"

    def add(n: int) -> None:
        for i in range(n):
            duties_services.study_note_save(
                member=me,
                actor=me.person.user,
                title=f"心得{i}",
                text="正文",
                date=dt.date(YEAR, 3, 1),
            )
            record(me, K.RESEARCH)

    add(2)
    small = page_queries(client, url)
    add(6)
    assert page_queries(client, url) == small <= 15
    body = client.get(url).content.decode()
    assert body.count("心得") >= 8 * 2  # each note in the records and in the notes
    assert f"<td>{me.scores.get(year=YEAR).score}</td>" in body


def test_policy_edit_preview_and_activate_through_the_pages(client, world):
    client.force_login(world["staff"])
    client.post(reverse("points:policy_copy", args=[world["policy"].pk]))
    draft = Policy.objects.get(status=Policy.Status.DRAFT)
    form = client.get(reverse("points:policy_edit", args=[draft.pk])).context["form"]
    data = {
        k: ("" if v is None else (v.pk if hasattr(v, "pk") else v)) for k, v in form.initial.items()
    }
    data["points_research"] = "10"
    response = client.post(reverse("points:policy_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    preview = client.get(reverse("points:policy_preview", args=[draft.pk])).content.decode()
    assert world["me"].person.name in preview and "+8" not in preview
    client.post(reverse("points:policy_activate", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Policy.Status.ACTIVE
    assert world["me"].scores.get(year=YEAR).score == Decimal("48.00")


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"cap_activities": "-1"}, "负"),
        ({"excellent_threshold": "50", "competent_threshold": "60"}, "顺序"),
        ({"base_score": "abc"}, ""),
    ],
)
def test_a_bad_policy_on_the_page_changes_nothing(client, world, change, text, settings):
    client.force_login(world["staff"])
    draft = services.policy_copy(policy=world["policy"], actor=None)
    form = client.get(reverse("points:policy_edit", args=[draft.pk])).context["form"]
    data = {
        k: ("" if v is None else (v.pk if hasattr(v, "pk") else v)) for k, v in form.initial.items()
    }
    data.update(change)
    data["points_research"] = "9"
    response = client.post(reverse("points:policy_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert PolicyKindPoints.objects.get(policy=draft, kind="research").points == Decimal(2)


def test_self_report_review_publish_through_the_pages(client, world):
    me = world["me"]
    client.force_login(me.person.user)
    assert (
        client.post(reverse("points:self_report") + f"?year={YEAR}", {"text": ""}).status_code
        == 400
    )
    client.post(reverse("points:self_report") + f"?year={YEAR}", {"text": "述职报告正文"})
    assessment = Assessment.objects.get(member=me)
    client.force_login(world["staff"])
    bad = client.post(
        reverse("points:assessment_review", args=[assessment.pk]), {"adjustment": "5", "reason": ""}
    )
    assert bad.status_code == 400
    client.post(
        reverse("points:assessment_review", args=[assessment.pk]),
        {"adjustment": "5", "reason": "志愿服务突出"},
    )
    client.post(reverse("points:assessment_publish", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert (assessment.state, assessment.final_score) == (
        Assessment.State.PUBLISHED,
        Decimal("45.00"),
    )
    assert assessment.flag_below_competent


def test_bulletins_generated_reviewed_published_and_exported(client, world, make_user):
    client.force_login(world["staff"])
    client.post(reverse("points:bulletin_generate"), {"year": YEAR, "quarter": 2})
    bulletin = Bulletin.objects.get()
    leader = make_user(Role.LEADER, world["policy"].committee)
    client.force_login(leader)
    assert (
        client.get(reverse("points:bulletin_detail", args=[bulletin.pk])).status_code == 404
    )  # not yet published
    client.force_login(world["staff"])
    client.post(reverse("points:bulletin_publish", args=[bulletin.pk]), {"note": "通报"})
    client.force_login(leader)
    assert client.get(reverse("points:bulletin_detail", args=[bulletin.pk])).status_code == 200
    response = client.get(reverse("points:bulletin_export", args=[bulletin.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1 + len(bulletin.data["sectors"])


def test_another_committees_points_objects_are_not_found(client, world, make_user):
    elsewhere = CommitteeFactory(code="elsewhere")
    foreign = make_member(elsewhere)
    foreign_policy = active_default_policy(elsewhere)
    foreign_assessment = open_assessment(foreign, YEAR)
    foreign_bulletin = services.bulletin_generate(committee=elsewhere, year=YEAR, quarter=1)
    client.force_login(world["staff"])
    for url in [
        reverse("points:policy_edit", args=[foreign_policy.pk]),
        reverse("points:policy_preview", args=[foreign_policy.pk]),
        reverse("points:assessment_review", args=[foreign_assessment.pk]),
        reverse("points:bulletin_detail", args=[foreign_bulletin.pk]),
        reverse("points:duty_file", args=[foreign.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("points:policy_activate", args=[foreign_policy.pk])).status_code == 404
    )
    other_staff = make_user(Role.STAFF, world["policy"].committee, Area.PROPOSALS)
    client.force_login(other_staff)
    assert client.get(reverse("points:policy_list")).status_code == 403


def test_home_page_links_member_and_staff_pages(client, world):
    client.force_login(world["me"].person.user)
    body = client.get(reverse("home")).content.decode()
    assert reverse("points:my_points") in body and reverse("duties:my_duties") in body
    client.force_login(world["staff"])
    body = client.get(reverse("home")).content.decode()
    assert reverse("points:ranking") in body and reverse("duties:activity_list") in body

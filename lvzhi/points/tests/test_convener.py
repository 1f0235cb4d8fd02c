"""The convener's sector page (界别召集人): who may open it and record a
talk (the rules matrix), the members below the year's line as the policy
sets it (not a constant 60), two years running flagged, the talk service
(audited, bad input refused with nothing saved, a double submission stored
once), the sector's rotation work, the home to-do and a constant query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from lvzhi.accounts.models import Area, Role
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.core.permissions import has_perm
from lvzhi.core.testing import assert_same_queries, page_queries
from lvzhi.duties.models import DutyKind as K
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.tests.factories import SectorFactory
from lvzhi.org.tests.todo_helpers import counts
from lvzhi.points import scoring, sector_views, services
from lvzhi.points.models import TalkRecord
from lvzhi.points.tests.helpers import YEAR, active_default_policy, record
from lvzhi.studios.models import DutyWeek, RotationPlan

pytestmark = pytest.mark.django_db

TALK_DAY = dt.date(YEAR, 6, 1)


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture
def world(committee, other_committee, make_user):
    sector, other_sector = SectorFactory(committee=committee), SectorFactory(committee=committee)
    far_sector = SectorFactory(committee=other_committee)
    convener = make_member(committee, sector=sector)
    sector.conveners.add(convener)
    other_convener = make_member(committee, sector=other_sector)
    other_sector.conveners.add(other_convener)
    far_convener = make_member(other_committee, sector=far_sector)
    far_sector.conveners.add(far_convener)
    low, fine = make_member(committee, sector=sector), make_member(committee, sector=sector)
    # Last year everyone scored 0: below the line.
    active_default_policy(committee, year=YEAR - 1)
    # This year's scale: competent from 5 points (the policy's, not 60).
    policy = active_default_policy(
        committee, competent_threshold=Decimal(5), excellent_threshold=Decimal(50)
    )
    record(fine, K.PROPOSAL_FILED)  # 5 points: competent under this policy
    record(convener, K.PROPOSAL_FILED)
    record(low, K.RESEARCH)  # 2 points: below
    return {
        "committee": committee,
        "sector": sector,
        "other_sector": other_sector,
        "far_sector": far_sector,
        "convener": convener.person.user,
        "other_convener": other_convener.person.user,
        "far_convener": far_convener.person.user,
        "member": low.person.user,
        "low": low,
        "fine": fine,
        "policy": policy,
        "staff": make_user(Role.STAFF, committee, Area.DUTIES),
        "org_staff": make_user(Role.STAFF, committee, Area.ORG),
        "leader": make_user(Role.LEADER, committee),
        "far_leader": make_user(Role.LEADER, other_committee),
        "far_staff": make_user(Role.STAFF, other_committee, Area.DUTIES),
    }


def sector_url(sector, year: int = YEAR) -> str:
    return reverse("points:sector", args=[sector.pk]) + f"?year={year}"


def talk_url(world, member=None) -> str:
    member = member or world["low"]
    return reverse("points:talk_add", args=[world["sector"].pk, member.pk]) + f"?year={YEAR}"


# who, may view the sector, may record a talk with its member, page status
MATRIX = [
    ("convener", True, True, 200),
    ("other_convener", False, False, 404),
    ("member", False, False, 404),
    ("staff", True, True, 200),
    ("org_staff", False, False, 404),
    ("leader", True, False, 200),
    ("far_convener", False, False, 404),
    ("far_leader", False, False, 404),
    ("far_staff", False, False, 404),
]


@pytest.mark.parametrize(("who", "view", "talk", "status"), MATRIX)
def test_the_rules_matrix_of_the_sector_page(client, world, who, view, talk, status):
    user = world[who]
    assert has_perm(user, "points.view_sector", world["sector"]) is view
    assert has_perm(user, "points.record_talk", world["low"]) is talk
    client.force_login(user)
    assert client.get(sector_url(world["sector"])).status_code == status
    assert client.get(talk_url(world)).status_code == (200 if talk else 404)


def test_a_convener_does_not_record_a_talk_with_themself(world):
    seat = world["convener"].person.memberships.get()
    assert not has_perm(world["convener"], "points.record_talk", seat)
    assert has_perm(world["staff"], "points.record_talk", seat)


def test_another_committees_sector_is_a_404_even_to_its_convener_here(client, world):
    client.force_login(world["convener"])
    assert client.get(sector_url(world["far_sector"])).status_code == 404
    assert not has_perm(world["convener"], "points.view_sector", world["far_sector"])


def test_the_convener_lands_on_the_sector_and_others_see_a_list_or_403(client, world):
    client.force_login(world["convener"])
    response = client.get(reverse("points:sectors"))
    assert response.status_code == 302
    assert response["Location"] == reverse("points:sector", args=[world["sector"].pk])
    client.force_login(world["member"])
    assert client.get(reverse("points:sectors")).status_code == 403
    client.force_login(world["leader"])
    body = client.get(reverse("points:sectors")).content.decode()
    assert world["sector"].name in body and world["other_sector"].name in body


def test_the_page_lists_members_with_stored_points_and_those_below_the_policys_line(client, world):
    client.force_login(world["convener"])
    response = client.get(sector_url(world["sector"]))
    below = [m.pk for m in response.context["below"]]
    assert below == [world["low"].pk]  # 5 points is competent under this policy, not below 60
    rows = {m.pk: m for m in response.context["rows"]}
    assert set(rows) == {
        world["low"].pk,
        world["fine"].pk,
        world["convener"].person.memberships.get().pk,
    }
    assert rows[world["fine"].pk].score_value == Decimal("5.00")
    assert rows[world["low"].pk].score_value == Decimal("2.00")
    # Below last year too: flagged.
    assert rows[world["low"].pk].below_before is True
    assert response.context["line"].threshold == Decimal("5.00")
    body = response.content.decode()
    assert "two-years" in body
    assert world["other_sector"].name not in body


def test_recording_a_talk_is_audited_and_shown_on_the_members_line(client, world):
    client.force_login(world["convener"])
    response = client.post(
        talk_url(world),
        {
            "date": TALK_DAY.isoformat(),
            "summary": "了解积分偏低原因",
            "next_step": "下季度参加调研",
        },
    )
    assert response.status_code == 302
    talk = TalkRecord.objects.get()
    assert (talk.member, talk.year, talk.created_by) == (world["low"], YEAR, world["convener"])
    event = AuditEvent.objects.get(action="points.talk_record_add")
    assert event.actor == world["convener"] and event.object_id == str(talk.pk)
    page = client.get(sector_url(world["sector"]))
    line = page.context["below"][0]
    assert (line.talks, line.last_talk_date, line.last_next_step) == (1, TALK_DAY, "下季度参加调研")
    assert "了解积分偏低原因" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "", "summary": "谈了", "next_step": "跟进"}, "Give the date of the talk."),
        (
            {"date": "2026-06-01", "summary": "  ", "next_step": "跟进"},
            "Write what the talk was about.",
        ),
        ({"date": "2026-06-01", "summary": "谈了", "next_step": ""}, "Write the next step agreed."),
        (
            {"date": "2999-01-01", "summary": "谈了", "next_step": "跟进"},
            "The talk cannot be dated in the future.",
        ),
        (
            {"date": "2020-01-01", "summary": "谈了", "next_step": "跟进"},
            "A talk about a year's grade is held in that year or later.",
        ),
        (
            {"date": "2026-06-01", "summary": "谈" * 2001, "next_step": "跟进"},
            "The summary is at most 2000 characters.",
        ),
        (
            {"date": "2026-13-01", "summary": "谈了", "next_step": "跟进"},
            "Enter a real date, e.g. 2026-10-01.",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(client, world, data, message):
    client.force_login(world["convener"])
    response = client.post(talk_url(world), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert escape(zh(message)) in response.content.decode()
    assert not TalkRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="points.talk_record_add").exists()
    if data["summary"].strip() and len(data["summary"]) < 100:
        assert data["summary"] in response.content.decode()  # what was typed is kept


def test_the_service_refuses_bad_input_and_other_sectors_conveners(world):
    with pytest.raises(ValidationFailed) as refused:
        services.talk_record_add(
            actor=world["convener"],
            member=world["low"],
            year=YEAR,
            date=None,
            summary="",
            next_step="",
        )
    assert len(refused.value.errors) == 3
    with pytest.raises(PermissionDenied):
        services.talk_record_add(
            actor=world["other_convener"],
            member=world["low"],
            year=YEAR,
            date=TALK_DAY,
            summary="谈了",
            next_step="跟进",
        )
    assert not TalkRecord.objects.exists()


def test_a_double_submission_is_stored_once(client, world):
    client.force_login(world["convener"])
    data = {"date": TALK_DAY.isoformat(), "summary": "了解情况", "next_step": "跟进"}
    assert client.post(talk_url(world), data).status_code == 302
    again = client.post(talk_url(world), data)
    assert again.status_code == 400
    assert TalkRecord.objects.count() == 1
    with pytest.raises(Conflict):
        services.talk_record_add(
            actor=world["convener"],
            member=world["low"],
            year=YEAR,
            date=TALK_DAY,
            summary="了解情况",
            next_step="另一步",
        )


def test_the_sectors_rotation_work_is_shown(client, world):
    plan = RotationPlan.objects.create(committee=world["committee"], year=YEAR)
    DutyWeek.objects.create(
        committee=world["committee"],
        plan=plan,
        sector=world["sector"],
        week_start=dt.date(YEAR, 3, 2),
    )
    DutyWeek.objects.create(
        committee=world["committee"],
        plan=plan,
        sector=world["other_sector"],
        week_start=dt.date(YEAR, 3, 9),
    )
    client.force_login(world["convener"])
    work = client.get(sector_url(world["sector"])).context["work"]
    assert len(work) == 1
    assert "3" in work[0].when


def test_the_conveners_home_counts_members_below_without_a_talk(client, world, monkeypatch):
    # The home counts the current year; the fixtures are of YEAR, so today is
    # a day late in YEAR whatever the real date.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(YEAR, 12, 1))
    client.force_login(world["convener"])
    assert counts(client)["Below the line, no talk yet"] == 1
    services.talk_record_add(
        actor=world["convener"],
        member=world["low"],
        year=YEAR,
        date=TALK_DAY,
        summary="谈了",
        next_step="跟进",
    )
    assert counts(client)["Below the line, no talk yet"] == 0
    client.force_login(world["member"])
    assert "Below the line, no talk yet" not in counts(client)


def test_the_menu_shows_my_sector_to_conveners_only(client, world):
    client.force_login(world["convener"])
    assert reverse("points:sectors") in client.get("/").content.decode()
    client.force_login(world["member"])
    assert reverse("points:sectors") not in client.get("/").content.decode()


def test_the_page_reads_in_the_same_number_of_queries_for_n_and_3n_members(
    client, world, monkeypatch
):
    sector, policy = world["sector"], world["policy"]

    def build(n: int) -> None:
        for i in range(n):
            member = make_member(world["committee"], sector=sector, username="")
            if i % 2:
                record(member, K.PROPOSAL_FILED)
        scoring.recalculate(policy)
        for member in list(sector.members.all()[: n // 3]):
            TalkRecord.objects.create(
                committee=world["committee"],
                member=member,
                year=YEAR,
                date=TALK_DAY,
                summary=f"谈话{member.pk}",
                next_step="跟进",
            )

    # The sector's list is cut at MEMBERS_SHOWN: N below it, 3N above it.
    monkeypatch.setattr(sector_views, "MEMBERS_SHOWN", 40)
    client.force_login(world["convener"])
    queries = assert_same_queries(
        build, lambda: page_queries(client, sector_url(sector)), n=20, page_size=40
    )
    assert queries <= 15

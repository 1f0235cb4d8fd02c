"""Studios, stations and rotation pages: permissions, tenancy, bad input, query counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.accounts.models import Area, Role
from lvzhi.core.testing import assert_same_queries, page_queries
from lvzhi.core.web import PAGE_SIZE
from lvzhi.org.models import Committee, Member
from lvzhi.org.tests.factories import (
    MemberFactory,
    SectorClusterFactory,
    SectorFactory,
    StationFactory,
    StudioFactory,
)
from lvzhi.studios import services
from lvzhi.studios.models import Activity, DutyWeek, MemberArea, ServiceProject, StationLeader


def test_a_studio_member_records_an_activity_of_their_studio_only(
    committee: Committee, member: Member, member_user: Any, client_for: Callable[..., Client]
) -> None:
    mine = StudioFactory(committee=committee)
    mine.members.add(member)
    theirs = StudioFactory(committee=committee)
    client = client_for(member_user)
    today = timezone.localdate()
    response = client.post(
        reverse("studios:studio_activity", args=[mine.pk]),
        {
            "kind": "service",
            "day": today,
            "title": "义诊",
            "people_served": 30,
            "participants": [member.pk],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.studio == mine and list(activity.participants.all()) == [member]
    assert client.get(reverse("studios:studio_activity", args=[theirs.pk])).status_code == 403
    future = client.post(
        reverse("studios:studio_activity", args=[mine.pk]),
        {"kind": "service", "day": today + timedelta(days=3), "title": "将来", "people_served": 0},
    )
    assert future.status_code == 400 and Activity.objects.count() == 1


def test_another_committee_gets_404(
    committee: Committee,
    other_committee: Committee,
    make_user: Callable[..., Any],
    client_for: Callable[..., Client],
) -> None:
    studio = StudioFactory(committee=committee)
    station = StationFactory(committee=committee)
    outsider = make_user(Role.STAFF, other_committee, Area.PUBLIC, username="elsewhere")
    client = client_for(outsider)
    assert client.get(reverse("studios:studio_detail", args=[studio.pk])).status_code == 404
    assert client.get(reverse("studios:station_detail", args=[station.pk])).status_code == 404
    assert client.get(reverse("studios:station_members", args=[station.pk])).status_code == 404
    assert (
        client.post(reverse("studios:project_create", args=[studio.pk]), {"title": "x"}).status_code
        == 404
    )
    assert ServiceProject.objects.count() == 0


def test_staff_add_a_project_and_its_page_links_to_its_messages(
    committee: Committee, public_staff: Any, client_for: Callable[..., Client]
) -> None:
    studio = StudioFactory(committee=committee)
    client = client_for(public_staff)
    assert (
        client.post(reverse("studios:project_create", args=[studio.pk]), {"title": ""}).status_code
        == 400
    )
    client.post(reverse("studios:project_create", args=[studio.pk]), {"title": "法律咨询日"})
    project = ServiceProject.objects.get()
    page = client.get(reverse("studios:project_detail", args=[project.pk])).content.decode()
    assert "法律咨询日" in page and 'id="source-link"' in page


def test_the_rating_page_computes_and_adjusts(
    committee: Committee, public_staff: Any, member_user: Any, client_for: Callable[..., Client]
) -> None:
    StudioFactory(committee=committee)
    client = client_for(public_staff)
    year = timezone.localdate().year - 1
    client.post(reverse("studios:ratings_compute") + f"?year={year}")
    rating = services.StarRating.objects.get()
    assert (
        client.post(
            reverse("studios:rating_adjust", args=[rating.pk]), {"stars": 4, "reason": ""}
        ).status_code
        == 400
    )
    client.post(
        reverse("studios:rating_adjust", args=[rating.pk]), {"stars": 4, "reason": "表现突出"}
    )
    assert services.StarRating.objects.get().stars == 4
    # Members do not rate.
    member_client = Client()
    member_client.force_login(member_user)
    assert member_client.get(reverse("studios:rating_list")).status_code == 403


def test_station_members_are_assigned_by_area_and_leaders_added(
    committee: Committee, public_staff: Any, member: Member, client_for: Callable[..., Client]
) -> None:
    station = StationFactory(committee=committee, area="东城街道")
    near = MemberFactory(committee=committee, term=member.term)
    MemberArea.objects.create(committee=committee, member=near, area="东城街道")
    client = client_for(public_staff)
    page = client.get(reverse("studios:station_members", args=[station.pk]))
    rows = page.context["rows"]
    assert rows[0]["member"] == near and rows[0]["nearby"]
    client.post(
        reverse("studios:station_members", args=[station.pk]),
        {
            "members": [near.pk, member.pk],
            f"area_{member.pk}": "西城街道",
            f"area_{near.pk}": "东城街道",
        },
    )
    assert set(station.members.all()) == {near, member}
    assert MemberArea.objects.get(member=member).area == "西城街道"
    client.post(
        reverse("studios:station_leader_add", args=[station.pk]),
        {"member": member.pk, "duty": "联系东城片区"},
    )
    assert StationLeader.objects.get().member == member
    page = client.get(reverse("studios:station_detail", args=[station.pk])).content.decode()
    assert "联系东城片区" in page


def test_members_cannot_assign_station_members(
    committee: Committee, member_user: Any, client_for: Callable[..., Client]
) -> None:
    station = StationFactory(committee=committee)
    assert (
        client_for(member_user)
        .get(reverse("studios:station_members", args=[station.pk]))
        .status_code
        == 403
    )


@pytest.fixture
def planned(committee: Committee, public_staff: Any, member: Member) -> Any:
    cluster = SectorClusterFactory(committee=committee)
    Member.objects.filter(pk=member.pk).update(
        sector=SectorFactory(committee=committee, cluster=cluster, order=0)
    )
    for i in range(3):
        SectorFactory(committee=committee, cluster=cluster, order=i + 1)
    year = timezone.localdate().year
    plan = services.rotation_plan_create(
        committee=committee, year=year, rounds=4, actor=public_staff
    )
    return services.rotation_generate(plan=plan, actor=public_staff)


def test_the_rotation_page_prints_exports_and_edits(
    planned: Any, public_staff: Any, client_for: Callable[..., Client]
) -> None:
    client = client_for(public_staff)
    page = client.get(reverse("studios:rotation") + f"?year={planned.year}")
    assert page.status_code == 200 and 'id="duty-weeks"' in page.content.decode()
    export = client.get(reverse("studios:rotation") + f"?year={planned.year}&export=xlsx")
    assert export.status_code == 200
    workbook = openpyxl.load_workbook(
        filename=__import__("io").BytesIO(b"".join(export.streaming_content))
    )
    assert workbook.active.max_row == 1 + DutyWeek.objects.filter(plan=planned).count() + 4
    week = DutyWeek.objects.filter(plan=planned).first()
    assert week is not None
    bad = client.post(
        reverse("studios:duty_week_edit", args=[week.pk]),
        {"sector": week.sector_id, "week": "2001-01-01"},
    )
    assert bad.status_code == 400 and not DutyWeek.objects.get(pk=week.pk).edited


def test_a_member_sees_their_sectors_upcoming_duty(
    planned: Any, member: Member, member_user: Any, client_for: Callable[..., Client]
) -> None:
    member.refresh_from_db()
    response = client_for(member_user).get(reverse("studios:my_duty"))
    assert response.status_code == 200
    upcoming = response.context["weeks"]
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert all(w.sector_id == member.sector_id and w.week_start >= monday for w in upcoming)
    expected = DutyWeek.objects.filter(sector=member.sector, week_start__gte=monday).count()
    assert len(upcoming) == min(expected, 5)
    assert response.context["leads"]


def test_list_query_counts_do_not_grow(
    committee: Committee, public_staff: Any, client_for: Callable[..., Client]
) -> None:
    client = client_for(public_staff)
    made = 0

    def build(n: int) -> None:
        nonlocal made
        for _ in range(n):
            studio = StudioFactory(committee=committee)
            station = StationFactory(committee=committee)
            for place in ({"studio": studio}, {"station": station}):
                Activity.objects.create(
                    committee=committee,
                    kind="service",
                    date=date(2025, 1, 2),
                    title=f"a{made}",
                    **place,
                )
            made += 1
        services.star_ratings_compute(committee=committee, year=2025, actor=public_staff)

    def lists() -> int:
        return sum(
            page_queries(client, reverse(name) + "?year=2025")
            for name in ("studios:studio_list", "studios:station_list", "studios:rating_list")
        )

    assert assert_same_queries(build, lists, n=10, page_size=PAGE_SIZE) <= 3 * 15


def test_a_studio_page_costs_the_same_for_three_times_the_activities(
    committee: Committee, public_staff: Any, client_for: Callable[..., Client]
) -> None:
    client = client_for(public_staff)
    studio = StudioFactory(committee=committee)

    def build(n: int) -> None:
        Activity.objects.bulk_create(
            Activity(
                committee=committee, studio=studio, kind="service", date=date(2025, 1, 2), title="c"
            )
            for _ in range(n)
        )

    path = reverse("studios:studio_detail", args=[studio.pk])
    assert assert_same_queries(build, lambda: page_queries(client, path), n=10) <= 15


def test_home_pages_carry_the_shortcuts(
    member_user: Any, public_staff: Any, client_for: Callable[..., Client]
) -> None:
    member_home = client_for(member_user).get(reverse("home")).content.decode()
    assert reverse("studios:my_duty") in member_home
    assert reverse("public:inbox") in member_home
    staff_home = client_for(public_staff).get(reverse("home")).content.decode()
    for name in ("public:inbox", "public:venue_list", "studios:rating_list", "studios:rotation"):
        assert reverse(name) in staff_home

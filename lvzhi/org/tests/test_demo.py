"""The demo committee: ``manage.py seed_demo`` loads it once and prints logins
that work; running it again changes nothing."""

from __future__ import annotations

import io
import random
import re
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import models

from lvzhi.accounts.models import Area, Role, RoleAssignment, User
from lvzhi.core.management.commands import seed_demo
from lvzhi.org import demo
from lvzhi.org.models import (
    Committee,
    HandlingUnit,
    Member,
    Person,
    PlenarySession,
    Sector,
    SectorCluster,
    SpecialCommittee,
    Station,
    Studio,
    Term,
)
from lvzhi.org.selectors import committees_for
from lvzhi.org.validators import id_number_error, mobile_error

MODELS: list[type[models.Model]] = [
    Committee,
    Term,
    PlenarySession,
    SectorCluster,
    Sector,
    SpecialCommittee,
    Person,
    Member,
    HandlingUnit,
    Studio,
    Station,
    User,
    RoleAssignment,
    Member.special_committees.through,
    Studio.members.through,
    Station.members.through,
    Sector.conveners.through,
]

ROW = re.compile(r"^\| (?P<role>.+?) +\| (?P<username>\S+) +\| (?P<password>\S+) +\|$")


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in output.splitlines():
        match = ROW.match(line)
        if match and match["username"] != "用户名":
            rows.append((match["role"].strip(), match["username"], match["password"]))
    return rows


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every column of every row the demo touches."""
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in MODELS}


def current_members(code: str) -> models.QuerySet[Member]:
    return Member.objects.filter(committee__code=code, term__is_current=True)


@pytest.fixture
def seeded(demo: str) -> str:
    """The shared demo (seeded once per session) and what its seed printed."""
    return demo


@pytest.mark.django_db(transaction=False)
def test_seeding_twice_changes_nothing_and_duplicates_nothing(seeded: str) -> None:
    before = snapshot()

    output = run_seed()

    assert snapshot() == before
    assert "已存在，未作改动" in output
    assert printed_logins(output) == printed_logins(seeded)


@pytest.mark.django_db(transaction=False)
def test_a_second_run_keeps_what_staff_changed_in_the_demo(seeded: str) -> None:
    member = current_members("demo-city").filter(position=Member.Position.MEMBER).first()
    assert member is not None
    Member.objects.filter(pk=member.pk).update(status=Member.Status.REMOVED)
    User.objects.filter(username="leader").update(display_name="改过的名字")

    run_seed()

    member.refresh_from_db()
    assert member.status == Member.Status.REMOVED
    assert User.objects.get(username="leader").display_name == "改过的名字"


@pytest.mark.django_db(transaction=False)
def test_the_demo_has_the_size_the_issue_asks_for(seeded: str) -> None:
    assert set(Committee.objects.values_list("code", flat=True)) == {"demo-city", "demo-district"}
    city = Committee.objects.get(code="demo-city")
    district = Committee.objects.get(code="demo-district")
    assert (city.short_name, city.level, city.parent) == ("示例市政协", "city", None)
    assert (district.short_name, district.level, district.parent) == ("示例区政协", "county", city)
    for committee in (city, district):
        assert Term.objects.filter(committee=committee).count() == 2
        assert Term.objects.filter(committee=committee, is_current=True).count() == 1
        previous = Term.objects.get(committee=committee, is_current=False)
        assert previous.end_date is not None
        assert SectorCluster.objects.filter(committee=committee).count() == 6
        assert Sector.objects.filter(committee=committee, cluster__isnull=False).count() == 18
        assert SpecialCommittee.objects.filter(committee=committee).count() == 8
        assert HandlingUnit.objects.filter(committee=committee).count() == 25
        assert Studio.objects.filter(committee=committee).count() == 12
        assert Station.objects.filter(committee=committee).count() == 10
        # A plenary session in each year of each term, with its proposal window.
        for term in Term.objects.filter(committee=committee):
            sessions = PlenarySession.objects.filter(term=term)
            assert sorted(sessions.values_list("year", flat=True)) == list(
                range(term.start_date.year, term.start_date.year + 5)
            )
            for session in sessions:
                assert session.proposal_window_start < session.start_date
                assert session.proposal_window_end <= session.end_date
    assert current_members("demo-city").count() == 230
    assert current_members("demo-district").count() == 70
    assert 290 <= Member.objects.filter(term__is_current=True).count() <= 310


@pytest.mark.django_db(transaction=False)
def test_each_committee_has_one_chair_a_secretary_general_and_standing_members(
    seeded: str,
) -> None:
    for code, vice_chairs in (("demo-city", 6), ("demo-district", 4)):
        seats = current_members(code)
        assert seats.filter(position=Member.Position.CHAIR).count() == 1
        assert seats.filter(position=Member.Position.SECRETARY_GENERAL).count() == 1
        assert seats.filter(position=Member.Position.VICE_CHAIR).count() == vice_chairs
        assert seats.filter(position=Member.Position.STANDING).count() >= 12
        assert seats.filter(status=Member.Status.RESIGNED, end_date__isnull=False).exists()
        # Most members sit on a special committee.
        on_one = seats.filter(special_committees__isnull=False).distinct().count()
        assert on_one > seats.count() * 0.7
        # Every sector has members and a convener from its own members.
        for sector in Sector.objects.filter(committee__code=code):
            assert seats.filter(sector=sector).exists()
            assert sector.conveners.filter(sector=sector).count() == 1
    assert current_members("demo-city").filter(position=Member.Position.STANDING).count() >= 30


@pytest.mark.django_db(transaction=False)
def test_demo_people_have_valid_but_fictional_numbers(seeded: str) -> None:
    people = list(Person.objects.all())
    id_numbers = [p.id_number for p in people]
    mobiles = [p.mobile for p in people]
    assert all(id_number_error(n) is None for n in id_numbers)
    # Region code 99xxxx does not exist, so no real person's number can come out.
    assert all(n.startswith("99") for n in id_numbers)
    assert all(mobile_error(m) is None and m.startswith("1390000") for m in mobiles)
    assert len(set(id_numbers)) == len(id_numbers)
    assert len(set(mobiles)) == len(mobiles)
    assert all(p.name and p.party and p.education and p.employer for p in people)


@pytest.mark.django_db(transaction=False)
def test_every_printed_login_authenticates_with_its_password(seeded: str) -> None:
    logins = printed_logins(seeded)

    assert len(logins) >= 15
    for _role, username, password in logins:
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert user.username == username
        assert authenticate(username=username, password=password + "x") is None
        validate_password(password, user)


@pytest.mark.django_db(transaction=False)
def test_the_member_logs_in_by_mobile_and_sits_on_both_committees(seeded: str) -> None:
    user = User.objects.get(username="weiyuan")
    person = Person.objects.get(user=user)

    assert authenticate(username=person.mobile, password=demo.PASSWORD) == user
    committees = {c.code for c in committees_for(user)}
    assert committees == {"demo-city", "demo-district"}
    assert not RoleAssignment.objects.filter(user=user).exists()
    # Two more people without a login also sit on both committees.
    both = (
        Person.objects.filter(memberships__term__is_current=True)
        .annotate(n=models.Count("memberships__committee", distinct=True))
        .filter(n=2)
    )
    assert both.count() == 3


@pytest.mark.django_db(transaction=False)
def test_every_printed_role_exists(seeded: str) -> None:
    city = Committee.objects.get(code="demo-city")
    logins = {username: role for role, username, _ in printed_logins(seeded)}

    def roles_of(username: str) -> set[tuple[str, str, str]]:
        return set(
            RoleAssignment.objects.filter(user__username=username).values_list(
                "committee__code", "role", "area"
            )
        )

    assert logins["weiyuan"].startswith("委员")
    assert (
        Member.objects.filter(
            person__user__username="weiyuan", status=Member.Status.IN_OFFICE, term__is_current=True
        ).count()
        == 2
    )
    assert logins["convener"].startswith("界别召集人")
    assert Sector.objects.filter(
        committee=city, name="教育界", conveners__person__user__username="convener"
    ).exists()
    for area in Area:
        if area.value:
            username = f"staff_{area.value}"
            assert logins[username].startswith("机关工作人员")
            assert roles_of(username) == {("demo-city", Role.STAFF, area.value)}
    assert roles_of("district_staff") == {("demo-district", Role.STAFF, Area.ORG)}
    assert roles_of("leader") == {("demo-city", Role.LEADER, "")}
    assert roles_of("gov_leader") == {("demo-city", Role.GOV_LEADER, "")}
    unit = RoleAssignment.objects.get(user__username="unit")
    assert (unit.role, unit.unit, unit.committee) == (
        Role.UNIT,
        HandlingUnit.objects.get(committee=city, name="示例市教育局"),
        city,
    )
    assert logins["unit"] == "承办单位（示例市教育局）"
    for username, role in (
        ("sysadmin", Role.SYSADMIN),
        ("secadmin", Role.SECADMIN),
        ("auditor", Role.AUDITOR),
    ):
        assert roles_of(username) == {("demo-city", role, ""), ("demo-district", role, "")}
    # Every role of the system has a login.
    printed_roles = set(
        RoleAssignment.objects.filter(user__username__in=logins).values_list("role", flat=True)
    )
    assert printed_roles == set(Role.values)


def test_the_plan_is_the_same_on_every_run() -> None:
    def plan() -> list[tuple[str, str, str, str]]:
        pool = demo.PersonPool(random.Random(demo.SEED))
        seats = demo.build_roster(demo.CITY, pool)
        return [(s.person.name, s.person.id_number, s.position, s.status) for s in seats]

    assert plan() == plan()


@pytest.mark.django_db(transaction=False)
def test_a_failing_seed_leaves_the_database_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*, stdout: Any) -> list[tuple[str, str, str]]:
        raise RuntimeError("broken demo")

    # The failure comes after the first seeder (the organisation: committees,
    # people, accounts) has written its rows; seeding the whole demo first
    # would prove no more and cost most of a minute.
    first = seed_demo.demo_seeders()[0]
    assert first[0] == "org"
    monkeypatch.setattr(seed_demo, "demo_seeders", lambda: [first, ("broken", broken)])

    with pytest.raises(RuntimeError):
        run_seed()

    assert not Committee.objects.exists()
    assert not Person.objects.exists()
    assert not User.objects.exists()


def test_demo_seeders_are_the_project_apps_in_installed_apps_order() -> None:
    labels = [label for label, _ in seed_demo.demo_seeders()]

    assert "org" in labels
    assert labels == sorted(labels, key=lambda label: _app_index(label))


def _app_index(label: str) -> int:
    from django.apps import apps

    return [c.label for c in apps.get_app_configs()].index(label)


def test_the_login_table_lines_up_chinese_text() -> None:
    table = seed_demo.format_table(("角色", "用户名"), [("委员", "weiyuan"), ("审计管理员", "a")])
    widths = {seed_demo._width(line) for line in table.splitlines()}

    assert len(widths) == 1

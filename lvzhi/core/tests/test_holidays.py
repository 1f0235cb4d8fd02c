"""The holiday calendar: seeded schedule, pages, service rules and audit rows."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext

from lvzhi.accounts.models import Role
from lvzhi.core import services
from lvzhi.core.calendar import add_working_days, is_working_day
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, Holiday
from lvzhi.core.testing import assert_same_queries, page_queries

seed_migration = importlib.import_module("lvzhi.core.migrations.0002_seed_holidays")

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(make_user, committee):
    return make_user(Role.SYSADMIN, committee, username="sysadmin")


# --- the seeded schedule ------------------------------------------------------


def test_the_2026_state_council_schedule_is_seeded_with_every_day_off_and_make_up_day():
    rows = {h.date: (h.kind, h.name) for h in Holiday.objects.filter(date__year=2026)}
    days_off = [d for d, (kind, _) in rows.items() if kind == Holiday.Kind.HOLIDAY]
    workdays = sorted(d for d, (kind, _) in rows.items() if kind == Holiday.Kind.WORKDAY)
    assert len(days_off) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert workdays == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert rows[date(2026, 2, 15)] == (Holiday.Kind.HOLIDAY, "春节")
    assert rows[date(2026, 2, 23)] == (Holiday.Kind.HOLIDAY, "春节")
    assert rows[date(2026, 2, 14)] == (Holiday.Kind.WORKDAY, "春节调休上班")
    assert rows[date(2026, 9, 25)][1] == "中秋节"
    assert rows[date(2026, 10, 7)][1] == "国庆节"


def test_every_seeded_make_up_working_day_is_a_weekend_and_2027_is_seeded_too():
    workdays = Holiday.objects.filter(kind=Holiday.Kind.WORKDAY)
    assert workdays.exists()
    assert all(h.date.weekday() >= 5 for h in workdays)
    names_2027 = set(Holiday.objects.filter(date__year=2027).values_list("name", flat=True))
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} <= names_2027


def test_the_seeded_calendar_drives_working_day_counts():
    # Sat 14 Feb 2026 is a make-up working day, Mon 16 Feb is 春节.
    assert is_working_day(date(2026, 2, 14))
    assert not is_working_day(date(2026, 2, 16))
    # Fri 13 Feb + 1 working day = Sat 14 Feb; + 2 = Tue 24 Feb (after the holiday).
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_the_seed_migration_reverses_exactly_its_own_dates_and_keeps_staff_rows():
    Holiday.objects.create(date=date(2026, 3, 3), kind=Holiday.Kind.HOLIDAY, name="自定义")
    before = Holiday.objects.count()
    seed_migration.unseed(django_apps, None)
    assert list(Holiday.objects.values_list("name", flat=True)) == ["自定义"]
    seed_migration.seed(django_apps, None)
    assert Holiday.objects.count() == before
    seed_migration.seed(django_apps, None)  # idempotent
    assert Holiday.objects.count() == before


# --- pages ----------------------------------------------------------------


def test_anyone_logged_in_reads_the_calendar_of_a_year_but_sees_no_edit_buttons(
    client_for, member_user
):
    response = client_for(member_user).get(reverse("core:holiday_list"), {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026-01-01" in body
    assert "元旦" in body
    assert reverse("core:holiday_create") not in body
    assert "/delete/" not in body


def test_the_calendar_costs_the_same_queries_for_three_times_the_days(client_for, staff_user):
    made = []

    def build(n):
        start = date(2031, 1, 1) + timedelta(days=len(made))
        days = [start + timedelta(days=i) for i in range(n)]
        Holiday.objects.bulk_create(
            Holiday(date=d, kind=Holiday.Kind.HOLIDAY, name="测试") for d in days
        )
        made.extend(days)

    client = client_for(staff_user)
    path = reverse("core:holiday_list") + "?year=2031"
    assert assert_same_queries(build, lambda: page_queries(client, path), n=10, page_size=25) <= 15


def test_the_calendar_is_paginated_and_a_wrong_year_falls_back_to_this_year(client_for, staff_user):
    client = client_for(staff_user)
    response = client.get(reverse("core:holiday_list"), {"year": 2026, "page": 2})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"].object_list) == 39 - 25
    response = client.get(reverse("core:holiday_list"), {"year": "abc"})
    assert response.status_code == 200
    assert response.context["year"] == date.today().year
    assert 2027 in response.context["years"]


def test_the_calendar_needs_a_login(client):
    response = client.get(reverse("core:holiday_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_system_administrator_sees_the_menu_entry_and_edit_buttons(client_for, sysadmin):
    response = client_for(sysadmin).get(reverse("core:holiday_list"), {"year": 2026})
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("core:holiday_create") in body
    assert any(
        item["url"] == reverse("core:holiday_list") for item in response.context["nav_items"]
    )


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER, Role.SECADMIN, Role.AUDITOR])
def test_other_roles_may_not_add_edit_or_delete_a_day(client_for, make_user, committee, role):
    client = client_for(make_user(role, committee))
    holiday = Holiday.objects.get(date=date(2026, 10, 1))
    assert client.get(reverse("core:holiday_create")).status_code == 403
    assert (
        client.post(
            reverse("core:holiday_create"),
            {"date": "2026-03-03", "kind": "holiday", "name": "x"},
        ).status_code
        == 403
    )
    assert client.get(reverse("core:holiday_edit", args=[holiday.pk])).status_code == 403
    assert client.post(reverse("core:holiday_delete", args=[holiday.pk])).status_code == 403
    assert not Holiday.objects.filter(date=date(2026, 3, 3)).exists()
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert AuditEvent.objects.filter(action="holiday_changed").count() == 0


def test_a_member_may_not_add_a_day(client_for, member_user):
    response = client_for(member_user).get(reverse("core:holiday_create"))
    assert response.status_code == 403


def test_the_system_administrator_adds_a_day_and_the_change_is_audited(
    client_for, sysadmin, committee
):
    response = client_for(sysadmin).post(
        reverse("core:holiday_create"),
        {"date": "2026-03-03", "kind": "holiday", "name": " 地方节日 "},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2026")
    holiday = Holiday.objects.get(date=date(2026, 3, 3))
    assert holiday.name == "地方节日"
    event = AuditEvent.objects.get(action="holiday_changed")
    assert event.actor == sysadmin
    assert event.committee == committee
    assert event.object_id == str(holiday.pk)
    assert event.detail == {
        "operation": "create",
        "date": "2026-03-03",
        "kind": "holiday",
        "name": "地方节日",
    }


def test_the_system_administrator_edits_a_day_and_the_old_values_are_audited(client_for, sysadmin):
    holiday = Holiday.objects.get(date=date(2026, 10, 10))
    client = client_for(sysadmin)
    form_page = client.get(reverse("core:holiday_edit", args=[holiday.pk]))
    assert form_page.status_code == 200
    assert 'value="2026-10-10"' in form_page.content.decode()
    response = client.post(
        reverse("core:holiday_edit", args=[holiday.pk]),
        {"date": "2026-10-11", "kind": "workday", "name": "国庆节调休上班"},
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.date == date(2026, 10, 11)
    event = AuditEvent.objects.get(action="holiday_changed")
    assert event.detail["operation"] == "update"
    assert event.detail["old_date"] == "2026-10-10"
    assert event.detail["date"] == "2026-10-11"


def test_the_system_administrator_deletes_a_day_with_a_post_only(client_for, sysadmin):
    holiday = Holiday.objects.get(date=date(2026, 10, 7))
    client = client_for(sysadmin)
    assert client.get(reverse("core:holiday_delete", args=[holiday.pk])).status_code == 405
    response = client.post(reverse("core:holiday_delete", args=[holiday.pk]))
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    event = AuditEvent.objects.get(action="holiday_changed")
    assert event.detail["operation"] == "delete"
    assert event.detail["date"] == "2026-10-07"


def test_editing_or_deleting_an_unknown_day_answers_404(client_for, sysadmin):
    client = client_for(sysadmin)
    assert client.get(reverse("core:holiday_edit", args=[999999])).status_code == 404
    assert client.post(reverse("core:holiday_delete", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"date": "2026-10-01", "kind": "holiday", "name": "重复"},
            "date",
            "%(date)s is already in the holiday calendar: edit that entry instead.",
        ),
        (
            {"date": "2026-03-04", "kind": "workday", "name": "调休"},
            "kind",
            "A make-up working day must be a Saturday or a Sunday: "
            "weekdays are working days anyway.",
        ),
        ({"date": "", "kind": "holiday", "name": "x"}, "date", "Enter the date."),
        (
            {"date": "2026-02-30", "kind": "holiday", "name": "x"},
            "date",
            "Enter a real date, e.g. 2026-10-01.",
        ),
        ({"date": "2026-03-03", "kind": "bogus", "name": "x"}, "kind", None),
        (
            {"date": "2026-03-03", "kind": "holiday", "name": "   "},
            "name",
            "Enter the name of the holiday.",
        ),
        (
            {"date": "2026-03-03", "kind": "holiday", "name": "节" * 65},
            "name",
            "The name is too long (at most 64 characters).",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(
    client_for, sysadmin, data, field, message
):
    before = list(Holiday.objects.values_list("date", "kind", "name"))
    response = client_for(sysadmin).post(reverse("core:holiday_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        # Compared through the catalogue: the page shows the Chinese text.
        expected = gettext(message)
        if "%(date)s" in message:
            expected = expected % {"date": data["date"]}
        assert expected in errors[field]
    assert list(Holiday.objects.values_list("date", "kind", "name")) == before
    assert not AuditEvent.objects.filter(action="holiday_changed").exists()


def test_a_make_up_working_day_on_a_weekend_and_a_holiday_on_any_day_are_accepted(
    client_for, sysadmin
):
    client = client_for(sysadmin)
    client.post(
        reverse("core:holiday_create"), {"date": "2026-03-07", "kind": "workday", "name": "调休"}
    )
    client.post(
        reverse("core:holiday_create"), {"date": "2026-03-08", "kind": "holiday", "name": "节"}
    )
    assert Holiday.objects.get(date=date(2026, 3, 7)).kind == "workday"
    assert Holiday.objects.get(date=date(2026, 3, 8)).kind == "holiday"


def test_editing_a_day_onto_another_days_date_is_refused(client_for, sysadmin):
    holiday = Holiday.objects.get(date=date(2026, 10, 7))
    response = client_for(sysadmin).post(
        reverse("core:holiday_edit", args=[holiday.pk]),
        {"date": "2026-10-06", "kind": "holiday", "name": "国庆节"},
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    holiday.refresh_from_db()
    assert holiday.date == date(2026, 10, 7)


# --- the service on its own (rules hold even without the form) ---------------------


def test_the_service_refuses_a_duplicate_date_and_a_weekday_make_up_day(sysadmin, committee):
    def create(**values):
        return services.holiday_create(actor=sysadmin, committee=committee, **values)

    with pytest.raises(Conflict):
        create(day=date(2026, 10, 1), kind="holiday", name="x")
    with pytest.raises(ValidationFailed):
        create(day=date(2026, 3, 4), kind="workday", name="x")
    with pytest.raises(ValidationFailed):
        create(day=date(2026, 3, 7), kind="workday", name=" ")
    other = Holiday.objects.get(date=date(2026, 10, 2))
    with pytest.raises(Conflict):
        services.holiday_update(
            actor=sysadmin,
            committee=committee,
            holiday=other,
            day=date(2026, 10, 1),
            kind="holiday",
            name="x",
        )
    assert not AuditEvent.objects.filter(action="holiday_changed").exists()


def test_deleting_a_day_twice_changes_nothing_the_second_time(sysadmin, committee):
    holiday = Holiday.objects.get(date=date(2026, 10, 7))
    services.holiday_delete(actor=sysadmin, committee=committee, holiday=holiday)
    services.holiday_delete(actor=sysadmin, committee=committee, holiday=holiday)
    assert AuditEvent.objects.filter(action="holiday_changed").count() == 1


def _holiday_rows():
    return sorted(Holiday.objects.values_list("date", "kind", "name"))


@pytest.mark.parametrize("who", ["staff", "other_committee_sysadmin", "anonymous", "no_committee"])
@pytest.mark.parametrize("service", ["create", "update", "delete"])
def test_every_holiday_service_refuses_an_actor_without_the_permission(
    who, service, make_user, committee, other_committee, sysadmin, staff_user
):
    actor = {
        "staff": staff_user,
        "other_committee_sysadmin": make_user(Role.SYSADMIN, other_committee, username="sys2"),
        "anonymous": AnonymousUser(),
        "no_committee": sysadmin,
    }[who]
    where = None if who == "no_committee" else committee
    holiday = Holiday.objects.get(date=date(2026, 10, 7))
    before = _holiday_rows()
    call = {
        "create": lambda: services.holiday_create(
            actor=actor, committee=where, day=date(2026, 3, 3), kind="holiday", name="x"
        ),
        "update": lambda: services.holiday_update(
            actor=actor,
            committee=where,
            holiday=holiday,
            day=date(2026, 3, 3),
            kind="holiday",
            name="x",
        ),
        "delete": lambda: services.holiday_delete(actor=actor, committee=where, holiday=holiday),
    }[service]
    with pytest.raises(PermissionDenied):
        call()
    assert _holiday_rows() == before
    assert not AuditEvent.objects.filter(action="holiday_changed").exists()
    assert AuditEvent.objects.filter(
        action="permission_denied", detail__permission="core.change_holiday"
    ).exists()

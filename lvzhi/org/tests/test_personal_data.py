"""Issue 11, personal data: unit contact phones masked, birth dates masked
outside the roles that need them, and a bulk export of full numbers with its
own permission, a stated purpose, a confirmation and the exporter's name."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.accounts.models import Area, Role, User
from lvzhi.core.models import AuditEvent
from lvzhi.org.models import Committee, HandlingUnit, Member
from lvzhi.org.tests.factories import HandlingUnitFactory, MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.fixture
def unit(committee: Committee) -> HandlingUnit:
    return HandlingUnitFactory(committee=committee, contact_name="王联络", contact_phone=PHONE)


@pytest.mark.parametrize(
    ("role", "area", "full"),
    [
        (Role.STAFF, Area.ORG, True),  # may manage units
        (Role.STAFF, Area.PROPOSALS, False),
        (Role.LEADER, "", False),
    ],
)
def test_unit_contact_phones_are_masked_except_for_those_who_manage_units(
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    committee: Committee,
    unit: HandlingUnit,
    role: str,
    area: str,
    full: bool,
) -> None:
    client = client_for(make_user(role, committee, area))
    for url in (reverse("org:unit_list"), reverse("org:unit_detail", args=[unit.pk])):
        page = client.get(url).content.decode()
        assert (PHONE in page) is full, url
        assert ("139****5678" in page) is not full, url


@pytest.fixture
def born(committee: Committee) -> Member:
    person = PersonFactory(birth_date=date(1971, 8, 23), user=None)
    return MemberFactory(committee=committee, person=person)


@pytest.mark.parametrize(
    ("role", "area", "full"),
    [(Role.STAFF, Area.ORG, True), (Role.STAFF, Area.PROPOSALS, False), (Role.LEADER, "", False)],
)
def test_birth_dates_are_shown_in_full_only_to_org_staff(
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    committee: Committee,
    born: Member,
    role: str,
    area: str,
    full: bool,
) -> None:
    client = client_for(make_user(role, committee, area))
    page = client.get(reverse("org:member_detail", args=[born.pk])).content.decode()
    assert ("1971-08-23" in page) is full
    assert ("1971-08" in page) is full
    assert "1971" in page


def test_a_member_sees_their_own_full_birth_date(
    client_for: Callable[[User], Client], member: Member, member_user: User
) -> None:
    Member.objects.filter(pk=member.pk)
    member.person.birth_date = date(1949, 12, 31)
    member.person.save(update_fields=["birth_date"])
    page = client_for(member_user).get(reverse("org:my_profile")).content.decode()
    assert "1949-12-31" in page


@pytest.fixture
def roster(committee: Committee) -> Member:
    person = PersonFactory(
        name="孙示例", mobile="13900000009", id_number="11010519491231002X", user=None
    )
    return MemberFactory(committee=committee, person=person)


def test_the_plain_export_masks_numbers_and_birth_dates_for_org_staff_too(
    client_for: Callable[[User], Client], staff_user: User, roster: Member
) -> None:
    content = _body(client_for(staff_user).get(reverse("org:roster_export")))
    assert b"13900000009" not in content and b"11010519491231002X" not in content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "孙示例")
    assert row[8] == "139****0009"
    assert str(row[3]) == str(roster.person.birth_date.year)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"purpose": "换届审查"},  # no confirmation
        {"confirm": "on"},  # no purpose
        {"purpose": "看", "confirm": "on"},  # no real purpose
    ],
)
def test_the_full_export_needs_a_purpose_and_a_confirmation(
    client_for: Callable[[User], Client], staff_user: User, roster: Member, data: dict[str, str]
) -> None:
    response = client_for(staff_user).post(reverse("org:roster_export_full"), data)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"13900000009" not in response.content
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_full_export_is_audited_with_its_purpose_and_names_the_exporter(
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    committee: Committee,
    roster: Member,
) -> None:
    exporter = make_user(Role.STAFF, committee, Area.ORG, display_name="赵管理")
    client = client_for(exporter)
    assert client.get(reverse("org:roster_export_full")).status_code == 200
    response = client.post(
        reverse("org:roster_export_full"), {"purpose": "换届委员资格审查", "confirm": "on"}
    )
    content = _body(response)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    title = workbook.worksheets[0].title
    assert "赵管理" in title and "导出" in title
    rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert any(r[8] == "13900000009" and r[9] == "11010519491231002X" for r in rows)
    event = AuditEvent.objects.get(action="export")
    assert event.actor == exporter
    assert event.detail["purpose"] == "换届委员资格审查"
    assert event.detail["full_personal_data"] == "True"


@pytest.mark.parametrize(("role", "area"), [(Role.LEADER, ""), (Role.STAFF, Area.PROPOSALS)])
def test_without_the_permission_there_is_no_full_export(
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    committee: Committee,
    roster: Member,
    role: str,
    area: str,
) -> None:
    client = client_for(make_user(role, committee, area))
    refused = client.post(
        reverse("org:roster_export_full"), {"purpose": "换届委员资格审查", "confirm": "on"}
    )
    assert refused.status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
    assert "export-full" not in client.get(reverse("org:member_list")).content.decode()

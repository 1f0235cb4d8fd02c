"""The roster import and export: good files, every kind of bad file (each
with its message and no change to the data), permissions, masking, audit,
formula injection and query counts."""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from lvzhi.accounts.models import Area, Role, User
from lvzhi.core.errors import Conflict
from lvzhi.core.models import AuditEvent
from lvzhi.org import roster
from lvzhi.org.models import Committee, Member, Party, Person, Sector, SpecialCommittee, Term
from lvzhi.org.roster import format as roster_format
from lvzhi.org.roster import importing, reading
from lvzhi.org.roster_forms import RosterUploadForm
from lvzhi.org.tests.factories import (
    MemberFactory,
    PersonFactory,
    SectorFactory,
    SpecialCommitteeFactory,
    TermFactory,
)
from lvzhi.org.validators import birth_date_from_id, make_id_number

IMPORT_URL = "org:roster_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Helpers ------------------------------------------------------------


def zh(message: str, **params: Any) -> str:
    """A message as the Chinese interface shows it (HTML-escaped)."""
    with translation.override("zh-hans"):
        text = gettext(message)
    return escape(text % params if params else text)


def unknown(value: str, allowed: dict[str, str]) -> str:
    names = "、".join(roster_format._canonical(allowed).values())
    return zh("Unknown value “%(value)s”. Allowed: %(allowed)s.", value=value, allowed=names)


def id_number(index: int, *, male: bool = True) -> str:
    """A valid, invented ID number; ``index`` makes it unique."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=index * 7)
    sequence = (index % 400) * 2 + (1 if male else 0)
    return make_id_number(f"110105{birth:%Y%m%d}{sequence:03d}")


def good_row(index: int, **overrides: Any) -> dict[str, Any]:
    number = id_number(index, male=index % 2 == 0)
    row = {
        "姓名": f"测试委员{index}",
        "性别": "男" if index % 2 == 0 else "女",
        "民族": "汉族",
        "出生日期": "",
        "政治面貌": "民盟",
        "学历": "大学本科",
        "工作单位": "示例市某某公司",
        "职务职称": "工程师",
        "手机号码": f"139{index:08d}",
        "身份证号": number,
        "界别": "经济界",
        "委员职务": "委员",
        "专委会": "提案委员会、文史委员会",
        "任职日期": "2023-01-10",
    }
    row.update(overrides)
    return row


def xlsx_bytes(
    rows: Iterable[dict[str, Any] | list[Any]], headers: list[str] | None = None
) -> bytes:
    headers = list(roster.HEADERS) if headers is None else headers
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def counts() -> tuple[int, int, int]:
    return (
        Person.objects.count(),
        Member.objects.count(),
        Member.special_committees.through.objects.count(),
    )


def read_xlsx(content: bytes) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def response_bytes(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# --- Fixtures ------------------------------------------------------------


@pytest.fixture
def term(committee: Committee) -> Term:
    TermFactory(committee=committee, number=14, name="第十四届", is_current=False)
    return TermFactory(committee=committee, number=15, name="第十五届", is_current=True)


@pytest.fixture
def sectors(committee: Committee) -> dict[str, Sector]:
    return {
        name: SectorFactory(committee=committee, name=name, order=i)
        for i, name in enumerate(["经济界", "教育界", "医药卫生界"])
    }


@pytest.fixture
def specials(committee: Committee) -> dict[str, SpecialCommittee]:
    return {
        name: SpecialCommitteeFactory(committee=committee, name=name, order=i)
        for i, name in enumerate(["提案委员会", "文史委员会", "经济委员会"])
    }


@pytest.fixture
def setup(term: Term, sectors: dict[str, Sector], specials: dict[str, SpecialCommittee]) -> Term:
    """A committee with a current term, sectors and special committees."""
    return term


@pytest.fixture
def staff(client_for: Callable[[User], Client], staff_user: User) -> Client:
    return client_for(staff_user)


@pytest.fixture
def post_file(staff: Client, setup: Term) -> Callable[..., Any]:
    def post(content: bytes, name: str = "roster.xlsx") -> Any:
        return staff.post(reverse(IMPORT_URL), {"file": upload(content, name)})

    return post


def assert_refused(response: Any, before: tuple[int, int, int], *messages: str) -> None:
    """The page answers with every message and nothing was written."""
    assert response.status_code == 200
    content = response.content.decode()
    for message in messages:
        assert message in content, message
    assert counts() == before
    assert 'id="roster-import-failed"' in content


# --- The template ------------------------------------------------------------


def test_org_staff_downloads_a_template_with_the_columns_and_allowed_values(
    staff: Client, setup: Term
) -> None:
    response = staff.get(reverse("org:roster_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response_bytes(response)))
    data, help_sheet = workbook.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == list(roster.HEADERS)
    assert rows[1][0] == "赵示例"  # the invented example row
    values = {v for row in help_sheet.iter_rows(values_only=True) for v in row if v}
    assert {"经济界", "教育界", "提案委员会", "文史委员会"} <= values
    assert {"中共", "九三学社", "无党派人士", "群众", "男", "女", "大学本科"} <= values
    assert {"主席", "副主席", "秘书长", "常委", "委员"} <= values
    assert data.data_validations.dataValidation, "drop-down lists for the coded columns"


def test_the_template_example_row_is_refused_if_uploaded_unchanged(
    staff: Client, setup: Term, post_file: Callable[..., Any]
) -> None:
    template = response_bytes(staff.get(reverse("org:roster_template")))
    before = counts()

    response = post_file(template)

    assert_refused(
        response,
        before,
        zh("This is the example row of the template. Delete it before uploading."),
    )


def test_the_filled_in_template_imports(
    staff: Client, setup: Term, post_file: Callable[..., Any]
) -> None:
    workbook = openpyxl.load_workbook(
        io.BytesIO(response_bytes(staff.get(reverse("org:roster_template"))))
    )
    sheet = workbook.worksheets[0]
    values = good_row(1)
    for column, title in enumerate(roster.HEADERS, start=1):
        sheet.cell(row=2, column=column, value=values[title])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = post_file(buffer.getvalue())

    assert response.status_code == 200
    assert 'id="roster-import-result"' in response.content.decode()
    assert Member.objects.filter(person__name="测试委员1").count() == 1


# --- A good file ------------------------------------------------------------


def test_a_good_file_creates_persons_and_members_in_the_current_term(
    post_file: Callable[..., Any], setup: Term, specials: dict[str, SpecialCommittee]
) -> None:
    rows = [
        good_row(1),
        good_row(2, 委员职务="常委", 专委会="经济委员会", 学历="硕士研究生", 政治面貌="中共"),
        good_row(3, 专委会="", 委员职务="", 民族="", 界别="教育界"),
    ]

    response = post_file(xlsx_bytes(rows))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="roster-created">3<' in content
    assert 'id="roster-updated">0<' in content
    assert Person.objects.count() == 3 and Member.objects.count() == 3
    first = Member.objects.select_related("person", "sector", "term").get(person__name="测试委员1")
    person = first.person
    assert first.term == setup and first.committee_id == setup.committee_id
    assert first.status == Member.Status.IN_OFFICE
    assert first.start_date == dt.date(2023, 1, 10)
    assert first.sector is not None and first.sector.name == "经济界"
    assert {s.name for s in first.special_committees.all()} == {"提案委员会", "文史委员会"}
    # Numbers are stored encrypted, with a keyed hash, and decrypt to what was typed.
    assert person.mobile == "13900000001" and "13900000001" not in person.mobile_encrypted
    assert person.id_number == rows[0]["身份证号"]
    assert rows[0]["身份证号"] not in person.id_number_encrypted
    assert person.mobile_hash and person.id_number_hash
    assert person.birth_date == dt.date(1960, 1, 8)  # taken from the ID number
    assert person.gender == "F" and person.party == Party.CDL
    assert person.education == "bachelor" and person.employer == "示例市某某公司"
    second = Member.objects.select_related("person").get(person__name="测试委员2")
    assert second.position == Member.Position.STANDING
    assert second.person.party == Party.CPC and second.person.education == "master"
    assert [s.name for s in second.special_committees.all()] == ["经济委员会"]
    third = Member.objects.select_related("person", "sector").get(person__name="测试委员3")
    assert third.position == Member.Position.MEMBER
    assert third.person.ethnicity == "汉族"
    assert third.sector is not None and third.sector.name == "教育界"
    assert not third.special_committees.exists()


def test_a_good_import_is_audited_with_its_counts(
    post_file: Callable[..., Any], staff_user: User, setup: Term
) -> None:
    post_file(xlsx_bytes([good_row(1), good_row(2)]))

    event = AuditEvent.objects.get(action="roster_import")
    assert event.actor == staff_user
    assert event.committee_id == setup.committee_id
    assert event.result == AuditEvent.Result.SUCCESS
    assert event.detail["created"] == "2" and event.detail["updated"] == "0"


def test_importing_the_same_file_twice_creates_nothing_new(
    post_file: Callable[..., Any], setup: Term
) -> None:
    content = xlsx_bytes([good_row(i) for i in range(1, 6)])
    post_file(content)
    before = counts()

    response = post_file(content)

    content = response.content.decode()
    assert 'id="roster-created">0<' in content
    assert 'id="roster-updated">0<' in content
    assert 'id="roster-unchanged">5<' in content
    assert counts() == before
    assert Member.objects.filter(term=setup).count() == 5


def test_importing_the_same_file_after_a_key_rotation_finds_everyone(
    post_file: Callable[..., Any], setup: Term
) -> None:
    from django.test import override_settings

    content = xlsx_bytes([good_row(i) for i in range(1, 4)])
    post_file(content)
    before = counts()
    # The field key was rotated and fields_reencrypt has not run yet: the
    # persons keep hashes under the old key, and are found all the same.
    with override_settings(
        FIELD_CIPHER="sm4", FIELD_ENCRYPTION_KEYS="k2=a-rotated-key", FIELD_KEY_ID="k2"
    ):
        response = post_file(content)
    body = response.content.decode()
    assert 'id="roster-created">0<' in body
    assert 'id="roster-unchanged">3<' in body
    assert counts() == before


def test_a_second_import_updates_the_person_and_the_seat(
    post_file: Callable[..., Any], specials: dict[str, SpecialCommittee]
) -> None:
    post_file(xlsx_bytes([good_row(1)]))

    response = post_file(
        xlsx_bytes(
            [
                good_row(
                    1,
                    手机号码="13712345678",
                    工作单位="新单位",
                    委员职务="副主席",
                    界别="医药卫生界",
                    专委会="经济委员会",
                    任职日期="2024/3/5",
                )
            ]
        )
    )

    assert 'id="roster-updated">1<' in response.content.decode()
    member = Member.objects.select_related("person", "sector").get()
    assert member.person.mobile == "13712345678"
    assert member.person.employer == "新单位"
    assert member.position == Member.Position.VICE_CHAIR
    assert member.sector is not None and member.sector.name == "医药卫生界"
    assert member.start_date == dt.date(2024, 3, 5)
    assert [s.name for s in member.special_committees.all()] == ["经济委员会"]


def test_optional_columns_left_out_of_the_file_keep_their_values(
    post_file: Callable[..., Any],
) -> None:
    post_file(xlsx_bytes([good_row(1, 委员职务="常委")]))
    required = ["姓名", "性别", "政治面貌", "手机号码", "身份证号", "界别", "任职日期"]

    response = post_file(xlsx_bytes([good_row(1)], headers=required))

    assert 'id="roster-unchanged">1<' in response.content.decode()
    member = Member.objects.select_related("person").get()
    assert member.position == Member.Position.STANDING
    assert member.person.employer == "示例市某某公司"
    assert member.special_committees.count() == 2


def test_a_person_on_another_committee_is_reused_not_duplicated(
    post_file: Callable[..., Any], other_committee: Committee
) -> None:
    row = good_row(1)
    person = PersonFactory(name=row["姓名"], mobile=row["手机号码"], id_number=row["身份证号"])
    MemberFactory(committee=other_committee, person=person)

    response = post_file(xlsx_bytes([row]))

    assert 'id="roster-created">1<' in response.content.decode()
    assert Person.objects.count() == 1
    assert set(person.memberships.values_list("committee__code", flat=True)) == {
        "test-city",
        "elsewhere",
    }


def test_a_member_of_an_earlier_term_gets_a_new_seat_in_the_current_term(
    post_file: Callable[..., Any], committee: Committee, setup: Term
) -> None:
    row = good_row(1)
    earlier = Term.objects.get(committee=committee, number=14)
    person = PersonFactory(name=row["姓名"], mobile=row["手机号码"], id_number=row["身份证号"])
    MemberFactory(committee=committee, term=earlier, person=person)

    post_file(xlsx_bytes([row]))

    assert set(Member.objects.values_list("term__number", flat=True)) == {14, 15}
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    "value",
    [
        "2023-01-10",
        "2023/1/10",
        "2023.1.10",
        "2023年1月10日",
        "20230110",
        dt.datetime(2023, 1, 10),
        dt.date(2023, 1, 10),
    ],
)
def test_dates_are_read_in_the_forms_people_type(post_file: Callable[..., Any], value: Any) -> None:
    post_file(xlsx_bytes([good_row(1, 任职日期=value)]))

    assert Member.objects.get().start_date == dt.date(2023, 1, 10)


def test_a_title_row_above_the_column_titles_is_skipped_and_row_numbers_stay_right(
    post_file: Callable[..., Any],
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["测试市政协第十五届委员名册"])
    sheet.append([])
    sheet.append(list(roster.HEADERS))
    sheet.append([good_row(1)[h] for h in roster.HEADERS])
    sheet.append([good_row(2, 界别="不存在界")[h] for h in roster.HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = counts()

    response = post_file(buffer.getvalue())

    assert_refused(
        response, before, zh("Unknown sector “%(value)s” in this committee.", value="不存在界")
    )
    table = response.content.decode().split('id="roster-errors"')[1]
    assert '<td class="text-nowrap">5</td>' in table


def test_numbers_typed_as_numbers_and_padded_names_are_understood(
    post_file: Callable[..., Any],
) -> None:
    row = good_row(2, 姓名="测  试", 手机号码=13900000002, 出生日期=dt.date(1960, 1, 15))

    post_file(xlsx_bytes([row]))

    person = Person.objects.get()
    assert person.name == "测试"
    assert person.mobile == "13900000002"


# --- Bad files: each with its message, and nothing written ----------------------------------


def test_missing_and_unknown_columns_are_reported_by_name(
    post_file: Callable[..., Any],
) -> None:
    headers = [h for h in roster.HEADERS if h not in ("身份证号", "界别")] + ["备注"]
    before = counts()

    response = post_file(xlsx_bytes([good_row(1)], headers=headers))

    assert_refused(
        response,
        before,
        zh("The column “%(column)s” is missing.", column="身份证号"),
        zh("The column “%(column)s” is missing.", column="界别"),
        zh("Unknown column “%(column)s”.", column="备注"),
    )
    assert 'id="roster-errors"' in response.content.decode()  # listed in the table, row 1


def test_a_column_given_twice_is_reported(post_file: Callable[..., Any]) -> None:
    headers = [*roster.HEADERS, "手机号"]
    before = counts()

    response = post_file(xlsx_bytes([[*good_row(1).values(), "13900000009"]], headers=headers))

    assert_refused(
        response, before, zh("The column “%(column)s” appears twice.", column="手机号码")
    )


def test_bad_id_numbers_are_reported_with_their_row(post_file: Callable[..., Any]) -> None:
    good = id_number(2)
    wrong_digit = good[:17] + ("0" if good[17] != "0" else "1")
    impossible_date = make_id_number("11010519490231002")
    rows = [
        good_row(1),
        good_row(2, 身份证号=wrong_digit),
        good_row(3, 身份证号=impossible_date),
        good_row(4, 身份证号="12345"),
    ]
    before = counts()

    response = post_file(xlsx_bytes(rows))

    assert_refused(
        response,
        before,
        zh("The check digit of the ID number is wrong."),
        zh("The birth date inside the ID number is not a real date."),
        zh("The ID number must have 18 characters: 17 digits and a digit or X."),
    )
    table = response.content.decode().split('id="roster-errors"')[1]
    assert '<td class="text-nowrap">3</td>' in table
    assert '<td class="text-nowrap">4</td>' in table
    assert '<td class="text-nowrap">5</td>' in table
    assert '<td class="text-nowrap">2</td>' not in table  # the good row has no error


def test_an_id_number_stored_as_a_number_is_explained(post_file: Callable[..., Any]) -> None:
    before = counts()

    response = post_file(xlsx_bytes([good_row(1, 身份证号=1.10105196001082e17)]))

    assert_refused(
        response,
        before,
        zh(
            "The ID number was stored as a number and lost its last digits. "
            "Format the column as text and type the number again."
        ),
    )


def test_gender_and_birth_date_must_match_the_id_number(
    post_file: Callable[..., Any],
) -> None:
    before = counts()

    response = post_file(xlsx_bytes([good_row(2, 性别="女", 出生日期="1970-01-01")]))

    assert_refused(
        response,
        before,
        zh("The gender does not match the ID number."),
        zh("The birth date does not match the ID number (%(date)s).", date="1960-01-15"),
    )


@pytest.mark.parametrize("mobile", ["1380013800", "12800138000", "138001380001", "abc"])
def test_a_bad_mobile_number_is_reported(post_file: Callable[..., Any], mobile: str) -> None:
    before = counts()

    response = post_file(xlsx_bytes([good_row(1, 手机号码=mobile)]))

    assert_refused(response, before, zh("The mobile number must be 11 digits starting with 1."))


def test_required_fields_are_reported_per_column(post_file: Callable[..., Any]) -> None:
    before = counts()

    response = post_file(xlsx_bytes([good_row(1, 姓名="", 政治面貌=None, 任职日期="")]))

    content = response.content.decode()
    assert_refused(response, before, zh("This column must be filled in."))
    assert content.count(zh("This column must be filled in.")) == 3


def test_unknown_values_are_reported(
    post_file: Callable[..., Any], other_committee: Committee
) -> None:
    # A sector of another committee is unknown here.
    SectorFactory(committee=other_committee, name="外地界")
    rows = [
        good_row(1, 界别="外地界"),
        good_row(2, 专委会="提案委员会、不存在委员会"),
        good_row(3, 政治面貌="某党", 学历="幼儿园", 委员职务="组长", 性别="未知"),
    ]
    before = counts()

    response = post_file(xlsx_bytes(rows))

    assert_refused(
        response,
        before,
        zh("Unknown sector “%(value)s” in this committee.", value="外地界"),
        zh("Unknown special committee “%(value)s” in this committee.", value="不存在委员会"),
        unknown("某党", roster.PARTY_VALUES),
        unknown("幼儿园", roster.EDUCATION_VALUES),
        unknown("组长", roster.POSITION_VALUES),
        unknown("未知", roster.GENDER_VALUES),
    )


def test_bad_dates_and_too_long_texts_are_reported(post_file: Callable[..., Any]) -> None:
    rows = [
        good_row(1, 任职日期="去年"),
        good_row(2, 任职日期="2023-02-30"),
        good_row(3, 任职日期="1900-01-01"),
        good_row(4, 工作单位="单" * 129),
    ]
    before = counts()

    response = post_file(xlsx_bytes(rows))

    assert_refused(
        response,
        before,
        zh("“%(value)s” is not a date. Write it like 2023-01-10.", value="去年"),
        zh("“%(value)s” is not a date. Write it like 2023-01-10.", value="2023-02-30"),
        zh("The date %(date)s is not plausible for the start of a seat.", date="1900-01-01"),
        zh("Too long: at most %(limit)s characters.", limit=128),
    )


def test_duplicates_inside_the_file_report_both_rows(post_file: Callable[..., Any]) -> None:
    rows = [
        good_row(1),
        good_row(2, 手机号码="13900000001"),  # same mobile as row 2
        good_row(3, 身份证号=id_number(1, male=False)),  # same ID number as row 2
    ]
    before = counts()

    response = post_file(xlsx_bytes(rows))

    assert_refused(
        response,
        before,
        zh("Same mobile number as row %(rows)s.", rows="3"),
        zh("Same mobile number as row %(rows)s.", rows="2"),
        zh("Same ID number as row %(rows)s.", rows="4"),
        zh("Same ID number as row %(rows)s.", rows="2"),
    )


def test_a_duplicate_is_reported_even_on_a_row_with_other_errors(
    post_file: Callable[..., Any],
) -> None:
    rows = [good_row(1), good_row(2, 手机号码="13900000001", 界别="不存在界")]
    before = counts()

    response = post_file(xlsx_bytes(rows))

    assert_refused(
        response,
        before,
        zh("Same mobile number as row %(rows)s.", rows="3"),
        zh("Same mobile number as row %(rows)s.", rows="2"),
        zh("Unknown sector “%(value)s” in this committee.", value="不存在界"),
    )


def test_a_mobile_number_of_another_person_in_the_database_is_refused(
    post_file: Callable[..., Any], member: Member
) -> None:
    before = counts()

    response = post_file(xlsx_bytes([good_row(1, 手机号码=member.person.mobile)]))

    assert_refused(
        response,
        before,
        zh("This mobile number is already used by another person in the system."),
    )
    assert AuditEvent.objects.get(action="roster_import").result == AuditEvent.Result.FAILURE


def test_mobile_numbers_swapped_between_two_known_persons_are_accepted(
    post_file: Callable[..., Any],
) -> None:
    post_file(xlsx_bytes([good_row(1), good_row(2)]))

    response = post_file(
        xlsx_bytes([good_row(1, 手机号码="13900000002"), good_row(2, 手机号码="13900000001")])
    )

    assert 'id="roster-updated">2<' in response.content.decode()
    assert Person.objects.get(name="测试委员1").mobile == "13900000002"


def test_a_known_id_number_under_another_name_is_refused(
    post_file: Callable[..., Any], member: Member
) -> None:
    before = counts()

    response = post_file(xlsx_bytes([good_row(1, 身份证号=member.person.id_number, 性别="女")]))

    assert_refused(
        response,
        before,
        zh(
            "This ID number is registered in the system under a different name. "
            "Check the ID number; a change of name is made on the member's page."
        ),
    )


def test_a_file_with_only_the_header_is_refused(post_file: Callable[..., Any]) -> None:
    before = counts()

    response = post_file(xlsx_bytes([]))

    assert_refused(response, before, zh("The file has no data rows below the column titles."))


def test_an_empty_sheet_is_refused(post_file: Callable[..., Any]) -> None:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    before = counts()

    response = post_file(buffer.getvalue())

    assert_refused(
        response, before, zh("The first row must hold the column titles, but the sheet is empty.")
    )


def test_a_zero_byte_file_is_refused(post_file: Callable[..., Any]) -> None:
    before = counts()

    response = post_file(b"")

    assert_refused(response, before, zh("The file is empty."))


def test_no_file_at_all_is_refused(staff: Client, setup: Term) -> None:
    before = counts()

    response = staff.post(reverse(IMPORT_URL), {})

    assert_refused(response, before, zh("Choose the roster file to upload."))


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ("这不是表格，只是一段文字。\n".encode() * 10, "roster.xlsx"),
        ("姓名,性别\n测试委员1,男\n".encode(), "roster.csv"),
        ("姓名,性别\n测试委员1,男\n".encode("gbk"), "roster.xlsx"),
    ],
    ids=["text-renamed", "csv", "csv-renamed"],
)
def test_a_file_that_is_not_xlsx_is_refused(
    post_file: Callable[..., Any], content: bytes, name: str
) -> None:
    before = counts()

    response = post_file(content, name)

    assert_refused(
        response,
        before,
        zh(
            "The file is not an Excel workbook (.xlsx). Save it in Excel as "
            "“Excel Workbook (*.xlsx)” and upload it again."
        ),
    )


def test_a_zip_that_is_not_a_workbook_is_refused(post_file: Callable[..., Any]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    before = counts()

    response = post_file(buffer.getvalue())

    assert_refused(
        response,
        before,
        zh(
            "The file is not an Excel workbook (.xlsx). Save it in Excel as "
            "“Excel Workbook (*.xlsx)” and upload it again."
        ),
    )


def test_a_damaged_workbook_is_refused(post_file: Callable[..., Any]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<broken")
        archive.writestr("xl/workbook.xml", "<broken")
    before = counts()

    response = post_file(buffer.getvalue())

    assert_refused(
        response,
        before,
        zh("The workbook could not be read: it is damaged or not a real .xlsx file."),
    )


def test_an_old_xls_file_is_refused_with_advice(post_file: Callable[..., Any]) -> None:
    before = counts()

    response = post_file(roster.OLE_SIGNATURE + b"\0" * 1000, "roster.xls")

    assert_refused(
        response,
        before,
        zh(
            "This is an old Excel 97-2003 file (.xls). Save it as "
            "“Excel Workbook (*.xlsx)” and upload it again."
        ),
    )


def test_a_20_mb_file_is_refused_before_it_is_read(post_file: Callable[..., Any]) -> None:
    before = counts()

    response = post_file(roster.XLSX_SIGNATURE + b"\0" * (20 * 1024 * 1024))

    assert_refused(
        response,
        before,
        zh("The file is larger than %(limit)s MB. Split it into smaller files.", limit=10),
    )


def test_a_file_just_over_the_limit_is_stopped_by_the_upload_handler(
    post_file: Callable[..., Any], settings: Any, monkeypatch: Any
) -> None:
    # Small enough for the Content-Length check to let it through; the form's
    # own size check is switched off to prove the handler stops it.
    monkeypatch.setattr(RosterUploadForm, "clean_file", lambda form: form.cleaned_data["file"])

    def unreachable(**kwargs: Any) -> None:
        raise AssertionError("the upload handler should have stopped the file")

    monkeypatch.setattr(roster, "roster_import", unreachable)
    before = counts()

    response = post_file(roster.XLSX_SIGNATURE + b"\0" * settings.UPLOAD_MAX_BYTES)

    assert_refused(
        response,
        before,
        zh("The file is larger than %(limit)s MB. Split it into smaller files.", limit=10),
    )


def test_too_many_rows_are_refused(post_file: Callable[..., Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    before = counts()

    response = post_file(xlsx_bytes([good_row(i) for i in range(1, 5)]))

    assert_refused(
        response,
        before,
        zh("The file has more than %(limit)s rows. Split it into smaller files.", limit=3),
    )


def test_without_a_current_term_nothing_is_imported(
    staff: Client, sectors: dict[str, Sector], specials: dict[str, SpecialCommittee]
) -> None:
    before = counts()

    response = staff.post(reverse(IMPORT_URL), {"file": upload(xlsx_bytes([good_row(1)]))})

    assert_refused(
        response,
        before,
        zh("This committee has no current term. Set the current term before importing the roster."),
    )


def test_a_bad_row_stops_the_good_rows_too(post_file: Callable[..., Any]) -> None:
    rows = [good_row(i) for i in range(1, 50)] + [good_row(50, 界别="不存在界")]
    before = counts()

    response = post_file(xlsx_bytes(rows))

    assert_refused(
        response, before, zh("Unknown sector “%(value)s” in this committee.", value="不存在界")
    )


def test_a_persons_added_by_a_concurrent_import_give_a_clear_message(
    post_file: Callable[..., Any], monkeypatch: Any
) -> None:
    # Simulate another committee's import creating the same person between
    # our check and our write: our lookup misses it, the insert collides.
    row = good_row(1)
    PersonFactory(name=row["姓名"], mobile=row["手机号码"], id_number=row["身份证号"])
    real = importing._persons_by

    def blind(field_name: str, hashes: list[str]) -> list[Person]:
        return [] if field_name == "id_number_hash" else real(field_name, hashes)

    monkeypatch.setattr(importing, "_persons_by", blind)
    monkeypatch.setattr(importing, "_check_against_database", lambda rows, persons: [])
    before = counts()

    response = post_file(xlsx_bytes([row]))

    assert_refused(
        response,
        before,
        zh(
            "Another roster import added some of these persons at the same time. "
            "Nothing was imported from this file; upload it again."
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_do_not_duplicate_persons(
    committee: Committee, staff_user: User, term: Term, sectors: Any, specials: Any
) -> None:
    content = xlsx_bytes([good_row(i) for i in range(1, 41)])
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            results.append(
                roster.roster_import(
                    actor=staff_user, committee=committee, file=io.BytesIO(content)
                )
            )
        except Exception as error:  # the other outcome the service allows
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Person.objects.count() == 40
    assert Member.objects.count() == 40
    created = sorted(r.created for r in results if isinstance(r, roster.ImportResult))
    assert len(results) == 2
    errors = [r for r in results if not isinstance(r, roster.ImportResult)]
    # Either both succeed (one creates, one updates) or one is told to retry.
    assert created in ([0, 40], [40]), results
    assert all(isinstance(e, Conflict) for e in errors)


def test_the_import_form_requires_the_csrf_token(staff_user: User, setup: Term) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    before = counts()

    response = client.post(reverse(IMPORT_URL), {"file": upload(xlsx_bytes([good_row(1)]))})

    assert response.status_code == 403
    assert counts() == before


# --- Query counts ------------------------------------------------------------


@pytest.mark.parametrize("size", [100, 300])
def test_an_import_takes_a_bounded_number_of_queries(
    committee: Committee, staff_user: User, setup: Term, size: int
) -> None:
    content = xlsx_bytes([good_row(i) for i in range(1, size + 1)])

    with CaptureQueriesContext(connection) as created:
        roster.roster_import(actor=staff_user, committee=committee, file=io.BytesIO(content))
    with CaptureQueriesContext(connection) as updated:
        roster.roster_import(actor=staff_user, committee=committee, file=io.BytesIO(content))

    assert Member.objects.count() == size
    # SQLite limits a statement to 999 parameters, so bulk writes come in
    # batches; the bound below holds for 100 and for 300 rows alike.
    assert len(created) <= 40, [q["sql"][:80] for q in created.captured_queries]
    assert len(updated) <= 40, [q["sql"][:80] for q in updated.captured_queries]


# --- Permissions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "area", "can_import", "can_export"),
    [
        (Role.STAFF, Area.ORG, True, True),
        (Role.LEADER, "", False, True),
        (Role.STAFF, Area.PROPOSALS, False, False),
        (Role.UNIT, "", False, False),
        (Role.GOV_LEADER, "", False, False),
        (Role.SYSADMIN, "", False, False),
        (Role.SECADMIN, "", False, False),
        (Role.AUDITOR, "", False, False),
    ],
)
def test_who_may_import_and_export_the_roster(
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    committee: Committee,
    setup: Term,
    role: str,
    area: str,
    can_import: bool,
    can_export: bool,
) -> None:
    client = client_for(make_user(role, committee, area))
    before = counts()

    import_page = client.get(reverse(IMPORT_URL))
    template = client.get(reverse("org:roster_template"))
    posted = client.post(reverse(IMPORT_URL), {"file": upload(xlsx_bytes([good_row(1)]))})
    export = client.get(reverse("org:roster_export"))

    assert import_page.status_code == (200 if can_import else 403)
    assert template.status_code == (200 if can_import else 403)
    assert posted.status_code == (200 if can_import else 403)
    assert export.status_code == (200 if can_export else 403)
    if not can_import:
        assert counts() == before
        # The 403 handler writes each refusal to the audit trail.
        assert AuditEvent.objects.filter(result=AuditEvent.Result.DENIED).exists()


def test_a_member_may_neither_import_nor_export(
    client_for: Callable[[User], Client], member_user: User, setup: Term
) -> None:
    client = client_for(member_user)
    before = counts()

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert (
        client.post(reverse(IMPORT_URL), {"file": upload(xlsx_bytes([good_row(1)]))}).status_code
        == 403
    )
    assert client.get(reverse("org:roster_export")).status_code == 403
    assert client.get(reverse("org:roster_template")).status_code == 403
    assert counts() == before


def test_staff_of_another_committee_may_not_import_here(
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    other_committee: Committee,
    setup: Term,
) -> None:
    # Their current committee is their own: the roster of "committee" is out of reach,
    # and what they upload could only go to their own committee.
    client = client_for(make_user(Role.STAFF, other_committee, Area.ORG))
    before = counts()

    response = client.post(reverse(IMPORT_URL), {"file": upload(xlsx_bytes([good_row(1)]))})

    # Their committee has no term and no such sector: nothing lands anywhere.
    assert response.status_code == 200
    assert counts() == before


@pytest.mark.parametrize("name", ["org:roster_import", "org:roster_template", "org:roster_export"])
def test_anonymous_users_are_sent_to_the_login_page(client: Client, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_import_page_links_to_the_template(staff: Client, setup: Term) -> None:
    response = staff.get(reverse(IMPORT_URL))

    content = response.content.decode()
    assert reverse("org:roster_template") in content
    assert 'name="file"' in content and 'enctype="multipart/form-data"' in content
    assert setup.name in content


# --- Export ------------------------------------------------------------


@pytest.fixture
def roster_members(
    committee: Committee, setup: Term, specials: dict[str, SpecialCommittee]
) -> list[Member]:
    members = []
    for index, (name, position) in enumerate(
        [('=HYPERLINK("http://x")', Member.Position.MEMBER), ("钱示例", Member.Position.STANDING)],
        start=1,
    ):
        person = PersonFactory(
            name=name,
            gender="M",
            birth_date=birth_date_from_id(id_number(index * 2)),
            party=Party.JS,
            mobile=f"1390000000{index}",
            id_number=id_number(index * 2),
        )
        member = MemberFactory(
            committee=committee,
            term=setup,
            person=person,
            sector=Sector.objects.get(committee=committee, name="经济界"),
            position=position,
        )
        member.special_committees.add(specials["提案委员会"])
        members.append(member)
    return members


def test_org_staff_export_shows_full_numbers(staff: Client, roster_members: list[Member]) -> None:
    # Full numbers only through the export with a purpose (issue 11).
    response = staff.post(
        reverse("org:roster_export_full"), {"purpose": "换届委员资格审查", "confirm": "on"}
    )

    assert response.status_code == 200
    rows = read_xlsx(response_bytes(response))
    assert list(rows[0]) == list(roster.HEADERS)
    by_name = {row[0]: row for row in rows[1:]}
    qian = by_name["钱示例"]
    assert qian[8] == "13900000002" and qian[9] == id_number(4)
    assert qian[1] == "男" and qian[4] == "九三学社" and qian[11] == "常委"
    assert qian[10] == "经济界" and qian[12] == "提案委员会"


def test_a_leader_export_masks_the_numbers(
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    committee: Committee,
    roster_members: list[Member],
) -> None:
    client = client_for(make_user(Role.LEADER, committee))

    response = client.get(reverse("org:roster_export"))

    content = response_bytes(response)
    rows = read_xlsx(content)
    qian = {row[0]: row for row in rows[1:]}["钱示例"]
    assert qian[8] == "139****0002"
    assert qian[9] == id_number(4)[:6] + "********" + id_number(4)[-4:]
    assert b"13900000002" not in content


def test_every_export_is_audited_with_its_filter_and_row_count(
    staff: Client, staff_user: User, roster_members: list[Member]
) -> None:
    staff.get(reverse("org:roster_export"), {"position": "standing", "q": "钱"})

    event = AuditEvent.objects.get(action="export")
    assert event.actor == staff_user
    assert event.detail["rows"] == "1"
    assert "standing" in event.detail["filter"] and "钱" in event.detail["filter"]
    # The plain export masks the numbers, for org staff too (issue 11).
    assert event.detail["full_personal_data"] == "False"


def test_the_export_follows_the_filters(
    staff: Client,
    committee: Committee,
    other_committee: Committee,
    roster_members: list[Member],
    specials: Any,
) -> None:
    economy = Sector.objects.get(committee=committee, name="经济界")

    def names(**params: Any) -> set[str]:
        rows = read_xlsx(response_bytes(staff.get(reverse("org:roster_export"), params)))
        return {row[0] for row in rows[1:]}

    qian, formula = "钱示例", "'" + roster_members[0].person.name  # exported as text
    assert names(q="钱") == {qian}
    assert names(q="13900000002") == {qian}  # a whole mobile number matches
    assert names(position="standing") == {qian}
    assert names(sector=economy.pk) == {qian, formula}
    assert names(special_committee=specials["文史委员会"].pk) == set()
    assert names(party=Party.CPC) == set()
    assert names(status=Member.Status.RESIGNED) == set()
    earlier = Term.objects.get(committee=committee, number=14)
    assert names(term=earlier.pk) == set()
    assert names(sector="not-a-number") == {qian, formula}
    assert names(term="") == {qian, formula}  # every term, as "All terms" in the list
    assert names(term="999999") == {qian, formula}  # not a term here: the current one
    foreign = SectorFactory(committee=other_committee, name="外地界")
    assert names(sector=foreign.pk) == {qian, formula}  # dropped, as the list drops it


def test_the_export_never_shows_another_committee(
    staff: Client, other_committee: Committee, roster_members: list[Member]
) -> None:
    MemberFactory(committee=other_committee, person=PersonFactory(name="外地委员"))

    rows = read_xlsx(response_bytes(staff.get(reverse("org:roster_export"), {"term": ""})))

    assert "外地委员" not in {row[0] for row in rows[1:]}
    assert len(rows) == 3


def test_a_name_starting_with_equals_is_exported_as_text(
    staff: Client, roster_members: list[Member]
) -> None:
    response = staff.get(reverse("org:roster_export"))

    workbook = openpyxl.load_workbook(io.BytesIO(response_bytes(response)))
    cells = [row[0] for row in workbook.worksheets[0].iter_rows(min_row=2)]
    names = [cell.value for cell in cells]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(cell.data_type != "f" for cell in cells)


def test_an_export_by_org_staff_imports_back_unchanged(
    staff: Client, post_file: Callable[..., Any], roster_members: list[Member]
) -> None:
    Person.objects.filter(pk=roster_members[0].person_id).update(name="孙示例")
    # The file with full numbers (its sheet named after the exporter) imports back.
    exported = response_bytes(
        staff.post(reverse("org:roster_export_full"), {"purpose": "核对名册", "confirm": "on"})
    )
    before = counts()

    response = post_file(exported)

    assert 'id="roster-unchanged">2<' in response.content.decode()
    assert counts() == before


def test_the_export_query_count_does_not_grow_with_rows(
    staff: Client, committee: Committee, setup: Term, specials: Any
) -> None:
    def export_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response_bytes(staff.get(reverse("org:roster_export")))
        return len(queries)

    sector = Sector.objects.get(committee=committee, name="经济界")
    for _ in range(5):
        MemberFactory(committee=committee, term=setup, sector=sector)
    export_queries()  # the session's first page view also stores its clocks
    small = export_queries()
    for _ in range(30):
        MemberFactory(committee=committee, term=setup, sector=sector)
    assert export_queries() == small


# --- Hostile workbooks (issue 11: an XXE or billion-laughs workbook gave a 500) ---------

XXE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
BOMB = (
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def _with_doctype(content: bytes, member: str, doctype: str, entity: str) -> bytes:
    """The workbook with ``doctype`` declared in one of its XML parts and the
    entity used in its first text, if it has one."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                text = data.decode()
                head, body = ("", text)
                if text.startswith("<?xml"):
                    end = text.index("?>") + 2
                    head, body = text[:end], text[end:]
                body = body.replace("<t>", f"<t>{entity}", 1).replace("<v>", f"<v>{entity}", 1)
                data = (head + doctype + body).encode()
            target.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
@pytest.mark.parametrize(("doctype", "entity"), [(XXE, "&e;"), (BOMB, "&d;")], ids=["xxe", "bomb"])
def test_a_workbook_with_xml_entities_is_refused_with_a_clear_message(
    post_file: Callable[..., Any], member: str, doctype: str, entity: str
) -> None:
    before = counts()
    hostile = _with_doctype(xlsx_bytes([good_row(1)]), member, doctype, entity)
    response = post_file(hostile)
    refusal = zh("The workbook declares XML entities, which Excel never does; it is refused.")
    assert_refused(response, before, refusal)
    assert "root:" not in response.content.decode()

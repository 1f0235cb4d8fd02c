"""The organisation pages in Chromium, as the people who use them: org staff
on a desktop add a member by hand and import the roster (a good file and a
bad one), and a member who sits on two committees switches between them on
a phone and sees their own profile with the numbers masked."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from lvzhi.core.models import AuditEvent
from lvzhi.org import roster
from lvzhi.org.models import Committee, Member, Person, Sector, SpecialCommittee, Term
from lvzhi.org.tests.factories import (
    CommitteeFactory,
    MemberFactory,
    PersonFactory,
    SectorFactory,
    SpecialCommitteeFactory,
    TermFactory,
)
from lvzhi.org.validators import make_id_number
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# Screenshots for a person to look at (layout, CJK font); /tmp unless overridden.
SCREENSHOTS = Path(os.environ.get("LVZHI_SCREENSHOTS", tempfile.gettempdir()))
PHONE_WIDTH = 390


# --- Helpers ------------------------------------------------------------------


def zh(message: str, **params: Any) -> str:
    """A message as the Chinese interface shows it: translated when the
    catalogue is compiled, the English msgid otherwise (the server runs in
    this process, so it uses the same catalogue)."""
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % params if params else text


def url(live_server: Any, name: str, *args: Any) -> str:
    return live_server.url + reverse(name, args=args)


def id_number(index: int, *, male: bool = True) -> str:
    """A valid, invented ID number; ``index`` makes it unique."""
    birth = dt.date(1962, 3, 1) + dt.timedelta(days=index * 11)
    sequence = (index % 400) * 2 + (1 if male else 0)
    return make_id_number(f"110105{birth:%Y%m%d}{sequence:03d}")


def with_wrong_check_digit(number: str) -> str:
    """The same number with a check character that does not match."""
    for candidate in "0123456789X":
        if candidate != number[-1]:
            return number[:-1] + candidate
    raise AssertionError("unreachable")


def roster_row(index: int, **overrides: Any) -> dict[str, Any]:
    """One row of the roster, keyed by the importer's Chinese column titles."""
    row = {
        "姓名": f"浏览器委员{index}",
        "性别": "男" if index % 2 == 0 else "女",
        "民族": "汉族",
        "出生日期": "",
        "政治面貌": "民盟",
        "学历": "大学本科",
        "工作单位": "示例市某某研究院",
        "职务职称": "研究员",
        "手机号码": f"139{index:08d}",
        "身份证号": id_number(index, male=index % 2 == 0),
        "界别": "经济界",
        "委员职务": "委员",
        "专委会": "提案委员会",
        "任职日期": "2023-01-10",
    }
    row.update(overrides)
    return row


def write_roster(path: Path, rows: list[dict[str, Any]]) -> Path:
    """An .xlsx file with the importer's header and ``rows``; IDs typed as text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(roster.HEADERS))
    for row in rows:
        sheet.append([row.get(title) for title in roster.HEADERS])
    workbook.save(path)
    return path


def counts() -> tuple[int, int]:
    return Person.objects.count(), Member.objects.count()


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def upload_roster(page: Any, live_server: Any, path: Path) -> None:
    page.goto(url(live_server, "org:roster_import"))
    page.locator("#roster-import-form input[type=file][name=file]").set_input_files(str(path))
    with page.expect_navigation():
        page.locator("#roster-import-form button[type=submit]").click()


# --- Fixtures -----------------------------------------------------------------


@pytest.fixture
def city() -> Committee:
    return CommitteeFactory(
        name="示例市政协", short_name="示例市政协", code="flows-city", level="city"
    )


@pytest.fixture
def term(city: Committee) -> Term:
    TermFactory(committee=city, number=14, name="第十四届", is_current=False)
    return TermFactory(committee=city, number=15, name="第十五届", is_current=True)


@pytest.fixture
def sector(city: Committee) -> Sector:
    SectorFactory(committee=city, name="教育界", order=1)
    return SectorFactory(committee=city, name="经济界", order=0)


@pytest.fixture
def special(city: Committee) -> SpecialCommittee:
    SpecialCommitteeFactory(committee=city, name="文史委员会", order=1)
    return SpecialCommitteeFactory(committee=city, name="提案委员会", order=0)


@pytest.fixture
def staff(city: Committee, term: Term, sector: Sector, special: SpecialCommittee) -> User:
    """Org staff of a committee with a current term, sectors and special committees."""
    user = UserFactory(username="flows-staff", display_name="周文静")
    RoleAssignmentFactory(user=user, committee=city, role=Role.STAFF, area=Area.ORG)
    return user


# --- 1. A member added by hand ------------------------------------------------------


def test_org_staff_add_a_member_on_a_desktop_and_see_the_numbers_masked_until_revealed(
    live_server, desktop_page, city, term, sector, special, staff
):
    mobile = "13912345678"
    number = id_number(7, male=True)
    page = desktop_page
    login(page, live_server.url, "flows-staff", PASSWORD)

    # The member list is reached through the menu, and offers "new member".
    with page.expect_navigation():
        page.locator(f"#main-nav a[href='{reverse('org:member_list')}']").click()
    expect(page.locator("h1")).to_have_text(re.compile("委员|Members"))
    with page.expect_navigation():
        page.locator(f"a[href='{reverse('org:member_create')}']").click()

    page.fill("#id_name", "钱思远")
    page.select_option("#id_gender", "M")
    page.fill("#id_ethnicity", "回族")
    page.select_option("#id_party", "cpc")
    page.select_option("#id_education", "master")
    page.fill("#id_employer", "示例市第一中学")
    page.fill("#id_job_title", "校长")
    page.fill("#id_mobile", mobile)
    page.fill("#id_id_number", number)
    # The current term is chosen already.
    expect(page.locator("#id_term")).to_have_value(str(term.pk))
    page.select_option("#id_sector", str(sector.pk))
    page.select_option("#id_position", "standing")
    page.locator(f"input[name=special_committees][value='{special.pk}']").check()
    page.fill("#id_start_date", "2023-01-10")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    member = Member.objects.select_related("person").get(person__name="钱思远")
    assert page.url == url(live_server, "org:member_detail", member.pk)
    expect(page.locator(".alert-success")).to_contain_text(zh("The member has been saved."))
    expect(page.locator("h1")).to_have_text("钱思远")
    # Stored as typed, shown masked.
    assert member.committee == city and member.term == term and member.sector == sector
    assert member.position == Member.Position.STANDING
    assert [s.name for s in member.special_committees.all()] == ["提案委员会"]
    assert member.person.mobile == mobile and member.person.id_number == number
    expect(page.locator("[data-number=mobile]")).to_have_text("139****5678")
    expect(page.locator("[data-number=id_number]")).to_have_text(
        number[:6] + "********" + number[-4:]
    )
    content = page.content()
    assert mobile not in content and number not in content
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()

    # The new member is in the list, masked there too.
    with page.expect_navigation():
        page.locator(f".breadcrumb a[href='{reverse('org:member_list')}']").click()
    row = page.locator("#member-table tbody tr", has_text="钱思远")
    expect(row).to_have_count(1)
    expect(row.locator("td.masked")).to_have_text("139****5678")
    assert mobile not in page.content()

    # The reveal button swaps in the full numbers (htmx) and is audited.
    with page.expect_navigation():
        row.locator("a").first.click()
    page.locator("#member-numbers button[type=submit]").click()
    expect(page.locator("[data-number=mobile]")).to_have_text(mobile)
    expect(page.locator("[data-number=id_number]")).to_have_text(number)
    assert page.url == url(live_server, "org:member_detail", member.pk)  # no page load
    event = AuditEvent.objects.get(action="view_personal_data")
    assert event.actor == staff and event.committee_id == city.pk
    page.screenshot(path=SCREENSHOTS / "lvzhi-browser-member-revealed.png", full_page=True)


# --- 2. A good roster ---------------------------------------------------------


def test_org_staff_import_a_good_roster_and_see_how_many_members_were_added(
    live_server, desktop_page, city, term, staff, tmp_path
):
    rows = [
        roster_row(1),
        roster_row(2, 委员职务="常委", 专委会="提案委员会、文史委员会"),
        roster_row(3, 界别="教育界", 专委会=""),
    ]
    path = write_roster(tmp_path / "委员名册.xlsx", rows)
    page = desktop_page
    login(page, live_server.url, "flows-staff", PASSWORD)

    upload_roster(page, live_server, path)

    expect(page.locator("#roster-import-result")).to_be_visible()
    expect(page.locator("#roster-created")).to_have_text("3")
    expect(page.locator("#roster-updated")).to_have_text("0")
    expect(page.locator("#roster-unchanged")).to_have_text("0")
    members = Member.objects.filter(committee=city, term=term).select_related("person", "sector")
    assert sorted(m.person.name for m in members) == ["浏览器委员1", "浏览器委员2", "浏览器委员3"]
    second = members.get(person__name="浏览器委员2")
    assert second.position == Member.Position.STANDING
    assert {s.name for s in second.special_committees.all()} == {"提案委员会", "文史委员会"}
    assert second.person.mobile == "13900000002"
    assert members.get(person__name="浏览器委员3").sector.name == "教育界"
    page.screenshot(path=SCREENSHOTS / "lvzhi-browser-roster-imported.png", full_page=True)

    # The members are on the list page.
    with page.expect_navigation():
        page.locator(f"#main a[href='{reverse('org:member_list')}']").click()
    expect(page.locator("#member-table tbody tr")).to_have_count(3)


# --- 3. A bad roster ----------------------------------------------------------


def test_org_staff_upload_a_bad_roster_and_see_every_error_with_its_row(
    live_server, desktop_page, city, term, staff, tmp_path
):
    rows = [
        roster_row(1, 身份证号=with_wrong_check_digit(id_number(1, male=False))),  # row 2
        roster_row(2, 界别="不存在界"),  # row 3
        roster_row(3, 手机号码="13955556666"),  # row 4
        roster_row(4, 手机号码="13955556666"),  # row 5
        roster_row(5),  # row 6: fine, but not imported either
    ]
    path = write_roster(tmp_path / "有错误的名册.xlsx", rows)
    before = counts()
    page = desktop_page
    login(page, live_server.url, "flows-staff", PASSWORD)

    upload_roster(page, live_server, path)

    expect(page.locator("#roster-import-failed")).to_be_visible()
    table = page.locator("table#roster-errors")
    expect(table).to_be_visible()
    body_rows = table.locator("tbody tr")
    expect(body_rows).to_have_count(4)
    problems = [
        tuple(cells.strip() for cells in body_rows.nth(i).locator("td").all_inner_texts())
        for i in range(body_rows.count())
    ]
    assert problems[0] == ("2", "身份证号", zh("The check digit of the ID number is wrong."))
    assert problems[1] == (
        "3",
        "界别",
        zh("Unknown sector “%(value)s” in this committee.", value="不存在界"),
    )
    assert problems[2] == ("4", "手机号码", zh("Same mobile number as row %(rows)s.", rows="5"))
    assert problems[3] == ("5", "手机号码", zh("Same mobile number as row %(rows)s.", rows="4"))
    if zh("Row") != "Row":  # The Chinese catalogue is compiled: the reasons are Chinese.
        assert all(re.search(r"[\u4e00-\u9fff]", reason) for _row, _col, reason in problems)
    # Nothing was written, not even the good row.
    assert counts() == before
    assert not Person.objects.filter(name__startswith="浏览器委员").exists()
    assert not page.locator("#roster-import-result").count()
    page.screenshot(path=SCREENSHOTS / "lvzhi-browser-roster-errors.png", full_page=True)


# --- 4. A member of two committees on a phone ------------------------------------


def test_a_member_of_two_committees_switches_on_a_phone_and_sees_a_masked_profile(
    live_server, phone_page, city
):
    county = CommitteeFactory(
        name="示例县政协", short_name="示例县政协", code="flows-county", level="county"
    )
    user = UserFactory(username="flows-member", display_name="孙丽华")
    person = PersonFactory(
        name="孙丽华", user=user, mobile="13800138000", id_number="11010519491231002X"
    )
    MemberFactory(committee=city, person=person)
    MemberFactory(committee=county, person=person, position=Member.Position.STANDING)
    page = phone_page
    login(page, live_server.url, "flows-member", PASSWORD)

    # The city comes first; the county is one choice away in the collapsed menu.
    expect(page.locator("#home-committee")).to_contain_text("示例市政协")
    no_sideways_scroll(page)
    page.locator(".navbar-toggler").tap()
    select = page.locator("#committee-switcher #committee-select")
    expect(select).to_be_visible()
    expect(select.locator("option")).to_have_text(["示例市政协", "示例县政协"])
    with page.expect_navigation():
        select.select_option(str(county.pk))  # submits itself (static/js/lvzhi.js)
    expect(page.locator("#home-committee")).to_contain_text("示例县政协")
    expect(page.locator("#committee-select")).to_have_value(str(county.pk))

    page.locator(".navbar-toggler").tap()
    with page.expect_navigation():
        page.locator(f"#main-nav a[href='{reverse('org:my_profile')}']").tap()

    assert page.url == url(live_server, "org:my_profile")
    expect(page.locator("h1")).to_have_text("孙丽华")
    expect(page.locator("main")).to_contain_text("示例县政协")
    expect(page.locator("[data-number=mobile]")).to_have_text("138****8000")
    expect(page.locator("[data-number=id_number]")).to_have_text("110105********002X")
    content = page.content()
    assert "13800138000" not in content and "11010519491231002X" not in content
    # A member cannot reveal the numbers, not even their own.
    expect(page.locator("#member-numbers form")).to_have_count(0)
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()
    no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / "lvzhi-browser-my-profile-phone.png", full_page=True)

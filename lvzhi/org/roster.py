"""The member roster (委员名册) as an Excel file: the template, the import and
the export.

The file format is Chinese on purpose: column titles and values are what
staff type in Excel (``男``, ``中共``, ``常委``), whatever language the
interface runs in. The mappings below are explicit so an import never
depends on the active translation.

An import reads and checks the whole file first and writes nothing unless
every row is right; then it writes every row in one transaction with bulk
queries, so a file of a thousand rows costs a handful of queries.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from lvzhi.core import crypto
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, DomainError
from lvzhi.core.models import AuditEvent
from lvzhi.org import selectors
from lvzhi.org.models import (
    Committee,
    Education,
    Gender,
    Member,
    Party,
    Person,
    Sector,
    SpecialCommittee,
    Term,
)
from lvzhi.org.validators import (
    birth_date_from_id,
    gender_from_id,
    id_number_error,
    make_id_number,
    mobile_error,
    normalise_id_number,
)

T = TypeVar("T")

# --- The file format ------------------------------------------------------------

SHEET_TITLE = "委员名册"
HELP_SHEET_TITLE = "填写说明"

# (key, column title) in template order. The key names the field it fills.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("party", "政治面貌"),
    ("education", "学历"),
    ("employer", "工作单位"),
    ("job_title", "职务职称"),
    ("mobile", "手机号码"),
    ("id_number", "身份证号"),
    ("sector", "界别"),
    ("position", "委员职务"),
    ("special_committees", "专委会"),
    ("start_date", "任职日期"),
)
TITLES: dict[str, str] = dict(COLUMNS)
HEADERS: tuple[str, ...] = tuple(title for _key, title in COLUMNS)
REQUIRED: frozenset[str] = frozenset(
    {"name", "gender", "party", "mobile", "id_number", "sector", "start_date"}
)
# Titles people commonly type instead of ours.
HEADER_ALIASES: dict[str, str] = {
    "手机": "mobile",
    "手机号": "mobile",
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "所属界别": "sector",
    "专门委员会": "special_committees",
    "所属专委会": "special_committees",
    "政协职务": "position",
    "单位": "employer",
    "职称": "job_title",
    "任职时间": "start_date",
    "出生年月": "birth_date",
}
_HEADER_KEYS: dict[str, str] = {title: key for key, title in COLUMNS} | HEADER_ALIASES

# Canonical Chinese value first (used in the template and the export), then aliases.
GENDER_VALUES: dict[str, str] = {
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "男性": Gender.MALE,
    "女性": Gender.FEMALE,
}
PARTY_VALUES: dict[str, str] = {
    "中共": Party.CPC,
    "民革": Party.RCCK,
    "民盟": Party.CDL,
    "民建": Party.CNDCA,
    "民进": Party.CAPD,
    "农工党": Party.CPWDP,
    "致公党": Party.CZGP,
    "九三学社": Party.JS,
    "台盟": Party.TDSL,
    "无党派人士": Party.NONPARTY,
    "群众": Party.MASSES,
    "中共党员": Party.CPC,
    "中共预备党员": Party.CPC,
    "中国共产党": Party.CPC,
    "中国共产党党员": Party.CPC,
    "民革党员": Party.RCCK,
    "民革会员": Party.RCCK,
    "中国国民党革命委员会": Party.RCCK,
    "民盟盟员": Party.CDL,
    "中国民主同盟": Party.CDL,
    "民建会员": Party.CNDCA,
    "中国民主建国会": Party.CNDCA,
    "民进会员": Party.CAPD,
    "中国民主促进会": Party.CAPD,
    "农工党党员": Party.CPWDP,
    "中国农工民主党": Party.CPWDP,
    "致公党党员": Party.CZGP,
    "中国致公党": Party.CZGP,
    "九三学社社员": Party.JS,
    "台盟盟员": Party.TDSL,
    "台湾民主自治同盟": Party.TDSL,
    "无党派": Party.NONPARTY,
}
EDUCATION_VALUES: dict[str, str] = {
    "博士研究生": Education.DOCTORATE,
    "硕士研究生": Education.MASTER,
    "大学本科": Education.BACHELOR,
    "大学专科": Education.COLLEGE,
    "中专及以下": Education.SECONDARY,
    "博士": Education.DOCTORATE,
    "研究生（博士）": Education.DOCTORATE,
    "硕士": Education.MASTER,
    "研究生（硕士）": Education.MASTER,
    "研究生": Education.MASTER,
    "本科": Education.BACHELOR,
    "大专": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "中专": Education.SECONDARY,
    "高中": Education.SECONDARY,
    "初中": Education.SECONDARY,
}
POSITION_VALUES: dict[str, str] = {
    "主席": Member.Position.CHAIR,
    "副主席": Member.Position.VICE_CHAIR,
    "秘书长": Member.Position.SECRETARY_GENERAL,
    "常委": Member.Position.STANDING,
    "委员": Member.Position.MEMBER,
    "常务委员": Member.Position.STANDING,
}


def _canonical(values: Mapping[str, str]) -> dict[str, str]:
    """Code -> the first (canonical) Chinese name."""
    names: dict[str, str] = {}
    for name, code in values.items():
        names.setdefault(str(code), name)
    return names


GENDER_NAMES = _canonical(GENDER_VALUES)
PARTY_NAMES = _canonical(PARTY_VALUES)
EDUCATION_NAMES = _canonical(EDUCATION_VALUES)
POSITION_NAMES = _canonical(POSITION_VALUES)

SPECIAL_COMMITTEE_SEPARATOR = "、"
_LIST_SPLIT_RE = re.compile(r"[、,，;；/\n]+")
_SPACE_RE = re.compile(r"\s+")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
MAX_ROWS = 5000
# The column titles are looked for in this many first rows (a title may come first).
HEADER_SEARCH_ROWS = 10
# A 10 MB .xlsx unpacks to far less than this; more means a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
BATCH_SIZE = 500

# The invented example row of the template; uploading it unchanged is refused.
EXAMPLE_ID_NUMBER = make_id_number("11010119800101123")
EXAMPLE_ROW: dict[str, Any] = {
    "name": "赵示例",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": date(1980, 1, 1),
    "party": "民盟",
    "education": "硕士研究生",
    "employer": "示例市第一中学",
    "job_title": "校长、高级教师",
    "mobile": "13900000000",
    "id_number": EXAMPLE_ID_NUMBER,
    "sector": "",
    "position": "委员",
    "special_committees": "",
    "start_date": date(2023, 1, 10),
}

_MAX_LENGTHS: dict[str, int] = {
    name: int(getattr(Person._meta.get_field(name), "max_length", 0) or 0)
    for name in ("name", "ethnicity", "employer", "job_title")
}
# The earliest plausible start of a seat: the first CPPCC plenary session.
_EARLIEST_START = date(1949, 9, 21)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


# --- Results and problems ----------------------------------------------------------


@dataclass(frozen=True)
class RosterProblem:
    """One thing wrong with the file: its Excel row (None for the whole file),
    the column title and the reason, in the user's language."""

    row: int | None
    column: str
    message: str


class RosterInvalid(DomainError):
    """The file was refused; ``problems`` lists every reason. Nothing was written."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        super().__init__(
            _("The file was not imported. Correct the errors below and upload it again.")
        )
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    """What an import did: seats added, seats updated, seats already as in the file."""

    created: int
    updated: int
    unchanged: int
    term: Term


@dataclass
class _Row:
    """A row as read from the sheet: Excel row number and raw cell values by key."""

    number: int
    values: dict[str, Any]


@dataclass
class _CleanRow:
    """A checked row. ``None`` means the column is absent from the file: an
    update leaves that field as it is, a new person gets the default."""

    number: int
    name: str
    gender: str
    birth_date: date
    party: str
    mobile: str
    id_number: str
    sector: Sector
    start_date: date
    ethnicity: str | None = None
    education: str | None = None
    employer: str | None = None
    job_title: str | None = None
    position: str | None = None
    special_committees: list[SpecialCommittee] | None = None
    id_hash: str = ""
    mobile_hash: str = ""


@dataclass
class _Sheet:
    columns: list[str | None]  # key per column position; None = ignored
    rows: list[_Row] = field(default_factory=list)


# --- Reading the file ----------------------------------------------------------------


def _problem(message: str, row: int | None = None, column: str = "") -> RosterProblem:
    return RosterProblem(row=row, column=column, message=message)


def too_large_message() -> str:
    limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    return _("The file is larger than %(limit)s MB. Split it into smaller files.") % {
        "limit": limit
    }


def _not_xlsx_message() -> str:
    return _(
        "The file is not an Excel workbook (.xlsx). Save it in Excel as "
        "“Excel Workbook (*.xlsx)” and upload it again."
    )


def _normalise_header(value: Any) -> str:
    text = _SPACE_RE.sub("", str(value))
    for mark in ("*", "＊", "(必填)", "（必填）", "(选填)", "（选填）"):
        text = text.replace(mark, "")
    return text


def _open_workbook(file: IO[bytes]) -> Any:
    """The workbook, or RosterInvalid when the bytes are not a usable .xlsx."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise RosterInvalid([_problem(_("The file is empty."))])
    if size > settings.UPLOAD_MAX_BYTES:
        raise RosterInvalid([_problem(too_large_message())])
    head = file.read(8)
    file.seek(0)
    if head.startswith(OLE_SIGNATURE):
        raise RosterInvalid(
            [
                _problem(
                    _(
                        "This is an old Excel 97-2003 file (.xls). Save it as "
                        "“Excel Workbook (*.xlsx)” and upload it again."
                    )
                )
            ]
        )
    if not head.startswith(XLSX_SIGNATURE):
        raise RosterInvalid([_problem(_not_xlsx_message())])
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RosterInvalid([_problem(_not_xlsx_message())]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterInvalid(
            [_problem(_("The workbook is too large once unpacked; it is refused."))]
        )
    if "xl/workbook.xml" not in names:
        # A zip, a .docx or an .ods: not an Excel workbook.
        raise RosterInvalid([_problem(_not_xlsx_message())])
    file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on damaged files
        raise RosterInvalid(
            [_problem(_("The workbook could not be read: it is damaged or not a real .xlsx file."))]
        ) from None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> tuple[int, tuple[Any, ...]]:
    """The row of column titles: the first row naming at least three of our
    columns within the first rows (a title such as 某某政协委员名册 may come
    first), else the first non-empty row, whose titles are then reported."""
    first: tuple[int, tuple[Any, ...]] | None = None
    for number, values in rows:
        if all(_is_blank(v) for v in values):
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        first = first or (number, values)
        known = {_HEADER_KEYS.get(_normalise_header(v)) for v in values if not _is_blank(v)}
        if len(known - {None}) >= 3:
            return number, values
        if number >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise RosterInvalid(
            [_problem(_("The first row must hold the column titles, but the sheet is empty."))]
        )
    return first


def _columns(number: int, header: tuple[Any, ...]) -> list[str | None]:
    """The field key of each column; RosterInvalid names unknown, repeated
    and missing columns."""
    problems: list[RosterProblem] = []
    columns: list[str | None] = []
    seen: set[str] = set()
    for value in header:
        if _is_blank(value):
            columns.append(None)
            continue
        title = _normalise_header(value)
        key = _HEADER_KEYS.get(title)
        if key is None:
            message = _("Unknown column “%(column)s”.") % {"column": title}
            problems.append(_problem(message, row=number, column=title))
            columns.append(None)
        elif key in seen:
            message = _("The column “%(column)s” appears twice.") % {"column": TITLES[key]}
            problems.append(_problem(message, row=number, column=TITLES[key]))
            columns.append(None)
        else:
            seen.add(key)
            columns.append(key)
    for key, title in COLUMNS:
        if key in REQUIRED and key not in seen:
            message = _("The column “%(column)s” is missing.") % {"column": title}
            problems.append(_problem(message, row=number, column=title))
    if problems:
        raise RosterInvalid(problems)
    while columns and columns[-1] is None:
        columns.pop()
    return columns


def read_sheet(file: IO[bytes]) -> _Sheet:
    """Open the file and read the column titles and the data rows of the
    first sheet, with their Excel row numbers.

    Raises RosterInvalid for problems of the whole file (format, size,
    columns, no rows)."""
    workbook = _open_workbook(file)
    try:
        sheet = workbook.worksheets[0]
        # The dimension a file declares may be wrong (or huge): read what is there.
        sheet.reset_dimensions()
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        parsed = _Sheet(columns=_columns(*_find_header(rows)))
        for number, values in rows:  # the rows below the titles
            if all(_is_blank(v) for v in values):
                continue
            if len(parsed.rows) >= MAX_ROWS:
                message = _(
                    "The file has more than %(limit)s rows. Split it into smaller files."
                ) % {"limit": MAX_ROWS}
                raise RosterInvalid([_problem(message)])
            cells = zip(parsed.columns, values, strict=False)
            parsed.rows.append(
                _Row(number=number, values={key: v for key, v in cells if key is not None})
            )
    finally:
        workbook.close()
    if not parsed.rows:
        raise RosterInvalid([_problem(_("The file has no data rows below the column titles."))])
    return parsed


# --- Checking rows -----------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as yyyy-mm-dd."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def _name_key(value: str) -> str:
    return _SPACE_RE.sub("", value)


def parse_date(value: Any) -> date | None:
    """A date from an Excel date, a serial number, 2023-01-10, 2023/1/10,
    2023.1.10, 2023年1月10日 or 20230110; None when it is none of those."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial days (1900-01-01 .. 9999-12-31)
            try:
                converted = from_excel(value)
            except (ValueError, OverflowError):
                return None
            if isinstance(converted, datetime):
                return converted.date()
            return converted if isinstance(converted, date) else None
        value = _text(value)
    text = _text(value)
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _normalise_mobile(value: Any) -> str:
    text = re.sub(r"[\s\-()（）]", "", _text(value))
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    return text


def _choice(value: str, allowed: Mapping[str, str]) -> str | None:
    return allowed.get(_name_key(value))


def _unknown_value(value: str, allowed: Mapping[str, str]) -> str:
    return _("Unknown value “%(value)s”. Allowed: %(allowed)s.") % {
        "value": value,
        "allowed": "、".join(_canonical(allowed).values()),
    }


class _RowChecker:
    """Checks rows against the committee's sectors and special committees."""

    def __init__(self, committee: Committee, columns: set[str]) -> None:
        self.columns = columns
        # (row, ID number, mobile) of every row, valid numbers only.
        self.numbers: list[tuple[int, str, str]] = []
        today = timezone.localdate()
        self.latest_start = today.replace(year=today.year + 1, day=min(today.day, 28))
        self.sectors = {_name_key(s.name): s for s in Sector.objects.filter(committee=committee)}
        self.special_committees = {
            _name_key(s.name): s for s in SpecialCommittee.objects.filter(committee=committee)
        }

    def check(self, row: _Row) -> tuple[_CleanRow | None, list[RosterProblem]]:
        problems: list[RosterProblem] = []
        values = row.values
        number = row.number

        def report(key: str, message: str) -> None:
            problems.append(_problem(message, row=number, column=TITLES[key]))

        texts = {key: _text(values.get(key)) for key in self.columns}
        if _CJK_RE.search(texts["name"]):
            # Rosters pad two-character names with spaces (张  三) to align them.
            texts["name"] = _SPACE_RE.sub("", texts["name"])
        for key in REQUIRED:
            if not texts.get(key):
                report(key, _("This column must be filled in."))
        for key, limit in _MAX_LENGTHS.items():
            if len(texts.get(key, "")) > limit:
                report(key, _("Too long: at most %(limit)s characters.") % {"limit": limit})

        # ID number: 18 characters, real birth date, right check digit (GB 11643).
        id_number = ""
        raw_id = values.get("id_number")
        if isinstance(raw_id, float) and texts["id_number"]:
            report(
                "id_number",
                _(
                    "The ID number was stored as a number and lost its last digits. "
                    "Format the column as text and type the number again."
                ),
            )
        elif texts["id_number"]:
            candidate = normalise_id_number(texts["id_number"]).replace(" ", "")
            error = id_number_error(candidate)
            if error:
                report("id_number", error)
            elif candidate == EXAMPLE_ID_NUMBER:
                report(
                    "id_number",
                    _("This is the example row of the template. Delete it before uploading."),
                )
            else:
                id_number = candidate

        gender = ""
        if texts["gender"]:
            gender = _choice(texts["gender"], GENDER_VALUES) or ""
            if not gender:
                report("gender", _unknown_value(texts["gender"], GENDER_VALUES))
            elif id_number and gender != gender_from_id(id_number):
                report("gender", _("The gender does not match the ID number."))

        birth_date = birth_date_from_id(id_number) if id_number else None
        if texts.get("birth_date"):
            given = parse_date(values.get("birth_date"))
            if given is None:
                report("birth_date", _not_a_date(texts["birth_date"]))
            elif birth_date and given != birth_date:
                report(
                    "birth_date",
                    _("The birth date does not match the ID number (%(date)s).")
                    % {"date": birth_date.isoformat()},
                )

        party = ""
        if texts["party"]:
            party = _choice(texts["party"], PARTY_VALUES) or ""
            if not party:
                report("party", _unknown_value(texts["party"], PARTY_VALUES))

        education: str | None = None
        if "education" in self.columns:
            education = ""
            if texts["education"]:
                education = _choice(texts["education"], EDUCATION_VALUES) or ""
                if not education:
                    report("education", _unknown_value(texts["education"], EDUCATION_VALUES))

        position: str | None = None
        if "position" in self.columns:
            position = Member.Position.MEMBER
            if texts["position"]:
                position = _choice(texts["position"], POSITION_VALUES) or ""
                if not position:
                    report("position", _unknown_value(texts["position"], POSITION_VALUES))

        mobile = ""
        if texts["mobile"]:
            candidate = _normalise_mobile(values.get("mobile"))
            error = mobile_error(candidate)
            if error:
                report("mobile", error)
            else:
                mobile = candidate

        sector = None
        if texts["sector"]:
            sector = self.sectors.get(_name_key(texts["sector"]))
            if sector is None:
                report(
                    "sector",
                    _("Unknown sector “%(value)s” in this committee.") % {"value": texts["sector"]},
                )

        special_committees: list[SpecialCommittee] | None = None
        if "special_committees" in self.columns:
            special_committees = []
            for name in _LIST_SPLIT_RE.split(texts["special_committees"]):
                if not _name_key(name):
                    continue
                found = self.special_committees.get(_name_key(name))
                if found is None:
                    report(
                        "special_committees",
                        _("Unknown special committee “%(value)s” in this committee.")
                        % {"value": name.strip()},
                    )
                elif found not in special_committees:
                    special_committees.append(found)

        start_date = None
        if texts["start_date"]:
            start_date = parse_date(values.get("start_date"))
            if start_date is None:
                report("start_date", _not_a_date(texts["start_date"]))
            elif not _EARLIEST_START <= start_date <= self.latest_start:
                report(
                    "start_date",
                    _("The date %(date)s is not plausible for the start of a seat.")
                    % {"date": start_date.isoformat()},
                )

        # Kept even for a row with other errors, so a duplicate is reported too.
        self.numbers.append((number, id_number, mobile))
        if problems:
            return None, problems
        assert sector is not None and start_date is not None and birth_date is not None
        ethnicity = None
        if "ethnicity" in self.columns:
            ethnicity = texts["ethnicity"] or str(Person._meta.get_field("ethnicity").default)
        return (
            _CleanRow(
                number=number,
                name=texts["name"],
                gender=gender,
                birth_date=birth_date,
                party=party,
                mobile=mobile,
                id_number=id_number,
                sector=sector,
                start_date=start_date,
                ethnicity=ethnicity,
                education=education,
                employer=texts["employer"] if "employer" in self.columns else None,
                job_title=texts["job_title"] if "job_title" in self.columns else None,
                position=position,
                special_committees=special_committees,
                id_hash=crypto.blind_index(id_number),
                mobile_hash=crypto.blind_index(mobile),
            ),
            [],
        )


def _not_a_date(value: str) -> str:
    return _("“%(value)s” is not a date. Write it like 2023-01-10.") % {"value": value}


def _duplicates_in_file(numbers: list[tuple[int, str, str]]) -> list[RosterProblem]:
    """Two rows with the same ID number or mobile: both rows are reported."""
    problems: list[RosterProblem] = []
    for index, column, message in (
        (1, "id_number", _("Same ID number as row %(rows)s.")),
        (2, "mobile", _("Same mobile number as row %(rows)s.")),
    ):
        by_value: dict[str, list[int]] = defaultdict(list)
        for entry in numbers:
            if entry[index]:
                by_value[str(entry[index])].append(entry[0])
        for rows in by_value.values():
            if len(rows) < 2:
                continue
            for number in rows:
                others = "、".join(str(n) for n in rows if n != number)
                problems.append(
                    _problem(message % {"rows": others}, row=number, column=TITLES[column])
                )
    return problems


def check_rows(committee: Committee, sheet: _Sheet) -> list[_CleanRow]:
    """Every row checked on its own and against the others; RosterInvalid
    lists every problem found. The database checks come later, under lock."""
    checker = _RowChecker(committee, {key for key in sheet.columns if key})
    clean: list[_CleanRow] = []
    problems: list[RosterProblem] = []
    for row in sheet.rows:
        checked, row_problems = checker.check(row)
        problems.extend(row_problems)
        if checked is not None:
            clean.append(checked)
    problems.extend(_duplicates_in_file(checker.numbers))
    if problems:
        raise RosterInvalid(_sorted(problems))
    return clean


def _sorted(problems: list[RosterProblem]) -> list[RosterProblem]:
    """By row, then in column order: the way the user reads the sheet."""

    def column_order(column: str) -> int:
        return HEADERS.index(column) if column in HEADERS else len(HEADERS)

    return sorted(problems, key=lambda p: (p.row or 0, column_order(p.column)))


# --- Writing -------------------------------------------------------------------------------


def _in_chunks(values: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _persons_by(field_name: str, hashes: list[str]) -> list[Person]:
    found: list[Person] = []
    for chunk in _in_chunks(hashes):
        found.extend(Person.objects.filter(**{f"{field_name}__in": chunk}))
    return found


def _check_against_database(
    rows: list[_CleanRow], persons_by_id: dict[str, Person]
) -> list[RosterProblem]:
    """A mobile number already used by another person, or a known ID number
    under a different name (a typing error would overwrite someone else)."""
    problems: list[RosterProblem] = []
    file_id_hashes = {row.id_hash for row in rows}
    owners: dict[str, list[Person]] = defaultdict(list)
    for person in _persons_by("mobile_hash", sorted({row.mobile_hash for row in rows})):
        owners[person.mobile_hash].append(person)
    for row in rows:
        existing = persons_by_id.get(row.id_hash)
        if existing is not None and _name_key(existing.name) != _name_key(row.name):
            problems.append(
                _problem(
                    _(
                        "This ID number is registered in the system under a different name. "
                        "Check the ID number; a change of name is made on the member's page."
                    ),
                    row=row.number,
                    column=TITLES["id_number"],
                )
            )
        for owner in owners.get(row.mobile_hash, []):
            # The other person keeps the number unless this file gives them another.
            if owner.id_number_hash != row.id_hash and owner.id_number_hash not in file_id_hashes:
                problems.append(
                    _problem(
                        _("This mobile number is already used by another person in the system."),
                        row=row.number,
                        column=TITLES["mobile"],
                    )
                )
                break
    return problems


_PERSON_FIELDS = ("name", "gender", "birth_date", "party")
_OPTIONAL_PERSON_FIELDS = ("ethnicity", "education", "employer", "job_title")


def _set(obj: Any, values: Mapping[str, Any]) -> set[str]:
    """Set attributes; return the names of those that changed."""
    changed = set()
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.add(name)
    return changed


def _fill_person(person: Person, row: _CleanRow) -> set[str]:
    values = {name: getattr(row, name) for name in _PERSON_FIELDS}
    values.update(
        {
            name: getattr(row, name)
            for name in _OPTIONAL_PERSON_FIELDS
            if getattr(row, name) is not None
        }
    )
    changed = _set(person, values)
    if person.mobile_hash != row.mobile_hash:
        person.set_mobile(row.mobile)
        changed |= {"mobile_encrypted", "mobile_hash"}
    if person.id_number_hash != row.id_hash:
        person.set_id_number(row.id_number)
        changed |= {"id_number_encrypted", "id_number_hash"}
    return changed


def _fill_seat(seat: Member, row: _CleanRow) -> set[str]:
    values: dict[str, Any] = {"sector_id": row.sector.pk, "start_date": row.start_date}
    if row.position is not None:
        values["position"] = row.position
    return _set(seat, values)


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _write(
    *, committee: Committee, term: Term, rows: list[_CleanRow], columns: set[str]
) -> _Counts:
    """Create or update every row (inside the caller's transaction). Only
    what changed is written, so importing the same file again writes nothing."""
    now = timezone.now()
    persons_by_id = {
        p.id_number_hash: p for p in _persons_by("id_number_hash", [r.id_hash for r in rows])
    }
    problems = _check_against_database(rows, persons_by_id)
    if problems:
        raise RosterInvalid(_sorted(problems))

    known_person_ids = [p.pk for p in persons_by_id.values()]
    # Persons: match by the keyed hash of the ID number, across committees.
    new_persons: list[Person] = []
    changed_persons: list[Person] = []
    person_fields: set[str] = set()
    changed_rows: set[int] = set()
    for row in rows:
        person = persons_by_id.get(row.id_hash)
        if person is None:
            person = Person()
            _fill_person(person, row)
            persons_by_id[row.id_hash] = person
            new_persons.append(person)
        elif changed := _fill_person(person, row):
            person.updated_at = now
            person_fields |= changed
            changed_persons.append(person)
            changed_rows.add(row.number)
    Person.objects.bulk_create(new_persons, batch_size=BATCH_SIZE)
    if changed_persons:
        Person.objects.bulk_update(
            changed_persons, sorted(person_fields | {"updated_at"}), batch_size=BATCH_SIZE
        )

    # Seats: the person's seat in the current term, if any, is updated.
    seats: dict[int, Member] = {}
    for chunk in _in_chunks(known_person_ids):
        for seat in Member.objects.filter(committee=committee, term=term, person_id__in=chunk):
            seats[seat.person_id] = seat
    new_members: list[Member] = []
    changed_members: list[Member] = []
    member_fields: set[str] = set()
    ordered: list[tuple[_CleanRow, Member, bool]] = []
    for row in rows:
        person = persons_by_id[row.id_hash]
        existing_seat = seats.get(person.pk)
        if existing_seat is None:
            seat = Member(
                committee=committee,
                term=term,
                person=person,
                sector=row.sector,
                position=row.position or Member.Position.MEMBER,
                status=Member.Status.IN_OFFICE,
                start_date=row.start_date,
            )
            new_members.append(seat)
            ordered.append((row, seat, True))
            continue
        seat = existing_seat
        if changed := _fill_seat(seat, row):
            seat.updated_at = now
            member_fields |= changed
            changed_members.append(seat)
            changed_rows.add(row.number)
        ordered.append((row, seat, False))
    Member.objects.bulk_create(new_members, batch_size=BATCH_SIZE)
    if changed_members:
        Member.objects.bulk_update(
            changed_members, sorted(member_fields | {"updated_at"}), batch_size=BATCH_SIZE
        )

    # Special committees: replace the set of a seat only where it differs.
    if "special_committees" in columns:
        through = Member.special_committees.through
        current: dict[int, set[int]] = defaultdict(set)
        for chunk in _in_chunks([seat.pk for _row, seat, new in ordered if not new]):
            for member_id, special_id in through.objects.filter(member_id__in=chunk).values_list(
                "member_id", "specialcommittee_id"
            ):
                current[member_id].add(special_id)
        replace: list[int] = []
        links = []
        for row, seat, new in ordered:
            wanted = {special.pk for special in row.special_committees or []}
            if not new and wanted == current[seat.pk]:
                continue
            if not new:
                replace.append(seat.pk)
                changed_rows.add(row.number)
            links += [through(member_id=seat.pk, specialcommittee_id=pk) for pk in sorted(wanted)]
        for chunk in _in_chunks(replace):
            through.objects.filter(member_id__in=chunk).delete()
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)

    created = len(new_members)
    updated = len({row.number for row, _seat, new in ordered if not new} & changed_rows)
    return _Counts(created=created, updated=updated, unchanged=len(rows) - created - updated)


def roster_import(
    *,
    actor: Any,
    committee: Committee,
    file: IO[bytes],
    request: HttpRequest | None = None,
) -> ImportResult:
    """Check the whole file, then create or update every member in one
    transaction into the committee's current term.

    Raises RosterInvalid (every problem, nothing written), Conflict (a
    concurrent import added the same persons) or DomainError."""
    try:
        term = selectors.current_term(committee)
        if term is None:
            raise DomainError(
                _(
                    "This committee has no current term. Set the current term "
                    "before importing the roster."
                )
            )
        sheet = read_sheet(file)
        columns = {key for key in sheet.columns if key}
        rows = check_rows(committee, sheet)
        try:
            with transaction.atomic():
                # One import per committee at a time (PostgreSQL); SQLite's
                # IMMEDIATE transactions already serialise writers. The database
                # checks run under this lock, so they see a concurrent import.
                term = Term.objects.select_for_update().get(pk=term.pk)
                counts = _write(committee=committee, term=term, rows=rows, columns=columns)
                audit_log(
                    action="roster_import",
                    actor=actor,
                    request=request,
                    obj=term,
                    committee=committee,
                    rows=len(rows),
                    created=counts.created,
                    updated=counts.updated,
                    unchanged=counts.unchanged,
                )
        except IntegrityError:
            # Another committee's import created the same person between our
            # check and our write. Nothing of this file was written.
            raise Conflict(
                _(
                    "Another roster import added some of these persons at the same time. "
                    "Nothing was imported from this file; upload it again."
                )
            ) from None
    except DomainError as error:
        problems = getattr(error, "problems", [])
        audit_log(
            action="roster_import",
            actor=actor,
            request=request,
            committee=committee,
            result=AuditEvent.Result.FAILURE,
            errors=len(problems) or 1,
            reason=error.message if not problems else "",
        )
        raise
    return ImportResult(
        created=counts.created, updated=counts.updated, unchanged=counts.unchanged, term=term
    )


# --- The template ---------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FDE9E7")
_OPTIONAL_FILL = PatternFill("solid", fgColor="EEF2F7")
_WIDTHS = {
    "name": 10,
    "gender": 6,
    "ethnicity": 8,
    "birth_date": 12,
    "party": 12,
    "education": 12,
    "employer": 28,
    "job_title": 20,
    "mobile": 14,
    "id_number": 21,
    "sector": 14,
    "position": 10,
    "special_committees": 24,
    "start_date": 12,
}
_TEXT_COLUMNS = ("mobile", "id_number")
_DATE_COLUMNS = ("birth_date", "start_date")


def template_workbook(committee: Committee) -> bytes:
    """The import template: the header, one invented example row, and a
    second sheet with instructions and this committee's allowed values."""
    sectors = list(Sector.objects.filter(committee=committee).values_list("name", flat=True))
    specials = list(
        SpecialCommittee.objects.filter(committee=committee).values_list("name", flat=True)
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    help_sheet = workbook.create_sheet(HELP_SHEET_TITLE)

    example = dict(EXAMPLE_ROW)
    example["sector"] = sectors[0] if sectors else ""
    example["special_committees"] = specials[0] if specials else ""
    for index, (key, title) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=title)
        header.font = _HEADER_FONT
        header.fill = _REQUIRED_FILL if key in REQUIRED else _OPTIONAL_FILL
        header.alignment = Alignment(horizontal="center")
        cell = sheet.cell(row=2, column=index, value=example[key])
        if key in _TEXT_COLUMNS:
            cell.number_format = "@"
        elif key in _DATE_COLUMNS:
            cell.number_format = "yyyy-mm-dd"
        sheet.column_dimensions[letter].width = _WIDTHS[key]
    sheet.freeze_panes = "A2"
    # Numbers typed into these columns stay text: an 18-digit ID number
    # would lose its last digits as a number.
    for key in _TEXT_COLUMNS:
        letter = get_column_letter(HEADERS.index(TITLES[key]) + 1)
        for row in range(3, 1002):
            sheet[f"{letter}{row}"].number_format = "@"

    # Allowed values, one column each, on the help sheet; the data sheet
    # offers them as drop-down lists.
    lists: list[tuple[str, list[str]]] = [
        ("gender", list(GENDER_NAMES.values())),
        ("party", list(PARTY_NAMES.values())),
        ("education", list(EDUCATION_NAMES.values())),
        ("position", list(POSITION_NAMES.values())),
        ("sector", sectors),
        ("special_committees", specials),
    ]
    first_list_column = 4  # D: the allowed values start after the help text
    list_letters: dict[str, str] = {}
    for index, (key, values) in enumerate(lists):
        letter = get_column_letter(first_list_column + index)
        list_letters[key] = letter
        help_sheet.cell(
            row=1, column=first_list_column + index, value=TITLES[key]
        ).font = _HEADER_FONT
        for offset, value in enumerate(values, start=2):
            help_sheet.cell(row=offset, column=first_list_column + index, value=value)
        help_sheet.column_dimensions[letter].width = 16
        if not values or key == "special_committees":
            continue  # several special committees per cell: no drop-down
        target = get_column_letter(HEADERS.index(TITLES[key]) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{HELP_SHEET_TITLE}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"{target}2:{target}1001")
        sheet.add_data_validation(validation)

    help_sheet.cell(row=1, column=1, value=_("Column")).font = _HEADER_FONT
    help_sheet.cell(row=1, column=2, value=_("How to fill it in")).font = _HEADER_FONT
    for offset, (key, title) in enumerate(COLUMNS, start=2):
        help_sheet.cell(row=offset, column=1, value=title)
        help_sheet.cell(row=offset, column=2, value=_column_help(key, list_letters))
    row = len(COLUMNS) + 3
    help_sheet.cell(row=row, column=1, value=_("Notes")).font = _HEADER_FONT
    for offset, note in enumerate(_general_notes(), start=1):
        help_sheet.cell(row=row + offset, column=1, value=f"{offset}. {note}")
    help_sheet.column_dimensions["A"].width = 12
    help_sheet.column_dimensions["B"].width = 70

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _general_notes() -> list[str]:
    return [
        _("Fill in the first sheet, one member per row, from row 2. Delete the example row."),
        _("Columns with a red title are required; the others may be left empty."),
        _(
            "Members are imported into the current term. A person already on the roster "
            "(same ID number) is updated, not added twice."
        ),
        _("The whole file is checked first: if any row is wrong, nothing is imported."),
        _("At most %(rows)s rows and %(size)s MB per file.")
        % {"rows": MAX_ROWS, "size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
    ]


def _column_help(key: str, list_letters: Mapping[str, str]) -> str:
    """How to fill in one column, for the help sheet."""
    required = _("Required.") if key in REQUIRED else _("Optional.")
    if key in list_letters:
        listed = _("Use a value from column %(letter)s of this sheet.") % {
            "letter": list_letters[key]
        }
    else:
        listed = ""
    if key in _MAX_LENGTHS:
        listed = _("At most %(limit)s characters.") % {"limit": _MAX_LENGTHS[key]}
    extra = {
        "gender": _("It must match the ID number."),
        "ethnicity": _("For example 汉族; empty means 汉族."),
        "birth_date": _("Taken from the ID number; if filled in, it must match it."),
        "mobile": _("11 digits; not used by another person."),
        "id_number": _("18 characters with a correct check digit; type it as text."),
        "position": _("Empty means 委员."),
        "special_committees": _("Separate several with 、"),
        "start_date": _("A date such as 2023-01-10."),
    }.get(key, "")
    # Chinese sentences need no space after the full stop.
    return " ".join(part for part in (required, listed, extra) if part).replace("。 ", "。")


# --- The export --------------------------------------------------------------------------------


def export_rows(members: QuerySet[Member], *, full: bool) -> Iterator[list[Any]]:
    """Rows in template order; numbers masked unless ``full``."""
    for member in members.iterator(chunk_size=BATCH_SIZE):
        person = member.person
        mobile = person.mobile
        id_number = person.id_number
        if not full:
            mobile = crypto.mask_mobile(mobile)
            id_number = crypto.mask_id_number(id_number)
        yield [
            person.name,
            GENDER_NAMES.get(person.gender, ""),
            person.ethnicity,
            person.birth_date,
            PARTY_NAMES.get(person.party, ""),
            EDUCATION_NAMES.get(person.education, ""),
            person.employer,
            person.job_title,
            mobile,
            id_number,
            member.sector.name if member.sector else "",
            POSITION_NAMES.get(member.position, ""),
            SPECIAL_COMMITTEE_SEPARATOR.join(s.name for s in member.special_committees.all()),
            member.start_date,
        ]

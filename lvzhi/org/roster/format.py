"""The roster file's format: its columns, the Chinese values staff type,
the limits, and what an import reports (problems, results)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from lvzhi.core.errors import DomainError
from lvzhi.org.models import (
    Education,
    Gender,
    Member,
    Party,
    Person,
    Sector,
    SpecialCommittee,
    Term,
)
from lvzhi.org.validators import make_id_number

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
# How much of each XML part is searched for a DTD (the prolog comes first).
PROLOG_BYTES = 64 * 1024
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

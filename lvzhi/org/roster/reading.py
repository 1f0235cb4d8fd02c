"""Reading an uploaded roster and checking every row, before anything is
written: every problem is collected, with its Excel row and column."""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from lvzhi.core import crypto
from lvzhi.core.input import clean_text
from lvzhi.org.models import Committee, Member, Person, Sector, SpecialCommittee
from lvzhi.org.roster.format import (
    _CJK_RE,
    _COMPACT_DATE_RE,
    _DATE_RE,
    _EARLIEST_START,
    _HEADER_KEYS,
    _LIST_SPLIT_RE,
    _MAX_LENGTHS,
    _SPACE_RE,
    COLUMNS,
    EDUCATION_VALUES,
    EXAMPLE_ID_NUMBER,
    GENDER_VALUES,
    HEADER_SEARCH_ROWS,
    HEADERS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    OLE_SIGNATURE,
    PARTY_VALUES,
    POSITION_VALUES,
    PROLOG_BYTES,
    REQUIRED,
    TITLES,
    XLSX_SIGNATURE,
    RosterInvalid,
    RosterProblem,
    _canonical,
    _CleanRow,
    _Row,
    _Sheet,
)
from lvzhi.org.validators import (
    birth_date_from_id,
    gender_from_id,
    id_number_error,
    mobile_error,
    normalise_id_number,
)

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
            if unpacked <= MAX_UNPACKED_BYTES:
                declares = _declares_entities(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RosterInvalid([_problem(_not_xlsx_message())]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterInvalid(
            [_problem(_("The workbook is too large once unpacked; it is refused."))]
        )
    if declares:
        # Excel never writes a DTD; one in a workbook is an attack (XXE, an
        # entity bomb). The XML parsers would not expand it (defusedxml,
        # lxml without entity resolution), but the file is refused outright.
        raise RosterInvalid(
            [
                _problem(
                    _("The workbook declares XML entities, which Excel never does; it is refused.")
                )
            ]
        )
    if "xl/workbook.xml" not in names:
        # A zip, a .docx or an .ods: not an Excel workbook.
        raise RosterInvalid([_problem(_not_xlsx_message())])
    file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on damaged files
        raise RosterInvalid([_problem(_damaged_message())]) from None


def _declares_entities(archive: zipfile.ZipFile) -> bool:
    """Whether an XML part of the workbook has a document type declaration
    (it must come before the root element, so the start of each part tells)."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as part:
                head = part.read(PROLOG_BYTES).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                return True
    return False


def _damaged_message() -> str:
    return _("The workbook could not be read: it is damaged or not a real .xlsx file.")


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
        return _read_rows(workbook)
    except RosterInvalid:
        raise
    except Exception:
        # A read-only workbook parses its XML while the rows are read: a part
        # that declares entities (XXE, "billion laughs"; defusedxml refuses
        # them) or is not well-formed fails here, not at opening.
        raise RosterInvalid([_problem(_damaged_message())]) from None
    finally:
        workbook.close()


def _read_rows(workbook: Any) -> _Sheet:
    sheet = workbook.worksheets[0]
    # The dimension a file declares may be wrong (or huge): read what is there.
    sheet.reset_dimensions()
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    parsed = _Sheet(columns=_columns(*_find_header(rows)))
    for number, values in rows:  # the rows below the titles
        if all(_is_blank(v) for v in values):
            continue
        if len(parsed.rows) >= MAX_ROWS:
            message = _("The file has more than %(limit)s rows. Split it into smaller files.") % {
                "limit": MAX_ROWS
            }
            raise RosterInvalid([_problem(message)])
        cells = zip(parsed.columns, values, strict=False)
        parsed.rows.append(
            _Row(number=number, values={key: v for key, v in cells if key is not None})
        )
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
    return clean_text(str(value)).replace("\u3000", " ").strip()


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

        def coded(key: str, allowed: Mapping[str, str]) -> str:
            """The value of a coded column; "" when empty, or unknown (reported)."""
            if not texts.get(key):
                return ""
            value = _choice(texts[key], allowed) or ""
            if not value:
                report(key, _unknown_value(texts[key], allowed))
            return value

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

        gender = coded("gender", GENDER_VALUES)
        if gender and id_number and gender != gender_from_id(id_number):
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

        party = coded("party", PARTY_VALUES)
        # None: the column is absent and the value on record stays.
        education = coded("education", EDUCATION_VALUES) if "education" in self.columns else None
        position: str | None = None
        if "position" in self.columns:
            position = Member.Position.MEMBER
            if texts["position"]:
                position = coded("position", POSITION_VALUES)

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

"""The import template and the export of the roster as Excel rows."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lvzhi.core import crypto
from lvzhi.org.models import Committee, Member, Sector, SpecialCommittee
from lvzhi.org.roster.format import (
    _MAX_LENGTHS,
    BATCH_SIZE,
    COLUMNS,
    EDUCATION_NAMES,
    EXAMPLE_ROW,
    GENDER_NAMES,
    HEADERS,
    HELP_SHEET_TITLE,
    MAX_ROWS,
    PARTY_NAMES,
    POSITION_NAMES,
    REQUIRED,
    SHEET_TITLE,
    SPECIAL_COMMITTEE_SEPARATOR,
    TITLES,
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
            # Only the year unless full (issue 11: birth dates masked).
            person.birth_date if full or person.birth_date is None else str(person.birth_date.year),
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

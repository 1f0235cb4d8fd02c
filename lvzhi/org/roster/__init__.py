"""The member roster (委员名册) as an Excel file: the template, the import and
the export.

The file format is Chinese on purpose: column titles and values are what
staff type in Excel (``男``, ``中共``, ``常委``), whatever language the
interface runs in. The mappings in ``format`` are explicit so an import never
depends on the active translation.

An import reads and checks the whole file first (``reading``) and writes
nothing unless every row is right; then it writes every row in one
transaction with bulk queries (``importing``), so a file of a thousand rows
costs a handful of queries. ``workbook`` makes the template and the export."""

from lvzhi.org.roster.format import (
    COLUMNS,
    EDUCATION_NAMES,
    EDUCATION_VALUES,
    EXAMPLE_ID_NUMBER,
    EXAMPLE_ROW,
    GENDER_NAMES,
    GENDER_VALUES,
    HEADER_ALIASES,
    HEADERS,
    HELP_SHEET_TITLE,
    MAX_ROWS,
    OLE_SIGNATURE,
    PARTY_NAMES,
    PARTY_VALUES,
    POSITION_NAMES,
    POSITION_VALUES,
    REQUIRED,
    SHEET_TITLE,
    SPECIAL_COMMITTEE_SEPARATOR,
    TITLES,
    XLSX_SIGNATURE,
    ImportResult,
    RosterInvalid,
    RosterProblem,
)
from lvzhi.org.roster.importing import roster_import
from lvzhi.org.roster.reading import check_rows, parse_date, read_sheet, too_large_message
from lvzhi.org.roster.workbook import export_rows, template_workbook

__all__ = [
    "COLUMNS",
    "EDUCATION_NAMES",
    "EDUCATION_VALUES",
    "EXAMPLE_ID_NUMBER",
    "EXAMPLE_ROW",
    "GENDER_NAMES",
    "GENDER_VALUES",
    "HEADERS",
    "HEADER_ALIASES",
    "HELP_SHEET_TITLE",
    "MAX_ROWS",
    "OLE_SIGNATURE",
    "PARTY_NAMES",
    "PARTY_VALUES",
    "POSITION_NAMES",
    "POSITION_VALUES",
    "REQUIRED",
    "SHEET_TITLE",
    "SPECIAL_COMMITTEE_SEPARATOR",
    "TITLES",
    "XLSX_SIGNATURE",
    "ImportResult",
    "RosterInvalid",
    "RosterProblem",
    "check_rows",
    "export_rows",
    "parse_date",
    "read_sheet",
    "roster_import",
    "template_workbook",
    "too_large_message",
]

"""Excel export helper: streams with openpyxl's write-only mode and refuses
formula injection (a cell starting with = + - @ is stored as text)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell_value(value: Any) -> Any:
    """Neutralise text a spreadsheet would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def write_workbook(
    file: Any, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([safe_cell_value(v) for v in row])
    workbook.save(file)


def xlsx_response(
    filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """Write rows to a temporary file (constant memory) and stream it back."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_workbook(tmp, sheet_title, headers, rows)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def today_stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")

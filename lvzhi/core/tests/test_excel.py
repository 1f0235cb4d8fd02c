"""The workbook writer: what goes in comes back out of a spreadsheet reader,
formulas are neutralised, and memory does not grow with the rows."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date, datetime
from decimal import Decimal

import openpyxl

from lvzhi.core.excel import write_workbook


def _read(headers: list[str], rows: list[list[object]]) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_workbook(buffer, "名单 2026", headers, rows)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def test_values_keep_their_types_when_read_back() -> None:
    sheet = _read(
        ["时间", "日期", "姓名", "数", "金额", "是否"],
        [[datetime(2026, 3, 4, 5, 6, 7), date(2026, 1, 2), "张三", 3, Decimal("2.5"), True]],
    ).active
    assert sheet.title == "名单 2026"
    assert [c.value for c in sheet[2]] == [
        datetime(2026, 3, 4, 5, 6, 7),
        datetime(2026, 1, 2),
        "张三",
        3,
        2.5,
        True,
    ]


def test_the_header_row_is_bold_and_empty_cells_stay_empty() -> None:
    sheet = _read(["甲", "乙"], [[None, ""]]).active
    assert sheet["A1"].font.b and sheet["B1"].value == "乙"
    assert sheet["A2"].value is None and sheet["B2"].value is None


def test_a_formula_is_stored_as_text() -> None:
    sheet = _read(["甲", "乙"], [["=HYPERLINK(1)", "+1"]]).active
    assert sheet["A2"].value == "'=HYPERLINK(1)"
    assert sheet["B2"].data_type == "s"


def test_markup_spaces_and_characters_xml_cannot_carry_survive_or_are_dropped() -> None:
    sheet = _read(["甲"], [['<b>&"x"</b>'], ["  两边空格  "], ["a\x01b"]]).active
    assert [sheet[f"A{n}"].value for n in (2, 3, 4)] == ['<b>&"x"</b>', "  两边空格  ", "ab"]


def test_rows_wider_than_26_columns_get_their_letters() -> None:
    sheet = _read([f"c{i}" for i in range(30)], [list(range(30))]).active
    assert sheet["AD2"].value == 29


def _peak(rows: int) -> int:
    tracemalloc.start()
    write_workbook(io.BytesIO(), "s", ["a", "b"], (["行", n] for n in range(rows)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_memory_does_not_grow_with_the_rows() -> None:
    # The output buffer grows (here in memory); the writer's own state does not.
    small, large = _peak(2_000), _peak(6_000)
    assert large < small * 2

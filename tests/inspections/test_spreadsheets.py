"""StreamedSheet writes a row of plain cells as one piece of XML: the same bytes as
XlsxWriter's own cell-by-cell path, which these tests use as the reference."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import openpyxl
from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter import Workbook

from inspections.spreadsheets import XLSX_OPTIONS, StreamedSheet, open_workbook, write_row

Rows = Sequence[Sequence[Any]]


def _sheet_xml(book: Workbook, buffer: io.BytesIO, fill: Callable[[Any, list[Any]], None]) -> str:
    plain = book.add_format({})
    score = book.add_format({"num_format": "0.00"})
    sheet = book.add_worksheet("Khối")
    fill(sheet, [None, score, plain])
    book.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _both(rows: Rows, *, start: int = 0, first_row: int = 1) -> tuple[str, str]:
    """The sheet's XML through XlsxWriter's cells and through StreamedSheet."""

    def fill(sheet: Any, styles: list[Any]) -> None:
        sheet.write_string(0, 0, "Bảng xếp hạng")
        for offset, values in enumerate(rows):
            formats = [styles[(offset + i) % 3] for i in range(len(values))]
            write_row(sheet, first_row + offset, values, formats, start=start)

    reference_buffer, streamed_buffer = io.BytesIO(), io.BytesIO()
    reference = _sheet_xml(Workbook(reference_buffer, XLSX_OPTIONS), reference_buffer, fill)
    streamed_book = open_workbook(streamed_buffer)
    return reference, _sheet_xml(streamed_book, streamed_buffer, fill)


def test_a_ranking_row_is_written_as_xlsxwriter_writes_it() -> None:
    rows = [
        [1, 1, "UBND-01", "Ủy ban nhân dân phường Ba Đình", Decimal("92.50"), "Tốt", "↑2", "", ""],
        [2, "Chưa xếp hạng", "P&K", "<Phòng> A & B", None, "", "", "Tạm tính", "Hà, Minh"],
        [3, 2, " khoảng trắng ", "=1+1", 0.1, "", "—", "tab\tin", "dòng\nmới"],
    ]
    reference, streamed = _both(rows)
    assert streamed == reference
    assert "Ủy ban nhân dân phường Ba Đình" in streamed


def test_control_characters_and_their_lookalikes_are_escaped_alike() -> None:
    rows = [["a\rb", "_x0000_ literal", "x\ufffey", "\x01only", "end\r", "\x0b"]]
    reference, streamed = _both(rows)
    assert streamed == reference


def test_rows_it_does_not_write_go_through_xlsxwriters_cells() -> None:
    rows = [
        [True, "có"],
        [datetime.date(2026, 12, 7), "ngày"],
        ["ư" * 20_000],  # long, within Excel's limit
        ["😀" * 17_000],  # past Excel's limit in UTF-16 units: XlsxWriter cuts it
        [1, "sau"],
    ]
    reference, streamed = _both(rows)
    assert streamed == reference


def test_a_column_format_applies_as_in_xlsxwriter() -> None:
    def fill(sheet: Any, styles: list[Any]) -> None:
        sheet.set_column(1, 1, 12, styles[1])
        write_row(sheet, 2, ["a", 1.5, None, ""], [None, None, styles[2], None])

    reference_buffer, streamed_buffer = io.BytesIO(), io.BytesIO()
    reference = _sheet_xml(Workbook(reference_buffer, XLSX_OPTIONS), reference_buffer, fill)
    assert _sheet_xml(open_workbook(streamed_buffer), streamed_buffer, fill) == reference


def test_the_streamed_path_writes_plain_rows_itself() -> None:
    book = open_workbook(io.BytesIO())
    sheet = book.add_worksheet()
    assert isinstance(sheet, StreamedSheet)
    assert sheet.write_plain_row(0, ["first row"], None, 0)
    assert sheet.write_plain_row(3, ["a", 1, None], None, 0)
    assert not sheet.write_plain_row(3, ["again"], None, 0)  # rows are written in order
    assert not sheet.write_plain_row(4, [object()], None, 0)
    sheet.write_string(4, 0, "XlsxWriter's cell")
    assert not sheet.write_plain_row(4, ["beside it"], None, 1)  # that row is XlsxWriter's
    sheet.write_string(3, 5, "late")  # ignored, as XlsxWriter ignores rows it has written
    book.close()


def test_a_row_written_twice_appears_once() -> None:
    buffer = io.BytesIO()
    book = open_workbook(buffer)
    sheet = book.add_worksheet()
    write_row(sheet, 0, ["Tiêu đề"])
    write_row(sheet, 0, ["again"])
    write_row(sheet, 1, ["Dòng hai"])
    book.close()
    cells = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert list(cells.iter_rows(values_only=True)) == [("Tiêu đề",), ("Dòng hai",)]


def test_text_like_a_rich_string_is_kept_as_text() -> None:
    """XlsxWriter copies "<r>…</r>" into the file unescaped; a unit name must not break it."""
    buffer = io.BytesIO()
    book = open_workbook(buffer)
    sheet = book.add_worksheet()
    write_row(sheet, 1, ["<r>&</r>", "<r><t>x</t></r>"])
    book.close()
    cells = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert (cells["A2"].value, cells["B2"].value) == ("<r>&</r>", "<r><t>x</t></r>")


_cells = st.one_of(
    st.text(max_size=12).filter(lambda t: not (t.startswith("<r>") and t.endswith("</r>"))),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(places=2, min_value=-1000, max_value=1000),
    st.none(),
)


@given(st.lists(st.lists(_cells, max_size=6), max_size=5), st.integers(0, 3))
def test_any_plain_rows_give_xlsxwriters_bytes(rows: list[list[Any]], start: int) -> None:
    reference, streamed = _both(rows, start=start)
    assert streamed == reference

"""Spreadsheets written as they go: XLSX in XlsxWriter's constant-memory mode, CSV in chunks.

A sheet's rows are written in order and flushed to a temporary file as each row ends, so a
million rows cost the memory of one; the finished workbook is a file the caller streams.
Every text cell passes through `safe_cell` (no spreadsheet runs it as a formula).
bench/exports.py measured XlsxWriter's constant-memory mode faster than openpyxl's
write-only mode on the same rows, hence this library for every workbook the product writes,
big or small (`xlsx_bytes` and `SheetRows` for the small ones: templates, a year's files).
openpyxl only reads the workbooks people send back.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# What a spreadsheet takes for the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX file cannot hold.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's own limits: characters in a cell, rows in a sheet.
CELL_MAX_CHARS = 32_767
SHEET_MAX_ROWS = 1_048_576
# Text, never a formula, a link or a number guessed from text: what the cell holds is what
# was stored.
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
CSV_CHUNK_BYTES = 64 * 1024


def safe_cell(value: Any) -> Any:
    """A cell value no spreadsheet runs: text that starts like a formula gets a leading quote
    (OWASP's rule); numbers, dates and empty cells pass unchanged, so they stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# XlsxWriter's escape of text that looks like its own escape of a control character
# ("_x0000_" is written "_x005F_x0000_"), and of the control characters themselves.
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")


def _escaped_control(match: re.Match[str]) -> str:
    return f"_x{ord(match.group(1)):04X}_"


class StreamedSheet(Worksheet):
    """A constant-memory worksheet that writes a row of plain cells (text, numbers, blanks)
    as one piece of XML, the same bytes as XlsxWriter's cell by cell (tests compare them).

    XlsxWriter stores each cell in a table, checks it and escapes it through several calls:
    two thirds of the time of the 50,000-unit ranking workbook. Rows this does not write
    (other types, text past Excel's limit in UTF-16 units, rows with their own height, format
    or comment, a row XlsxWriter already holds cells of) go through XlsxWriter's cells. It
    reads a few of XlsxWriter's own attributes; pyproject.toml pins the major version and
    the tests fail if the XML differs.
    One difference on purpose: text written like an XlsxWriter rich string ("<r>…</r>") is
    escaped as any text, where XlsxWriter would copy it into the file unescaped."""

    previous_row: int  # XlsxWriter's: the row it holds cells of, or the next to write

    def write_plain_row(
        self, row: int, values: Sequence[Any], formats: Sequence[Format | None] | None, start: int
    ) -> bool:
        """Write the row here and say True, or say False and write nothing."""
        if (
            not self.constant_memory
            or row < self.previous_row
            or (row == self.previous_row and self.table.get(row))
            or row >= self.xls_rowmax
            or start < 0
            or start + len(values) > self.xls_colmax
            or row in self.row_info
            or row in self.comments
        ):
            return False
        cells: list[str] = []
        first = last = -1
        column_info = self.col_info
        line = str(row + 1)
        for offset, value in enumerate(values):
            column = start + offset
            cell_format = formats[offset] if formats is not None and offset < len(formats) else None
            kind = type(value)
            if kind is str:
                if not value:
                    if cell_format is None:
                        continue
                    xml = None
                else:
                    text = "'" + value if value.startswith(FORMULA_STARTS) else value
                    if not text.isprintable():
                        text = XLSX_ILLEGAL.sub("", text)
                    if len(text) > CELL_MAX_CHARS // 2 and _too_long(text):
                        return False
                    xml = _inline_string(text)
            elif kind is int or kind is float or kind is Decimal:
                number = float(value)
                if number != number or number in _INFINITE:
                    return False  # XlsxWriter's own refusal
                xml = f"><v>{number:.16G}</v>"
            elif value is None:
                if cell_format is None:
                    continue
                xml = None
            else:
                return False
            if cell_format is None and column in column_info:
                cell_format = column_info[column].column_format
            reference = _column_name(column) + line
            style = f' s="{cell_format._get_xf_index()}"' if cell_format is not None else ""
            if xml is None:
                cells.append(f'<c r="{reference}"{style}/>')
            else:
                cells.append(f'<c r="{reference}"{style}{xml}</c>')
            if first < 0:
                first = column
            last = column
        if first < 0:
            return True  # nothing to write, as XlsxWriter writes nothing
        self._check_dimensions(row, first)
        self._check_dimensions(row, last)
        self._write_single_row(row)  # the row XlsxWriter holds, if any
        self._write_row(row, None)
        self.fh.write("".join(cells))
        self.fh.write("</row>")
        # Written: XlsxWriter now ignores this row, as it ignores every row it has written.
        self.previous_row = row + 1
        return True


def _too_long(text: str) -> bool:
    """Longer than Excel's cell in UTF-16 units (XlsxWriter cuts such text)."""
    return len(text.encode("utf-16-le")) // 2 > CELL_MAX_CHARS


def _inline_string(text: str) -> str:
    """A text cell's type and value, as XlsxWriter writes an inline string."""
    if "_x" in text:
        text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    if not text.isprintable():
        text = _CONTROL.sub(_escaped_control, text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text and (text[0].isspace() or text[-1].isspace()) else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is>'


_INFINITE = (float("inf"), float("-inf"))
_COLUMN_NAMES: dict[int, str] = {}


def _column_name(column: int) -> str:
    name = _COLUMN_NAMES.get(column)
    if name is None:
        name = _COLUMN_NAMES[column] = xl_col_to_name(column)
    return name


class _Workbook(Workbook):
    worksheet_class = StreamedSheet


def open_workbook(target: str | IO[bytes]) -> Workbook:
    """A constant-memory workbook writing to a path or a binary file object, its sheets
    StreamedSheets."""
    return _Workbook(target, XLSX_OPTIONS)


def write_row(
    ws: Worksheet,
    row: int,
    values: Sequence[Any],
    formats: Sequence[Format | None] | None = None,
    *,
    start: int = 0,
) -> None:
    """One row of typed cells (0-based row), left to right; text through `safe_cell`."""
    if isinstance(ws, StreamedSheet) and ws.write_plain_row(row, values, formats, start):
        return
    for offset, value in enumerate(values):
        column = start + offset
        cell_format = formats[offset] if formats is not None and offset < len(formats) else None
        kind = type(value)
        if kind is str:  # the common case first: a million rows pass through here
            if not value:
                if cell_format is not None:
                    ws.write_blank(row, column, None, cell_format)
                continue
            text = "'" + value if value.startswith(FORMULA_STARTS) else value
            if not text.isprintable():  # only then can it hold a control character
                text = XLSX_ILLEGAL.sub("", text)
            ws.write_string(row, column, text[:CELL_MAX_CHARS], cell_format)
        elif kind is int or kind is float or kind is Decimal:
            ws.write_number(row, column, float(value), cell_format)
        elif value is None:
            if cell_format is not None:
                ws.write_blank(row, column, None, cell_format)
        elif isinstance(value, bool):
            ws.write_boolean(row, column, value, cell_format)
        elif isinstance(value, int | float | Decimal):
            ws.write_number(row, column, float(value), cell_format)
        elif isinstance(value, datetime.datetime | datetime.date):
            ws.write_datetime(row, column, value, cell_format)
        else:
            text = XLSX_ILLEGAL.sub("", safe_cell(str(value)))[:CELL_MAX_CHARS]
            ws.write_string(row, column, text, cell_format)


def xlsx_bytes(fill: Callable[[Workbook], None]) -> bytes:
    """A small workbook built in memory by `fill`, with the same options as the streamed ones."""
    buffer = io.BytesIO()
    book = open_workbook(buffer)
    fill(book)
    book.close()
    return buffer.getvalue()


class SheetRows:
    """One sheet written top to bottom: each `add` writes the next row through `write_row`.
    Decimal cells take `decimal_format` unless the row gives them a format of their own."""

    def __init__(
        self,
        book: Workbook,
        title: str,
        *,
        widths: Sequence[float | None] = (),
        decimal_format: Format | None = None,
    ) -> None:
        self.sheet = book.add_worksheet(title)
        self.next_row = 0
        self.decimal_format = decimal_format
        for column, width in enumerate(widths):
            if width:
                self.sheet.set_column(column, column, width)

    def add(
        self,
        values: Sequence[Any],
        cell_format: Format | None = None,
        *,
        formats: Sequence[Format | None] | None = None,
    ) -> None:
        chosen = [
            formats[i]
            if formats is not None and i < len(formats) and formats[i] is not None
            else self.decimal_format
            if isinstance(value, Decimal) and self.decimal_format is not None
            else cell_format
            for i, value in enumerate(values)
        ]
        write_row(self.sheet, self.next_row, values, chosen)
        self.next_row += 1


class _Chunks:
    """A file for `csv.writer` that hands its text back in chunks of about 64 KB."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> bytes:
        data = "".join(self.parts).encode("utf-8")
        self.parts, self.size = [], 0
        return data


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """CSV in UTF-8 with a BOM (so Excel reads it as UTF-8), every cell through `safe_cell`;
    yielded in chunks as the rows come, for a streamed response or a file."""
    buffer = _Chunks()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
        if buffer.size >= CSV_CHUNK_BYTES:
            yield buffer.take()
    if buffer.size:
        yield buffer.take()


def csv_value(value: Any) -> Any:
    """A cell as CSV text: decimals as written (92.50), dates in ISO form, text made safe."""
    kind = type(value)
    if kind is str:  # the common cases first: a million rows pass through here
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if kind is int or kind is Decimal:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_cell(value)
    return value

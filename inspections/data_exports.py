"""Full data exports of a round or a year: answers, inspections, corrective actions.

For Internal Affairs and leaders (`policies.may_export_data`). Each table is a header and an
iterator of rows from inspections/selectors/exports.py, written as it is read: XLSX in
constant memory (a sheet continues on a new one past `EXPORT_SHEET_MAX_ROWS` rows, Excel
holding 1,048,576 at most), CSV in chunks. `export_answers(scope, …)` is the one call for
another module that needs the answers of a round or a year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from inspections.selectors.exports import (
    ExportScope,
    Progress,
    Row,
    action_rows,
    answer_rows,
    inspection_rows,
    section_codes,
)
from inspections.spreadsheets import SHEET_MAX_ROWS, csv_chunks, open_workbook, write_row

ANSWERS, INSPECTIONS, ACTIONS = "answers", "inspections", "actions"
TABLES = (ANSWERS, INSPECTIONS, ACTIONS)
FORMATS = ("xlsx", "csv")
# Column kinds: how a value is shown in the workbook (the CSV writes values as they are).
TEXT, NUMBER, SCORE, DAY, MOMENT = "text", "number", "score", "day", "moment"
_WIDTH = {TEXT: 18, NUMBER: 9, SCORE: 9, DAY: 11, MOMENT: 16}


@dataclass
class Table:
    key: str
    title: str  # the sheet's title, ≤ 27 characters so that " (12)" still fits
    columns: list[tuple[str, str]]  # (header, kind)
    rows: Iterator[Row]


def _head_columns() -> list[tuple[str, str]]:
    return [
        (_("Đợt kiểm tra"), TEXT),
        (_("Khối thi đua"), TEXT),
        (_("Mã đơn vị"), TEXT),
        (_("Đơn vị"), TEXT),
        (_("Loại phiếu"), TEXT),
        (_("Trạng thái phiếu"), TEXT),
        (_("Lần sửa"), NUMBER),
        (_("Cán bộ kiểm tra"), TEXT),
    ]


def answers_table(scope: ExportScope, progress: Progress | None = None) -> Table:
    columns = [
        *_head_columns(),
        (_("Mã tiêu chí"), TEXT),
        (_("Kết quả"), TEXT),
        (_("Điểm"), NUMBER),
        (_("Điểm tối đa"), NUMBER),
        (_("Ghi chú"), TEXT),
        (_("Đề nghị khắc phục"), TEXT),
        (_("Số ảnh minh chứng"), NUMBER),
    ]
    return Table(ANSWERS, _("Kết quả tiêu chí"), columns, answer_rows(scope, progress))


def inspections_table(scope: ExportScope, progress: Progress | None = None) -> Table:
    sections = section_codes(scope)
    columns = [
        *_head_columns(),
        (_("Điểm"), SCORE),
        (_("Xếp loại"), TEXT),
        (_("Tiêu chí ★ không đạt"), TEXT),
        (_("Ngày nộp"), MOMENT),
        (_("Ngày duyệt"), MOMENT),
        *((_("Điểm phần %(code)s") % {"code": code}, SCORE) for code in sections),
    ]
    return Table(
        INSPECTIONS, _("Phiếu kiểm tra"), columns, inspection_rows(scope, sections, progress)
    )


def actions_table(scope: ExportScope, progress: Progress | None = None) -> Table:
    columns = [
        (_("Đợt kiểm tra"), TEXT),
        (_("Khối thi đua"), TEXT),
        (_("Mã đơn vị"), TEXT),
        (_("Đơn vị"), TEXT),
        (_("Mã tiêu chí"), TEXT),
        (_("Lý do"), TEXT),
        (_("Trạng thái"), TEXT),
        (_("Phát hiện"), TEXT),
        (_("Ngày yêu cầu"), MOMENT),
        (_("Hạn khắc phục"), DAY),
        (_("Số lần báo cáo khắc phục"), NUMBER),
        (_("Ngày xác nhận"), MOMENT),
        (_("Người xác nhận"), TEXT),
        (_("Nhận xét xác minh"), TEXT),
    ]
    return Table(ACTIONS, _("Yêu cầu khắc phục"), columns, action_rows(scope, progress))


_BUILDERS: dict[str, Callable[[ExportScope, Progress | None], Table]] = {
    ANSWERS: answers_table,
    INSPECTIONS: inspections_table,
    ACTIONS: actions_table,
}


def table_names() -> dict[str, str]:
    """The tables as a person picks them."""
    return {
        ANSWERS: _("Kết quả tiêu chí (mỗi phiếu, mỗi tiêu chí một dòng)"),
        INSPECTIONS: _("Phiếu kiểm tra (điểm từng phần)"),
        ACTIONS: _("Yêu cầu khắc phục"),
    }


def table(key: str, scope: ExportScope, progress: Progress | None = None) -> Table:
    return _BUILDERS[key](scope, progress)


def sheet_max_rows(requested: int | None = None) -> int:
    """Data rows per sheet: the setting (1,000,000), never past what Excel holds."""
    wanted = requested or int(getattr(settings, "EXPORT_SHEET_MAX_ROWS", 1_000_000))
    return max(1, min(wanted, SHEET_MAX_ROWS - 1))


def write_xlsx(target: str | IO[bytes], tables: Sequence[Table], *, sheet_rows: int) -> int:
    """Every table on its own sheet(s), in constant memory; the number of data rows written."""
    workbook = open_workbook(target)
    styles = {
        TEXT: None,
        NUMBER: None,
        SCORE: workbook.add_format({"num_format": "0.00"}),
        DAY: workbook.add_format({"num_format": "dd/mm/yyyy"}),
        MOMENT: workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
    }
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    written = 0
    for item in tables:
        formats = [styles[kind] for _h, kind in item.columns]
        part, line, ws = 0, 0, None
        for row in item.rows:
            if ws is None or line > sheet_rows:
                part += 1
                title = item.title if part == 1 else f"{item.title} ({part})"
                ws = _new_sheet(workbook, title, item.columns, header)
                line = 1
            write_row(ws, line, row, formats)
            line += 1
            written += 1
        if ws is None:  # no row: the sheet still says what it would hold
            _new_sheet(workbook, item.title, item.columns, header)
    workbook.close()
    return written


def _new_sheet(workbook: Any, title: str, columns: list[tuple[str, str]], header: Any) -> Any:
    ws = workbook.add_worksheet(title)
    write_row(ws, 0, [name for name, _kind in columns], [header] * len(columns))
    for index, (name, kind) in enumerate(columns):
        ws.set_column(index, index, max(_WIDTH[kind], min(len(name) + 2, 30)))
    ws.freeze_panes(1, 0)
    return ws


def csv_stream(item: Table) -> Iterator[bytes]:
    """One table as CSV (UTF-8 with a BOM), in chunks as its rows are read."""
    return csv_chunks([name for name, _kind in item.columns], item.rows)


def write_file(
    out: IO[bytes],
    scope: ExportScope,
    *,
    tables: Sequence[str],
    kind: str,
    sheet_rows: int | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> int:
    """Write the chosen tables of a scope to a binary file: XLSX (all of them) or CSV (one).

    `progress(table index, done, total)` is called as rows go. Returns the rows written."""
    if kind not in FORMATS or not tables or any(t not in TABLES for t in tables):
        raise ValueError(f"unknown export: {kind} {tables}")
    if kind == "csv" and len(tables) != 1:
        raise ValueError("a CSV file holds one table")

    def each(index: int) -> Progress | None:
        if progress is None:
            return None
        return lambda done, total: progress(index, done, total)

    built = [table(key, scope, each(i)) for i, key in enumerate(tables)]
    if kind == "xlsx":
        return write_xlsx(out, built, sheet_rows=sheet_max_rows(sheet_rows))
    count = 0

    def counted(rows: Iterator[Row]) -> Iterator[Row]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    built[0].rows = counted(built[0].rows)
    for chunk in csv_stream(built[0]):
        out.write(chunk)
    return count


def export_answers(
    scope: ExportScope, *, out: IO[bytes], kind: str = "xlsx", sheet_rows: int | None = None
) -> int:
    """The answers of a round or a year in long form, written to `out`; the rows written."""
    return write_file(out, scope, tables=[ANSWERS], kind=kind, sheet_rows=sheet_rows)


def answers_csv_chunks(scope: ExportScope) -> Iterator[bytes]:
    """The answers as CSV chunks, for a response that streams them as they are read."""
    return csv_stream(answers_table(scope))

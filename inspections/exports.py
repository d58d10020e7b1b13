"""Ranking files (XLSX and CSV) from the ranking as the API returns it; no database access.

Input: `round_info` {"id", "name", "status", "starts_on", "ends_on", "published_at"} plus,
when known, "snapshot_number" (which publication of the round this is), and `groups`, a list
of `GroupRanking.as_json()`. Dates may be `date`/`datetime` objects or ISO strings.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING as XLSX_STRING
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from inspections.selectors.rankings import cap_note, provisional_note, unranked_note

SCORE_FORMAT = "0.00"
RANK_FORMAT = "0"
# Excel refuses these in a sheet title, and titles longer than 31 characters.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_TITLE_MAX = 31
# Width (in characters) of each column: STT, Hạng, Mã, Đơn vị, Điểm, Xếp loại, Thay đổi, Ghi chú,
# Cán bộ kiểm tra.
_WIDTHS = (6, 15, 14, 46, 9, 13, 14, 26, 36)
_TITLE_ROWS = 5  # round, group, status, date, period; then a blank row, then the header
HEADER_ROW = _TITLE_ROWS + 2
# What a spreadsheet takes for the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX file cannot hold (openpyxl refuses them with an error).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """A cell value no spreadsheet runs: text that starts like a formula gets a leading quote
    (OWASP's rule); numbers, dates and empty cells pass unchanged, so they stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def put_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one XLSX cell through `safe_cell`; text is stored as text, never as a formula."""
    if isinstance(value, str):
        value = _XLSX_ILLEGAL.sub("", value)
    cell: Cell = ws.cell(row=row, column=column, value=safe_cell(value))
    if isinstance(cell.value, str):
        cell.data_type = XLSX_STRING
    return cell


def put_row(ws: Worksheet, row: int, values: Sequence[Any]) -> None:
    for column, value in enumerate(values, 1):
        put_cell(ws, row, column, value)


def _headers() -> list[str]:
    return [
        _("STT"),
        _("Hạng"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Điểm"),
        _("Xếp loại"),
        _("Thay đổi so với đợt trước"),
        _("Ghi chú"),
        _("Cán bộ kiểm tra"),
    ]


def _as_date(value: Any) -> datetime.date | None:
    """A date from a date, an aware or naive datetime, an ISO string or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        parsed_dt = parse_datetime(value)
        value = parsed_dt if parsed_dt is not None else parse_date(value)
        if value is None:
            return None
    if isinstance(value, datetime.datetime):
        # Publication is a moment; the day it falls on is the day in Vietnam.
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def _dmy(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""


def _score(value: Any) -> Decimal | None:
    """The stored score, rounded once by scoring.py: shown as it is, never rounded again."""
    if value is None or value == "":
        return None
    return Decimal(str(value))


def movement_label(row: dict[str, Any]) -> str:
    """Label: "↑2" up two places, "↓1" down one, "—" unchanged, "mới" new; blank when unranked."""
    if row.get("rank") is None:
        return ""
    movement = row.get("movement")
    if movement is None:
        return _("mới")
    if movement > 0:
        return f"↑{movement}"
    if movement < 0:
        return f"↓{-movement}"
    return "—"


def _note(row: dict[str, Any]) -> str:
    """Why a row stands where it does: a ★ cap, no rank, a provisional result."""
    notes = []
    capped = cap_note(
        row.get("classification_name") or row.get("classification") or "",
        list(row.get("capped_by") or []),
    )
    if capped:
        notes.append(capped[:1].upper() + capped[1:])
    if row.get("rank") is None:
        reason = row.get("unranked_reason") or (
            "no_result" if row.get("score") is None else "no_basis"
        )
        notes.append(unranked_note(reason))
    if row.get("provisional"):
        notes.append(provisional_note(int(row.get("awaiting") or 0)))
    return "; ".join(notes)


def _cells(position: int, row: dict[str, Any]) -> list[Any]:
    """One ranking row as typed cell values, in header order."""
    rank = row.get("rank")
    return [
        position,
        rank if rank is not None else _("Chưa xếp hạng"),
        row.get("unit_code") or "",
        row.get("unit_name") or "",
        _score(row.get("score")),
        row.get("classification_name") or row.get("classification") or "",
        movement_label(row),
        _note(row),
        ", ".join(row.get("inspectors") or []),
    ]


def _ordered_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked rows in their given order, then the unranked ones (already so from the selector)."""
    ranked = [r for r in rows if r.get("rank") is not None]
    return ranked + [r for r in rows if r.get("rank") is None]


def _status_line(round_info: dict[str, Any]) -> str:
    if round_info.get("status") != "published":
        return _("Bảng xếp hạng tạm tính (đợt chưa công bố)")
    number = round_info.get("snapshot_number")
    if number:
        return _("Bảng xếp hạng đã công bố lần %(number)s") % {"number": number}
    return _("Bảng xếp hạng đã công bố")


def _date_line(round_info: dict[str, Any], today: datetime.date | None) -> str:
    published = _as_date(round_info.get("published_at"))
    if round_info.get("status") == "published" and published is not None:
        return _("Ngày công bố: %(date)s") % {"date": _dmy(published)}
    return _("Ngày xuất: %(date)s") % {"date": _dmy(today or timezone.localdate())}


def _period_line(round_info: dict[str, Any]) -> str:
    return _("Thời gian đợt: %(start)s – %(end)s") % {
        "start": _dmy(_as_date(round_info.get("starts_on"))),
        "end": _dmy(_as_date(round_info.get("ends_on"))),
    }


def title_lines(
    round_info: dict[str, Any], group_name: str, today: datetime.date | None = None
) -> list[str]:
    """The block above the table: round, group, status, date, period."""
    return [
        _("Đợt kiểm tra: %(name)s") % {"name": round_info.get("name") or ""},
        _("Khối thi đua: %(name)s") % {"name": group_name},
        _status_line(round_info),
        _date_line(round_info, today),
        _period_line(round_info),
    ]


def sheet_titles(names: Sequence[str]) -> list[str]:
    """Excel-safe, unique sheet titles (≤ 31 characters, none of []:*?/\\)."""
    titles: list[str] = []
    taken = {"history"}  # reserved by Excel
    for name in names:
        base = _SHEET_TITLE_FORBIDDEN.sub("-", " ".join(name.split())).strip("' ")
        base = base[:_SHEET_TITLE_MAX].rstrip(" '") or _("Khối")
        title, n = base, 1
        while title.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            title = base[: _SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
        taken.add(title.casefold())
        titles.append(title)
    return titles


def _write_sheet(
    ws: Worksheet,
    round_info: dict[str, Any],
    group: dict[str, Any],
    today: datetime.date | None,
) -> None:
    last_column = get_column_letter(len(_WIDTHS))
    for i, line in enumerate(title_lines(round_info, group.get("group_name") or "", today), 1):
        put_cell(ws, i, 1, line).font = Font(bold=i <= 3, size=14 if i == 1 else 11)
        ws.merge_cells(f"A{i}:{last_column}{i}")
    for column, header in enumerate(_headers(), 1):
        cell = put_cell(ws, HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for position, row in enumerate(_ordered_rows(group.get("rows") or []), 1):
        current = HEADER_ROW + position
        put_row(ws, current, _cells(position, row))
        ws.cell(row=current, column=5).number_format = SCORE_FORMAT
        ws.cell(row=current, column=2).number_format = RANK_FORMAT
    for column, width in enumerate(_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]


def ranking_workbook(
    *,
    round_info: dict[str, Any],
    groups: list[dict[str, Any]],
    today: datetime.date | None = None,
) -> bytes:
    """One workbook, one sheet per group; an empty ranking still gives one (empty) sheet."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    sheets = groups or [{"group_name": "", "rows": []}]
    titles = sheet_titles([g.get("group_name") or g.get("group_code") or _("Khối") for g in sheets])
    for title, group in zip(titles, sheets, strict=True):
        _write_sheet(workbook.create_sheet(title), round_info, group, today)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ranking_csv(*, round_info: dict[str, Any], groups: list[dict[str, Any]]) -> str:
    """All groups in one table with a group column; starts with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in (_("Khối thi đua"), *_headers())])
    for group in groups:
        name = group.get("group_name") or ""
        for position, row in enumerate(_ordered_rows(group.get("rows") or []), 1):
            values = [safe_cell(v) for v in (name, *_cells(position, row))]
            score = values[5]  # a Decimal, which safe_cell leaves alone: written as 92.50
            values[5] = f"{score:.2f}" if score is not None else ""
            writer.writerow(values)
    return buffer.getvalue()


def year_results_workbook(
    *, year: int, rounds: Sequence[tuple[str, list[dict[str, Any]]]]
) -> bytes:
    """The year's results: one row per unit, for each round its score, class and rank.

    `rounds` is [(round name, groups as `GroupRanking.as_json()`)], in the order to show."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet_titles([_("Kết quả năm %(year)s") % {"year": year}])[0]
    put_cell(ws, 1, 1, _("Kết quả các đợt kiểm tra năm %(year)s") % {"year": year}).font = Font(
        bold=True, size=14
    )
    headers = [_("Mã đơn vị"), _("Đơn vị"), _("Khối thi đua")]
    for name, _groups in rounds:
        headers += [f"{name}: {_('Điểm')}", f"{name}: {_('Xếp loại')}", f"{name}: {_('Hạng')}"]
    for column, header in enumerate(headers, 1):
        cell = put_cell(ws, 3, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    units: dict[str, list[Any]] = {}
    for index, (_name, groups) in enumerate(rounds):
        for group in groups:
            for row in group.get("rows") or []:
                line = units.setdefault(
                    row["unit_code"],
                    [row["unit_code"], row["unit_name"], group.get("group_name") or ""]
                    + [None] * (3 * len(rounds)),
                )
                start = 3 + 3 * index
                line[start] = _score(row.get("score"))
                line[start + 1] = row.get("classification_name") or row.get("classification") or ""
                line[start + 2] = row.get("rank")
    for position, code in enumerate(sorted(units), 4):
        put_row(ws, position, units[code])
        for index in range(len(rounds)):
            ws.cell(row=position, column=4 + 3 * index).number_format = SCORE_FORMAT
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 46
    ws.column_dimensions["C"].width = 26
    ws.freeze_panes = "D4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

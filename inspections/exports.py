"""Ranking files (XLSX and CSV) from the ranking as the selector gives it; no database access.

Input: `round_info` {"id", "name", "status", "starts_on", "ends_on", "published_at"} plus,
when known, "snapshot_number" (which publication of the round this is), and `groups`, the
selector's `GroupRanking`s or their `as_json()`. Dates may be `date`/`datetime` objects or ISO
strings. The ranking workbook is written in XlsxWriter's constant-memory mode and the CSV in
chunks (inspections/spreadsheets.py), so 50,000 units cost a few megabytes, not a hundred.
"""

from __future__ import annotations

import datetime
import io
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from inspections.selectors.rankings import cap_note, provisional_note, unranked_note
from inspections.spreadsheets import (
    FORMULA_STARTS,
    XLSX_ILLEGAL,
    SheetRows,
    csv_chunks,
    open_workbook,
    safe_cell,
    write_row,
    xlsx_bytes,
)

__all__ = ["FORMULA_STARTS", "safe_cell"]  # imported from here by the workbook readers

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


def movement_label(row: Any) -> str:
    """Label: "↑2" up two places, "↓1" down one, "—" unchanged, "mới" new; blank when unranked."""
    return _movement_label(_getter(row))


def _movement_label(get: Callable[[str], Any]) -> str:
    if get("rank") is None:
        return ""
    movement = get("movement")
    if movement is None:
        return _("mới")
    if movement > 0:
        return f"↑{movement}"
    if movement < 0:
        return f"↓{-movement}"
    return "—"


def _note(get: Callable[[str], Any]) -> str:
    """Why a row stands where it does: a ★ cap, no rank, a provisional result."""
    notes = []
    capped_by = get("capped_by")
    if capped_by:
        capped = cap_note(
            get("classification_name") or get("classification") or "", list(capped_by)
        )
        notes.append(capped[:1].upper() + capped[1:])
    if get("rank") is None:
        reason = get("unranked_reason") or ("no_result" if get("score") is None else "no_basis")
        notes.append(unranked_note(reason))
    if get("provisional"):
        notes.append(provisional_note(int(get("awaiting") or 0)))
    return "; ".join(notes)


def _cells(position: int, row: Any) -> list[Any]:
    """One ranking row as typed cell values, in header order (50,000 rows in an export: each
    field is read through one getter chosen once per row)."""
    get = _getter(row)
    rank = get("rank")
    score = get("score")
    return [
        position,
        rank if rank is not None else _("Chưa xếp hạng"),
        get("unit_code") or "",
        get("unit_name") or "",
        score if type(score) is Decimal else _score(score),
        get("classification_name") or get("classification") or "",
        _movement_label(get),
        _note(get),
        ", ".join(get("inspectors") or []),
    ]


def _ordered_rows(rows: Sequence[Any]) -> Iterator[Any]:
    """Ranked rows in their given order, then the unranked ones (already so from the selector),
    in one pass."""
    unranked = []
    for row in rows:
        rank = row.get("rank") if isinstance(row, Mapping) else getattr(row, "rank", None)
        if rank is None:
            unranked.append(row)
        else:
            yield row
    yield from unranked


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


def _getter(row: Any) -> Callable[[str], Any]:
    """A ranking row's fields, from a selector's row object or its JSON form alike."""
    if isinstance(row, Mapping):
        return row.get
    return lambda key: getattr(row, key, None)


def _group_get(group: Any, key: str) -> Any:
    if isinstance(group, Mapping):
        return group.get(key)
    return getattr(group, key, None)


class _RankingFormats:
    """The few cell styles of a ranking sheet, made once per workbook."""

    def __init__(self, workbook: Any) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.strong = workbook.add_format({"bold": True})
        self.plain = workbook.add_format({})
        self.header = workbook.add_format(
            {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.score = workbook.add_format({"num_format": SCORE_FORMAT})
        self.rank = workbook.add_format({"num_format": RANK_FORMAT})
        # STT, Hạng, Mã, Đơn vị, Điểm, …: only the rank and the score carry a number format.
        self.row = [None, self.rank, None, None, self.score, None, None, None, None]


def _write_sheet(
    ws: Any,
    formats: _RankingFormats,
    round_info: dict[str, Any],
    group: Any,
    today: datetime.date | None,
) -> None:
    """One group's sheet, top to bottom (constant-memory mode writes rows in order only)."""
    last = len(_WIDTHS) - 1
    lines = title_lines(round_info, _group_get(group, "group_name") or "", today)
    for i, line in enumerate(lines):
        style = formats.title if i == 0 else formats.strong if i < 3 else formats.plain
        ws.merge_range(i, 0, i, last, XLSX_ILLEGAL.sub("", safe_cell(line)), style)
    write_row(ws, HEADER_ROW - 1, _headers(), [formats.header] * len(_WIDTHS))
    for position, row in enumerate(_ordered_rows(_group_get(group, "rows") or []), 1):
        write_row(ws, HEADER_ROW - 1 + position, _cells(position, row), formats.row)
    for column, width in enumerate(_WIDTHS):
        ws.set_column(column, column, width)
    ws.freeze_panes(HEADER_ROW, 0)
    ws.repeat_rows(HEADER_ROW - 1)
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages down as the rows need


def write_ranking_workbook(
    target: str | IO[bytes],
    *,
    round_info: dict[str, Any],
    groups: Sequence[Any],
    today: datetime.date | None = None,
) -> None:
    """One sheet per group, written in constant memory to a path or a binary file.

    `groups` are the selector's `GroupRanking`s or their JSON form; an empty ranking still
    gives one (empty) sheet."""
    workbook = open_workbook(target)
    formats = _RankingFormats(workbook)
    sheets: Sequence[Any] = groups or [{"group_name": "", "rows": []}]
    names = [
        _group_get(g, "group_name") or _group_get(g, "group_code") or _("Khối") for g in sheets
    ]
    for title, group in zip(sheet_titles(names), sheets, strict=True):
        _write_sheet(workbook.add_worksheet(title), formats, round_info, group, today)
    workbook.close()


def ranking_workbook(
    *,
    round_info: dict[str, Any],
    groups: Sequence[Any],
    today: datetime.date | None = None,
) -> bytes:
    """The ranking workbook as bytes (tests, small rankings); pages stream a file instead."""
    buffer = io.BytesIO()
    write_ranking_workbook(buffer, round_info=round_info, groups=groups, today=today)
    return buffer.getvalue()


def ranking_file(
    *, round_info: dict[str, Any], groups: Sequence[Any], today: datetime.date | None = None
) -> IO[bytes]:
    """The workbook in an anonymous temporary file, rewound: a response streams it from disk
    and the file disappears when the response closes it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    write_ranking_workbook(handle, round_info=round_info, groups=groups, today=today)
    handle.seek(0)
    return handle


def ranking_csv_chunks(*, round_info: dict[str, Any], groups: Sequence[Any]) -> Iterator[bytes]:
    """All groups in one table with a group column, streamed in chunks (UTF-8 with a BOM)."""
    del round_info  # the CSV is the table alone; its title block would break the columns

    def rows() -> Iterator[list[Any]]:
        for group in groups:
            name = _group_get(group, "group_name") or ""
            for position, row in enumerate(_ordered_rows(_group_get(group, "rows") or []), 1):
                values = [name, *_cells(position, row)]
                score = values[5]  # a Decimal: written as 92.50
                values[5] = f"{score:.2f}" if score is not None else ""
                yield values

    return csv_chunks([_("Khối thi đua"), *_headers()], rows())


def ranking_csv(*, round_info: dict[str, Any], groups: Sequence[Any]) -> str:
    """The ranking CSV as text (tests, small rankings); pages stream `ranking_csv_chunks`."""
    chunks = ranking_csv_chunks(round_info=round_info, groups=groups)
    return b"".join(chunks).decode("utf-8")


def year_results_workbook(
    *, year: int, rounds: Sequence[tuple[str, list[dict[str, Any]]]]
) -> bytes:
    """The year's results: one row per unit, for each round its score, class and rank.

    `rounds` is [(round name, groups as `GroupRanking.as_json()`)], in the order to show."""
    headers = [_("Mã đơn vị"), _("Đơn vị"), _("Khối thi đua")]
    for name, _groups in rounds:
        headers += [f"{name}: {_('Điểm')}", f"{name}: {_('Xếp loại')}", f"{name}: {_('Hạng')}"]
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

    def fill(book: Workbook) -> None:
        title = sheet_titles([_("Kết quả năm %(year)s") % {"year": year}])[0]
        score = book.add_format({"num_format": SCORE_FORMAT})
        ws = SheetRows(book, title, widths=(14, 46, 26), decimal_format=score)
        ws.add(
            [_("Kết quả các đợt kiểm tra năm %(year)s") % {"year": year}],
            book.add_format({"bold": True, "font_size": 14}),
        )
        ws.add([])
        ws.add(headers, book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"}))
        for code in sorted(units):
            ws.add(units[code])
        ws.sheet.freeze_panes(3, 3)

    return xlsx_bytes(fill)

"""The one-stop system's export as we read it: six documented columns on the first sheet,
one dossier a row. Every bad row is named by its line and column, and nothing is imported
while one is left.

| column | header | value |
|---|---|---|
| A | Mã đơn vị | the unit's code in Công Sở Xanh (e.g. PANLAC) |
| B | Mã hồ sơ | the dossier's number in the one-stop system, once per file |
| C | Ngày tiếp nhận | dd/mm/yyyy (or a date cell) |
| D | Hạn trả kết quả | dd/mm/yyyy, not before C |
| E | Ngày trả kết quả | dd/mm/yyyy, not before C; empty while not resolved |
| F | Hình thức nộp | Trực tuyến, Trực tiếp or Bưu chính |
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from inspections.errors import DomainError
from inspections.imports import MAX_ROWS, cell_text, open_workbook
from inspections.spreadsheets import SheetRows, xlsx_bytes
from inspections.vietnamese import search_key

MAX_ERRORS = 50
SHEET = "Hồ sơ"


def headers() -> list[str]:
    return [
        _("Mã đơn vị"),
        _("Mã hồ sơ"),
        _("Ngày tiếp nhận"),
        _("Hạn trả kết quả"),
        _("Ngày trả kết quả"),
        _("Hình thức nộp"),
    ]


_ONLINE = {"truc tuyen": True, "online": True, "truc tiep": False, "buu chinh": False}


@dataclass(frozen=True)
class DossierRow:
    line: int
    unit_code: str
    code: str
    received_on: datetime.date
    due_on: datetime.date
    resolved_on: datetime.date | None
    online: bool


def template_workbook() -> bytes:
    """The layout with one example row, for Internal Affairs to fill or to check an export."""

    def fill(book: Workbook) -> None:
        sheet = SheetRows(book, SHEET, widths=(22,) * 6)
        sheet.add(headers())
        sheet.add(
            [
                "PANLAC",
                "H12.34-261103-0001",
                "03/11/2026",
                "10/11/2026",
                "07/11/2026",
                _("Trực tuyến"),
            ]
        )

    return xlsx_bytes(fill)


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    if not text.isascii():
        raise ValueError(text)
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def read_dossiers(data: bytes, unit_codes: set[str]) -> list[DossierRow]:
    """Every row checked; a DomainError listing the bad ones (line, column, value) otherwise."""
    book = open_workbook(data)
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise DomainError(_("Tệp không có trang nào."), fields={"file": [_("Hãy dùng tệp mẫu.")]})
    names = headers()
    errors: list[str] = []
    rows: list[DossierRow] = []
    seen: dict[str, int] = {}
    for line, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
        if line > MAX_ROWS * 10 + 1:
            raise DomainError(
                _("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS * 10},
                fields={"file": [_("Quá nhiều dòng.")]},
            )
        cells = [*values, *[None] * 6][:6]
        if not any(cell_text(v) for v in cells):
            continue

        def bad(column: int, message: str, line: int = line, cells: list[Any] = cells) -> None:
            errors.append(
                _("Dòng %(line)s, cột “%(column)s”: %(message)s (giá trị: “%(value)s”).")
                % {
                    "line": line,
                    "column": names[column],
                    "message": message,
                    "value": cell_text(cells[column])[:40],
                }
            )

        unit_code = cell_text(cells[0]).upper()
        if unit_code not in unit_codes:
            bad(0, _("không có đơn vị nào mang mã này"))
        code = cell_text(cells[1])
        if not code or len(code) > 60:
            bad(1, _("cần mã hồ sơ (tối đa 60 ký tự)"))
        elif code in seen:
            bad(1, _("trùng với dòng %(other)s") % {"other": seen[code]})
        else:
            seen[code] = line
        dates: list[datetime.date | None] = []
        for column in (2, 3, 4):
            try:
                dates.append(_date(cells[column]))
            except (ValueError, TypeError):
                dates.append(None)
                bad(column, _("không phải ngày dd/mm/yyyy"))
                continue
            if dates[-1] is None and column != 4:
                bad(column, _("cần có ngày"))
        received, due, resolved = dates
        if received and due and due < received:
            bad(3, _("hạn trả trước ngày tiếp nhận"))
        if received and resolved and resolved < received:
            bad(4, _("ngày trả trước ngày tiếp nhận"))
        online = _ONLINE.get(search_key(cell_text(cells[5])))
        if online is None:
            bad(5, _("phải là Trực tuyến, Trực tiếp hoặc Bưu chính"))
        if len(errors) >= MAX_ERRORS:
            break
        if received and due and online is not None and not errors:
            rows.append(DossierRow(line, unit_code, code, received, due, resolved, online))
    book.close()
    if errors:
        raise DomainError(
            _("Tệp có %(n)s lỗi; chưa nhập dòng nào.") % {"n": len(errors)},
            fields={"file": errors},
            code="bad_rows",
        )
    if not rows:
        raise DomainError(_("Tệp không có hồ sơ nào."), fields={"file": [_("Tệp trống.")]})
    return rows

"""The year's files: its ranking and its commendation proposals as XLSX, from the selectors'
rows. Written in openpyxl's write-only mode (row by row, nothing kept), every text cell
through the shared `safe_cell()`."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from inspections.exports import SCORE_FORMAT, safe_cell, sheet_titles
from inspections.selectors.years import (
    ProposalRow,
    YearGroup,
    YearProposals,
    YearRanking,
    YearRow,
    criteria_text,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(ws: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> Cell:
    """One cell; text without control characters, escaped so no spreadsheet runs it."""
    if isinstance(value, str):
        value = safe_cell(_ILLEGAL.sub("", value))
    cell: Cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = TYPE_STRING
    elif isinstance(value, Decimal):
        cell.number_format = SCORE_FORMAT
    if bold:
        cell.font = _BOLD
    return cell


def _row(ws: WriteOnlyWorksheet, values: Iterable[Any], *, bold: bool = False) -> None:
    ws.append([_cell(ws, v, bold=bold) for v in values])


def _dmy(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value is not None else ""


def _status(published: bool, published_at: datetime.datetime | None) -> str:
    if published:
        return _("Kết quả năm đã công bố ngày %(date)s") % {"date": _dmy(published_at)}
    return _("Kết quả năm chưa công bố: số liệu tạm tính đến %(date)s") % {
        "date": timezone.localdate().strftime("%d/%m/%Y")
    }


def _movement(row: YearRow) -> str:
    if row.rank is None:
        return ""
    if row.movement is None:
        return _("mới")
    if row.movement > 0:
        return f"↑{row.movement}"
    if row.movement < 0:
        return f"↓{-row.movement}"
    return "—"


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def year_ranking_workbook(ranking: YearRanking) -> bytes:
    """One sheet per group: rank, unit, the year's score and class, each round's score."""
    wb = Workbook(write_only=True)
    titles = sheet_titles([g.group_name for g in ranking.groups] or [str(ranking.year)])
    policy = ranking.policy
    groups: list[YearGroup | None] = [*ranking.groups] or [None]
    for title, group in zip(titles, groups, strict=False):
        ws = wb.create_sheet(title)
        ws.column_dimensions["D"].width = 44
        _row(ws, [_("Kết quả năm %(year)s") % {"year": ranking.year}], bold=True)
        _row(ws, [group.group_name if group else ""])
        _row(ws, [_status(policy.is_published, policy.published_at)])
        _row(ws, [])
        _row(
            ws,
            [
                _("STT"),
                _("Hạng"),
                _("Mã đơn vị"),
                _("Đơn vị"),
                _("Điểm năm"),
                _("Xếp loại năm"),
                *[r.name for r in ranking.rounds],
                _("Số đợt được tính"),
                _("Thay đổi so với năm trước"),
                _("Ghi chú"),
            ],
            bold=True,
        )
        for position, row in enumerate(group.rows if group else [], 1):
            _row(
                ws,
                [
                    position,
                    row.rank,
                    row.unit_code,
                    row.unit_name,
                    row.score,
                    row.classification_name,
                    *row.round_scores,
                    row.round_count,
                    _movement(row),
                    row.cap_note or row.unranked_note,
                ],
            )
    return _save(wb)


def _proposal_headers() -> list[str]:
    return [
        _("STT"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Khối thi đua"),
        _("Hạng trong khối"),
        _("Điểm năm"),
        _("Xếp loại năm"),
        _("Lý do"),
        _("Quyết định của Phòng Nội vụ"),
        _("Người quyết định"),
        _("Ngày quyết định"),
    ]


def _decision(row: ProposalRow) -> str:
    if row.decision is None:
        return ""
    return _("Bổ sung") if row.decision else _("Đưa ra")


def _proposal_sheet(
    wb: Workbook, title: str, heading: str, proposals: YearProposals, rows: Sequence[ProposalRow]
) -> None:
    ws = wb.create_sheet(title)
    ws.column_dimensions["C"].width = 40
    ws.column_dimensions["H"].width = 60
    _row(ws, [heading], bold=True)
    _row(ws, [_status(proposals.published, proposals.policy.published_at)])
    _row(ws, [_("Tiêu chí") + ": " + "; ".join(criteria_text(proposals.policy))])
    _row(ws, [])
    _row(ws, _proposal_headers(), bold=True)
    for position, row in enumerate(rows, 1):
        cells = [
            _cell(ws, value)
            for value in (
                position,
                row.unit_code,
                row.unit_name,
                row.group_name,
                row.rank,
                row.score,
                row.classification_name,
                "; ".join(row.reasons),
                _decision(row),
                row.decided_by,
                _dmy(row.decided_at),
            )
        ]
        cells[7].alignment = _WRAP
        ws.append(cells)


def proposals_workbook(proposals: YearProposals) -> bytes:
    """Two sheets: the units proposed, and those not proposed, each with its reasons."""
    wb = Workbook(write_only=True)
    year = proposals.year
    proposed_title, other_title = sheet_titles([_("Đề nghị khen thưởng"), _("Không đề nghị")])
    _proposal_sheet(
        wb,
        proposed_title,
        _("Danh sách đơn vị đề nghị khen thưởng năm %(year)s") % {"year": year},
        proposals,
        proposals.proposed,
    )
    _proposal_sheet(
        wb,
        other_title,
        _("Danh sách đơn vị không đề nghị khen thưởng năm %(year)s") % {"year": year},
        proposals,
        proposals.not_proposed,
    )
    return _save(wb)

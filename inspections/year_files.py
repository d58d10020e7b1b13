"""The year's files: its ranking and its commendation proposals as XLSX, from the selectors'
rows, written through the shared spreadsheet writer (inspections/spreadsheets.py): every text
cell through `safe_cell()`, control characters dropped."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from inspections.exports import SCORE_FORMAT, sheet_titles
from inspections.selectors.years import (
    ProposalRow,
    YearGroup,
    YearProposals,
    YearRanking,
    YearRow,
    criteria_text,
)
from inspections.spreadsheets import XLSX_TYPE, SheetRows, xlsx_bytes

XLSX = XLSX_TYPE


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


def year_ranking_workbook(ranking: YearRanking) -> bytes:
    """One sheet per group: rank, unit, the year's score and class, each round's score."""
    titles = sheet_titles([g.group_name for g in ranking.groups] or [str(ranking.year)])
    policy = ranking.policy
    groups: list[YearGroup | None] = [*ranking.groups] or [None]

    def fill(book: Workbook) -> None:
        bold = book.add_format({"bold": True})
        score = book.add_format({"num_format": SCORE_FORMAT})
        for title, group in zip(titles, groups, strict=False):
            ws = SheetRows(book, title, widths=(None, None, None, 44), decimal_format=score)
            ws.add([_("Kết quả năm %(year)s") % {"year": ranking.year}], bold)
            ws.add([group.group_name if group else ""])
            ws.add([_status(policy.is_published, policy.published_at)])
            ws.add([])
            ws.add(
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
                bold,
            )
            for position, row in enumerate(group.rows if group else [], 1):
                ws.add(
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
                    ]
                )

    return xlsx_bytes(fill)


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
    book: Workbook,
    title: str,
    heading: str,
    proposals: YearProposals,
    rows: Sequence[ProposalRow],
) -> None:
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    score = book.add_format({"num_format": SCORE_FORMAT})
    widths = (None, None, 40, None, None, None, None, 60)
    ws = SheetRows(book, title, widths=widths, decimal_format=score)
    ws.add([heading], bold)
    ws.add([_status(proposals.published, proposals.policy.published_at)])
    ws.add([_("Tiêu chí") + ": " + "; ".join(criteria_text(proposals.policy))])
    ws.add([])
    ws.add(_proposal_headers(), bold)
    reasons_wrapped = [None] * 7 + [wrap]
    for position, row in enumerate(rows, 1):
        ws.add(
            [
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
            ],
            formats=reasons_wrapped,
        )


def proposals_workbook(proposals: YearProposals) -> bytes:
    """Two sheets: the units proposed, and those not proposed, each with its reasons."""
    year = proposals.year
    proposed_title, other_title = sheet_titles([_("Đề nghị khen thưởng"), _("Không đề nghị")])

    def fill(book: Workbook) -> None:
        _proposal_sheet(
            book,
            proposed_title,
            _("Danh sách đơn vị đề nghị khen thưởng năm %(year)s") % {"year": year},
            proposals,
            proposals.proposed,
        )
        _proposal_sheet(
            book,
            other_title,
            _("Danh sách đơn vị không đề nghị khen thưởng năm %(year)s") % {"year": year},
            proposals,
            proposals.not_proposed,
        )

    return xlsx_bytes(fill)

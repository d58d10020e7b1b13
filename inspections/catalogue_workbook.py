"""An edition's criteria as a workbook: written for people to edit, read back row by row.

Reading writes nothing: `services.editions.criteria_import` saves the rows, all or none.
Every text cell is written through `safe_cell()` (no spreadsheet runs it as a formula) and
the quote it may add is taken off again when the file comes back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from inspections.errors import DomainError
from inspections.imports import MAX_ROWS, cell_text, open_workbook
from inspections.models import AnswerType, EvidenceKind, ModelVersion
from inspections.spreadsheets import FORMULA_STARTS, SheetRows, xlsx_bytes

SHEET = "Tieu chi"
_TRUE = {"x", "có", "co", "1", "yes", "true", "c"}
_FALSE = {"", "không", "khong", "0", "no", "false", "k"}
_CODE = re.compile(r"^[A-Za-z0-9._-]{1,10}$")
_NUMBER = re.compile(r"^[0-9]{1,4}(?:[.,][0-9]{1,2})?$")
_WIDTHS = (10, 8, 50, 40, 40, 30, 12, 10, 10, 6, 8, 8, 30)


def headers() -> list[str]:
    return [
        _("Mã nhóm"),
        _("Mã tiêu chí"),
        _("Nội dung"),
        _("Nội dung tiếng Anh"),
        _("Hướng dẫn chấm"),
        _("Hướng dẫn chấm tiếng Anh"),
        _("Kiểu trả lời (yes_no, level, percent)"),
        _("Điểm tối đa"),
        _("Minh chứng (none, photo, doc)"),
        _("★ (x)"),
        _("Cho phép không áp dụng (x)"),
        _("Thứ tự"),
        _("Khung điểm (ngưỡng: điểm; …)"),
    ]


def _number(value: Decimal | str) -> str:
    """92,50 → "92,5"; whole numbers without decimals; Vietnamese decimal comma."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def bands_text(bands: list[dict[str, str]]) -> str:
    return "; ".join(f"{_number(b['minimum'])}: {_number(b['points'])}" for b in bands)


def criteria_workbook(version: ModelVersion) -> bytes:
    criteria = version.criteria.select_related("section").order_by(
        "section__order", "order", "code"
    )

    def fill(book: Workbook) -> None:
        sheet = SheetRows(book, SHEET, widths=_WIDTHS)
        sheet.add(headers(), book.add_format({"bold": True}))
        for c in criteria:
            sheet.add(
                [
                    c.section.code,
                    c.code,
                    c.text,
                    c.text_en,
                    c.guidance,
                    c.guidance_en,
                    c.answer_type,
                    float(c.max_points),
                    c.evidence,
                    "x" if c.critical else "",
                    "x" if c.na_allowed else "",
                    c.order,
                    bands_text(c.bands),
                ]
            )

    return xlsx_bytes(fill)


@dataclass
class CriterionInput:
    line: int
    section: str
    code: str
    values: dict[str, Any]


@dataclass
class CriteriaPlan:
    rows: list[CriterionInput] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def refuse(self, line: int, message: str) -> None:
        key = _("%(sheet)s, dòng %(line)s") % {"sheet": SHEET, "line": line}
        self.problems.setdefault(key, []).append(message)


def _text(value: Any) -> str:
    text = cell_text(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # the quote safe_cell() added on export
    return text


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = format(value, "f") if isinstance(value, float) else str(value)
    text = _text(value)
    if not text.isascii() or not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def parse_bands(text: str) -> list[dict[str, str]] | None:
    """ "100: 6; 98: 4,5" → [{"minimum": "100", "points": "6"}, …]; None when unreadable."""
    bands = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        minimum, colon, points = part.partition(":")
        low, high = _decimal(minimum), _decimal(points)
        if not colon or low is None or high is None:
            return None
        bands.append({"minimum": str(low), "points": str(high)})
    return bands


def _flag(plan: CriteriaPlan, line: int, value: Any, label: str) -> bool:
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text not in _FALSE:
        plan.refuse(line, _("Cột “%(label)s”: ghi x hoặc để trống.") % {"label": label})
    return False


def plan_criteria(data: bytes) -> CriteriaPlan:
    """Every row read and checked on its own; the service checks it against the draft."""
    workbook = open_workbook(data)
    if SHEET not in workbook.sheetnames:
        workbook.close()
        raise DomainError(
            _("Tệp không có trang “%(sheet)s”: hãy xuất danh sách tiêu chí rồi sửa trên đó.")
            % {"sheet": SHEET},
            fields={"file": [_("Hãy dùng tệp đã xuất.")]},
        )
    plan = CriteriaPlan()
    seen: set[str] = set()
    for line, raw in enumerate(workbook[SHEET].iter_rows(min_row=2, values_only=True), 2):
        if line > MAX_ROWS + 1:
            plan.refuse(line, _("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS})
            break
        values = [*raw, *[None] * 13][:13]
        if not any(_text(v) for v in values):
            continue
        _plan_row(plan, line, values, seen)
    workbook.close()
    if not plan.rows and not plan.problems:
        plan.refuse(2, _("Tệp không có tiêu chí nào."))
    return plan


def _plan_row(plan: CriteriaPlan, line: int, values: list[Any], seen: set[str]) -> None:
    section, code, text, text_en, guidance, guidance_en = (_text(v) for v in values[:6])
    answer_type, evidence = _text(values[6]).lower(), _text(values[8]).lower() or "none"
    before = len(plan.problems)
    if not _CODE.match(code):
        plan.refuse(line, _("Mã tiêu chí trống hoặc có ký tự không hợp lệ."))
    elif code in seen:
        plan.refuse(line, _("Mã tiêu chí “%(code)s” lặp lại trong tệp.") % {"code": code})
    seen.add(code)
    if not text:
        plan.refuse(line, _("Thiếu nội dung tiêu chí."))
    if answer_type not in AnswerType.values:
        plan.refuse(line, _("Kiểu trả lời phải là yes_no, level hoặc percent."))
    if evidence not in EvidenceKind.values:
        plan.refuse(line, _("Minh chứng phải là none, photo hoặc doc."))
    max_points = _decimal(values[7])
    if max_points is None:
        plan.refuse(line, _("Điểm tối đa phải là một số (ví dụ 3 hoặc 4,5)."))
    order = _decimal(values[11]) if _text(values[11]) else Decimal(0)
    if order is None or order != order.to_integral_value() or order > 32767:
        plan.refuse(line, _("Thứ tự phải là một số nguyên."))
    bands = parse_bands(_text(values[12]))
    if bands is None:
        plan.refuse(line, _("Khung điểm phải theo dạng “100: 6; 98: 4,5”."))
    critical = _flag(plan, line, values[9], "★")
    na_allowed = _flag(plan, line, values[10], _("Cho phép không áp dụng"))
    limits = {"text": 5000, "text_en": 5000, "guidance": 5000, "guidance_en": 5000}
    texts = {"text": text, "text_en": text_en, "guidance": guidance, "guidance_en": guidance_en}
    if any(len(texts[name]) > limit for name, limit in limits.items()):
        plan.refuse(line, _("Nội dung quá dài (tối đa 5000 ký tự)."))
    if len(plan.problems) != before:
        return
    plan.rows.append(
        CriterionInput(
            line=line,
            section=section,
            code=code,
            values={
                **texts,
                "answer_type": answer_type,
                "max_points": max_points,
                "evidence": evidence,
                "critical": critical,
                "na_allowed": na_allowed,
                "order": int(order or 0),
                "bands": bands or [],
            },
        )
    )

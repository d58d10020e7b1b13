"""Units and people from a workbook: the template, and a plan with every row's problems.

Reading writes nothing: the plan is shown as a dry run, and `services.units.directory_import`
writes it in one transaction only when no row has a problem.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from xlsxwriter import Workbook

from inspections.errors import DomainError
from inspections.evidence_checks import parse_place
from inspections.models import Group, OrgUnit, RoleKind
from inspections.spreadsheets import SheetRows, xlsx_bytes

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
UNITS_SHEET = "Đơn vị"
PEOPLE_SHEET = "Người dùng"
# The sheet names of the first template (no diacritics): such workbooks are still read.
_OLDER_SHEETS = {UNITS_SHEET: "Don vi", PEOPLE_SHEET: "Nguoi dung"}
_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")
# The sixth column marks the template's example rows, which are never imported; the units'
# place came later, so its three columns follow it (older workbooks are read unchanged).
EXAMPLE_COLUMN = 5
UNIT_COLUMNS = 9
_EXAMPLE_MARKS = {"ví dụ", "vi du", "example"}


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _role_names() -> dict[str, str]:
    """Each role by its Vietnamese name, its English name or (older workbooks) its code."""
    names = {kind.value: kind.value for kind in RoleKind}
    for language in ("en", "vi"):
        with translation.override(language):
            names.update({_key(str(kind.label)): kind.value for kind in RoleKind})
    return names


def example_mark() -> str:
    return _("Ví dụ")


def unit_headers() -> list[str]:
    return [
        _("Mã đơn vị"),
        _("Tên đơn vị"),
        _("Mã đơn vị cấp trên"),
        _("Mã khối thi đua"),
        _("Hiệu lực từ (dd/mm/yyyy)"),
    ]


def people_headers() -> list[str]:
    return [
        _("Tên đăng nhập"),
        _("Họ và tên"),
        _("Email"),
        _("Vai trò (%(roles)s)") % {"roles": ", ".join(str(kind.label) for kind in RoleKind)},
        _("Mã đơn vị"),
    ]


def unit_place_headers() -> list[str]:
    return [_("Vĩ độ"), _("Kinh độ"), _("Bán kính (m)")]


def _example_header() -> str:
    return _("Dòng mẫu (dòng ghi “%(mark)s” không được nhập)") % {"mark": example_mark()}


def template_workbook() -> bytes:
    """The empty template with one example row per sheet, marked so it is never imported."""
    office = str(RoleKind.OFFICE.label)
    sheets = [
        (
            UNITS_SHEET,
            [*unit_headers(), _example_header(), *unit_place_headers()],
            [
                "PHUONG-MOI",
                "Phường Mới",
                "UBND",
                "phuong-xa",
                "01/01/2026",
                example_mark(),
                "10,776889",
                "106,700806",
                "300",
            ],
        ),
        (
            PEOPLE_SHEET,
            [*people_headers(), _example_header()],
            [
                "nguyenthuha",
                "Nguyễn Thị Thu Hà",
                "ha@example.vn",
                office,
                "PHUONG-MOI",
                example_mark(),
            ],
        ),
    ]

    def fill(book: Workbook) -> None:
        bold = book.add_format({"bold": True})
        example = book.add_format({"italic": True, "font_color": "#6B6B6B"})
        for title, header, example_row in sheets:
            sheet = SheetRows(book, title, widths=(24, 24, 24, 24, 24, 36, 24, 24, 24))
            sheet.add(header, bold)
            sheet.add(example_row, example)

    return xlsx_bytes(fill)


@dataclass
class UnitRow:
    line: int
    code: str
    name: str
    parent_code: str
    group_code: str
    valid_from: datetime.date | None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    radius_m: int | None = None


@dataclass
class PersonRow:
    line: int
    username: str
    full_name: str
    email: str
    role: str
    unit_code: str


@dataclass
class ImportPlan:
    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    # "Đơn vị, dòng 4" → its messages
    problems: dict[str, list[str]] = field(default_factory=dict)
    examples: int = 0  # the template's example rows, left out
    titles: dict[str, str] = field(default_factory=dict)  # as the workbook names its sheets

    def refuse(self, sheet: str, line: int, message: str) -> None:
        shown = self.titles.get(sheet, sheet)
        key = _("%(sheet)s, dòng %(line)s") % {"sheet": shown, "line": line}
        self.problems.setdefault(key, []).append(message)


def cell_text(value: Any) -> str:
    """A cell as text: empty for nothing, 12 rather than 12.0, without surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def _sheet(workbook: Any, name: str) -> Any:
    for title in (name, _OLDER_SHEETS[name]):
        if title in workbook.sheetnames:
            return workbook[title]
    return None


def _rows(
    workbook: Any, name: str, plan: ImportPlan, width: int = 6
) -> list[tuple[int, list[Any]]]:
    sheet = _sheet(workbook, name)
    if sheet is None:
        return []
    plan.titles[name] = sheet.title
    rows = []
    for line, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
        if line > MAX_ROWS + 1:
            raise DomainError(
                _("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS},
                fields={"file": [_("Quá nhiều dòng.")]},
            )
        cells = [*values, *[None] * width][:width]
        if _key(cell_text(cells[EXAMPLE_COLUMN])) in _EXAMPLE_MARKS:
            plan.examples += 1
            continue
        if any(cell_text(v) for v in cells):
            rows.append((line, cells))
    return rows


def open_workbook(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise DomainError(
            _("Tệp quá lớn (tối đa 5 MB)."), fields={"file": [_("Tệp quá lớn.")]}, code="too_large"
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise DomainError(
            _("Không đọc được tệp: hãy dùng tệp mẫu .xlsx."),
            fields={"file": [_("Tệp không phải bảng tính .xlsx hợp lệ.")]},
        ) from None


def plan_import(data: bytes) -> ImportPlan:
    """Every row read and checked against the database and the rest of the file."""
    workbook = open_workbook(data)
    if _sheet(workbook, UNITS_SHEET) is None and _sheet(workbook, PEOPLE_SHEET) is None:
        raise DomainError(
            _("Tệp không có trang “%(u)s” hay “%(p)s”.") % {"u": UNITS_SHEET, "p": PEOPLE_SHEET},
            fields={"file": [_("Hãy dùng tệp mẫu.")]},
        )
    plan = ImportPlan()
    _plan_units(plan, _rows(workbook, UNITS_SHEET, plan, UNIT_COLUMNS))
    _plan_people(plan, _rows(workbook, PEOPLE_SHEET, plan))
    workbook.close()
    return plan


def _plan_units(plan: ImportPlan, rows: list[tuple[int, list[Any]]]) -> None:
    paths = dict(OrgUnit.objects.values_list("code", "path"))
    known = set(paths)
    groups = set(Group.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for line, values in rows:
        code, name, parent, group = (cell_text(v) for v in values[:4])
        found = []
        if not _CODE.match(code):
            found.append(_("Mã đơn vị trống hoặc có ký tự không hợp lệ."))
        elif code in seen:
            found.append(_("Mã đơn vị “%(code)s” lặp lại trong tệp.") % {"code": code})
        if not name:
            found.append(_("Thiếu tên đơn vị."))
        if parent and parent not in known and parent not in seen:
            found.append(_("Không có đơn vị cấp trên “%(code)s”.") % {"code": parent})
        if parent and (parent == code or paths.get(parent, "").startswith(paths.get(code, "-"))):
            found.append(_("Đơn vị không thể là cấp trên của chính mình hay của cấp trên nó."))
        if group and group not in groups:
            found.append(_("Không có khối thi đua “%(code)s”.") % {"code": group})
        try:
            valid_from = _date(values[4])
        except ValueError:
            valid_from = None
            found.append(_("Ngày hiệu lực phải theo dạng dd/mm/yyyy."))
        place: tuple[Decimal | None, Decimal | None, int | None] = (None, None, None)
        try:
            place = parse_place(*(cell_text(v) if isinstance(v, str) else v for v in values[6:9]))
        except DomainError as refused:
            found += [m for messages in refused.fields.values() for m in messages]
        seen.add(code)
        for message in found:
            plan.refuse(UNITS_SHEET, line, message)
        if not found:
            plan.units.append(UnitRow(line, code, name, parent, group, valid_from, *place))


def _plan_people(plan: ImportPlan, rows: list[tuple[int, list[Any]]]) -> None:
    units = set(OrgUnit.objects.values_list("code", flat=True)) | {u.code for u in plan.units}
    seen: set[tuple[str, str, str]] = set()
    roles = _role_names()
    for line, values in rows:
        username, full_name, email, role_text, unit = (cell_text(v) for v in values[:5])
        role = roles.get(_key(role_text), "")
        full_name = " ".join(full_name.split())
        found = []
        if not username or len(username) > 150 or not re.match(r"^[\w.@+-]+$", username):
            found.append(_("Tên đăng nhập trống hoặc có ký tự không hợp lệ."))
        if not full_name or len(full_name) > 150:
            found.append(_("Thiếu họ và tên (tối đa 150 ký tự)."))
        if email and "@" not in email:
            found.append(_("Email không hợp lệ."))
        if not role:
            found.append(
                _("Vai trò “%(role)s” không hợp lệ: hãy ghi một trong %(roles)s.")
                % {"role": role_text, "roles": ", ".join(str(k.label) for k in RoleKind)}
            )
        if role and role != RoleKind.LEADER and not unit:
            found.append(_("Vai trò này cần mã đơn vị."))
        if unit and unit not in units:
            found.append(_("Không có đơn vị “%(code)s”.") % {"code": unit})
        if (username, role, unit) in seen:
            found.append(_("Dòng này lặp lại một dòng trước."))
        seen.add((username, role, unit))
        for message in found:
            plan.refuse(PEOPLE_SHEET, line, message)
        if not found:
            plan.people.append(PersonRow(line, username, full_name, email, role, unit))


def existing_usernames(plan: ImportPlan) -> set[str]:
    names = {p.username for p in plan.people}
    return set(
        get_user_model().objects.filter(username__in=names).values_list("username", flat=True)
    )

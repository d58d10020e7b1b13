"""Full data exports of a round or a year: answers in long form, inspections, actions."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from inspections.data_exports import ACTIONS, ANSWERS, INSPECTIONS, TABLES, table, write_file
from inspections.models import Answer, EvidencePhoto, Inspection, display_name
from inspections.selectors.exports import ExportScope
from inspections.services import inspection_revise
from tests.inspections.builders import approved_inspection, criteria_of
from tests.inspections.test_exports import formula_cells

pytestmark = pytest.mark.django_db

HOSTILE_NOTE = '=HYPERLINK("http://evil.example")'


@pytest.fixture
def revised(open_round: Any, org: Any, cast: Any) -> Inspection:
    """An approved inspection of the ward with a flagged item and a hostile note, then revised
    once by Internal Affairs (A1's note changed): two revisions of every criterion."""
    inspection = approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        flagged=["A2"],
    )
    return inspection_revise(
        by=cast.internal_affairs,
        inspection=inspection,
        reason="Phúc tra",
        answers={"A1": {"note": HOSTILE_NOTE}},
    )


def _csv(scope: ExportScope, table: str) -> list[list[str]]:
    out = io.BytesIO()
    write_file(out, scope, tables=[table], kind="csv")
    text = out.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_answers_have_one_row_per_revision_and_criterion(revised: Inspection, cast: Any) -> None:
    rows = _csv(ExportScope(round=revised.round), ANSWERS)

    header, body = rows[0], rows[1:]
    assert header[:8] == [
        "Đợt kiểm tra",
        "Khối thi đua",
        "Mã đơn vị",
        "Đơn vị",
        "Loại phiếu",
        "Trạng thái phiếu",
        "Lần sửa",
        "Cán bộ kiểm tra",
    ]
    count = len(criteria_of(revised))
    assert len(body) == 2 * count
    assert [r[6] for r in body] == ["1"] * count + ["2"] * count  # the earlier revision first
    first = body[0]
    assert first[:6] == [
        "Quý IV/2026",
        "Khối phường, xã",
        "PANLAC",
        "Phường An Lạc",
        "Kiểm tra chính thức",
        "Đã duyệt",
    ]
    assert {r[7] for r in body} == {display_name(cast.inspector)}  # Họ và tên, not the login
    current = {r[8]: r for r in body[count:]}
    stored = Answer.objects.get(inspection=revised, criterion__code="A2")
    assert Decimal(current["A2"][10]) == stored.points
    assert current["A2"][13] == "Có"  # flagged
    photos = EvidencePhoto.objects.filter(inspection=revised, criterion__code="A2").count()
    assert current["A2"][14] == str(photos)
    assert current["A1"][12] == "'" + HOSTILE_NOTE  # never a formula
    assert {r[8]: r for r in body[:count]}["A1"][12] != current["A1"][12]


def test_the_workbook_continues_on_a_new_sheet_past_the_row_limit(revised: Inspection) -> None:
    out = io.BytesIO()
    written = write_file(
        out, ExportScope(round=revised.round), tables=[ANSWERS], kind="xlsx", sheet_rows=10
    )

    workbook = load_workbook(io.BytesIO(out.getvalue()))
    sheets = workbook.worksheets
    assert written == 2 * len(criteria_of(revised))
    assert len(sheets) == -(-written // 10)
    assert [ws.title for ws in sheets[:2]] == ["Kết quả tiêu chí", "Kết quả tiêu chí (2)"]
    assert all(ws.max_row <= 11 and ws["A1"].value == "Đợt kiểm tra" for ws in sheets)
    assert sum(ws.max_row - 1 for ws in sheets) == written
    assert formula_cells(out.getvalue()) == []


def test_inspections_carry_their_section_scores(revised: Inspection) -> None:
    rows = _csv(ExportScope(round=revised.round), INSPECTIONS)

    header, (row,) = rows[0], rows[1:]
    sections = [h for h in header if h.startswith("Điểm phần ")]
    assert sections and len(header) == 13 + len(sections)
    assert row[8] == str(revised.score)
    stored = {s["section"]: s["score"] for s in revised.section_scores}
    assert [row[header.index(f"Điểm phần {code}")] for code in stored] == list(stored.values())


def test_actions_list_their_states_and_dates(
    open_round: Any, org: Any, cast: Any, version: Any
) -> None:
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs, flagged=["A2"]
    )

    rows = _csv(ExportScope(round=open_round), ACTIONS)

    assert rows[0][6] == "Trạng thái" and rows[0][9] == "Hạn khắc phục"
    flagged = next(r for r in rows[1:] if r[4] == "A2")
    assert flagged[2:7] == [
        "PANLAC",
        "Phường An Lạc",
        "A2",
        "Cán bộ kiểm tra đề nghị",
        "Chưa khắc phục",
    ]
    assert flagged[9].count("-") == 2  # an ISO date in the CSV


def test_a_year_covers_every_round_that_ends_in_it(revised: Inspection) -> None:
    this_year = _csv(ExportScope(year=2026), ANSWERS)
    next_year = _csv(ExportScope(year=2027), ANSWERS)

    assert len(this_year) == 1 + 2 * len(criteria_of(revised))
    assert next_year[1:] == []


def test_the_workbook_of_every_table_has_a_sheet_for_each(revised: Inspection) -> None:
    out = io.BytesIO()
    write_file(out, ExportScope(round=revised.round), tables=list(TABLES), kind="xlsx")

    titles = load_workbook(io.BytesIO(out.getvalue())).sheetnames
    assert titles == ["Kết quả tiêu chí", "Phiếu kiểm tra", "Yêu cầu khắc phục"]


def test_a_csv_holds_one_table() -> None:
    with pytest.raises(ValueError, match="one table"):
        write_file(io.BytesIO(), ExportScope(year=2026), tables=list(TABLES), kind="csv")


def test_the_answers_are_read_in_a_fixed_number_of_queries(
    revised: Inspection, org: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    approved_inspection(
        revised.round, org.school, cast.other_inspector, internal_affairs=cast.internal_affairs
    )
    scope = ExportScope(round=revised.round)

    # The criteria, then per batch of inspections: them, their answers, photos and revisions.
    with django_assert_max_num_queries(5):
        rows = list(table(ANSWERS, scope).rows)
    assert len(rows) == 3 * len(criteria_of(revised))

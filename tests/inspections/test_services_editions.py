"""Editing an edition's rules, sections and criteria, and its criteria through a workbook."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from inspections.catalogue_workbook import SHEET, criteria_workbook, headers, parse_bands
from inspections.errors import Problem
from inspections.models import Event
from inspections.services import version_new_draft
from inspections.services.catalogue import version_problem_fields
from inspections.services.editions import (
    LevelInput,
    SectionInput,
    classification_save,
    criteria_import,
    criterion_edit,
    sections_save,
)
from tests.inspections.builders import refusal

pytestmark = pytest.mark.django_db

RULES = {"critical_cap": "dat", "top_class_section_minimum": Decimal(70), "applicable_floor": 70}


@pytest.fixture
def draft(version):
    return version_new_draft(source=version, by=None)


def levels(*rows: tuple[str, str]) -> list[LevelInput]:
    return [LevelInput(code, code.title(), "", Decimal(low)) for code, low in rows]


def test_classes_are_stored_best_first_whatever_the_order_typed(draft, cast):
    typed = levels(("dat", "50"), ("tot", "85"), ("khong_dat", "0"))
    classification_save(by=cast.internal_affairs, version=draft, levels=typed, settings=RULES)
    stored = list(draft.levels.order_by("order").values_list("code", "minimum_score"))
    assert stored == [("tot", Decimal(85)), ("dat", Decimal(50)), ("khong_dat", Decimal(0))]
    assert Event.objects.filter(action="classification_updated").count() == 1
    assert "levels" not in version_problem_fields(draft)


@pytest.mark.parametrize(
    ("typed", "cap", "field"),
    [
        ([("dat", "50"), ("dat", "0")], "dat", "levels"),
        ([("tot", "50"), ("dat", "50")], "dat", "levels"),
        ([("tot", "50"), ("dat", "0")], "vang", "critical_cap"),
    ],
)
def test_a_classification_that_cannot_work_is_refused_on_its_field(draft, cast, typed, cap, field):
    refused = refusal(
        Problem.INVALID,
        classification_save,
        by=cast.internal_affairs,
        version=draft,
        levels=levels(*typed),
        settings={**RULES, "critical_cap": cap},
    )
    assert field in refused.fields
    assert draft.levels.count() == 5


def test_a_published_edition_and_other_roles_are_refused(version, draft, cast):
    typed = levels(("dat", "0"))
    refusal(
        Problem.WRONG_STATE,
        classification_save,
        by=cast.internal_affairs,
        version=version,
        levels=typed,
        settings=RULES,
    )
    refusal(
        Problem.FORBIDDEN,
        classification_save,
        by=cast.inspector,
        version=draft,
        levels=typed,
        settings=RULES,
    )
    assert version.levels.count() == draft.levels.count() == 5


def test_sections_are_added_renamed_and_only_empty_ones_removed(draft, cast):
    a = draft.sections.get(code="A")
    sections_save(
        by=cast.internal_affairs,
        version=draft,
        rows=[
            SectionInput(a.pk, "A", "Nơi làm việc 5S", "", 1),
            SectionInput(None, "E", "Chuyển đổi số", "Digital", 5),
        ],
    )
    assert draft.sections.get(code="A").title == "Nơi làm việc 5S"
    empty = draft.sections.get(code="E")
    refused = refusal(
        Problem.INVALID,
        sections_save,
        by=cast.internal_affairs,
        version=draft,
        rows=[SectionInput(a.pk, "A", "Nơi làm việc 5S", "", 1, delete=True)],
    )
    assert "A" in refused.message and draft.criteria.filter(section=a).count() == 10
    sections_save(
        by=cast.internal_affairs,
        version=draft,
        rows=[SectionInput(empty.pk, "E", "Chuyển đổi số", "", 5, delete=True)],
    )
    assert not draft.sections.filter(code="E").exists()


def test_a_section_of_another_edition_is_never_touched(draft, version, cast):
    theirs = version.sections.get(code="A")
    refusal(
        Problem.INVALID,
        sections_save,
        by=cast.internal_affairs,
        version=draft,
        rows=[SectionInput(theirs.pk, "A", "Đổi tên", "", 1)],
    )
    theirs.refresh_from_db()
    assert theirs.title != "Đổi tên"


def test_a_criterion_that_stops_being_a_percentage_drops_its_bands(draft, cast):
    d1 = draft.criteria.get(code="D1")
    criterion_edit(
        by=cast.internal_affairs, version=draft, criterion=d1, values={"answer_type": "yes_no"}
    )
    d1.refresh_from_db()
    assert d1.answer_type == "yes_no" and d1.bands == []


def test_a_star_criterion_allowing_na_is_refused_on_the_na_field(draft, cast):
    a5 = draft.criteria.get(code="A5")
    refused = refusal(
        Problem.INVALID,
        criterion_edit,
        by=cast.internal_affairs,
        version=draft,
        criterion=a5,
        values={"na_allowed": True},
    )
    assert list(refused.fields) == ["na_allowed"]


def test_publishing_problems_name_the_field_they_belong_to(draft):
    draft.criteria.filter(code="D2").update(bands=[{"minimum": "50", "points": "9"}])
    draft.levels.filter(code="tot").update(minimum_score=95)
    problems = version_problem_fields(draft)
    assert set(problems) == {"D2.bands", "levels"}


def workbook_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(headers())
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exported_rows(draft) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(criteria_workbook(draft)))[SHEET]
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_workbook_comes_back_unchanged_as_a_no_op(draft, cast):
    rows = exported_rows(draft)
    assert rows[-1][1] == "D3" and rows[-1][12] == "80: 4; 65: 3; 50: 2; 30: 1"
    before = Event.objects.count()
    report = criteria_import(by=cast.internal_affairs, version=draft, data=workbook_bytes(rows))
    assert (report.created, report.updated, report.removed) == ([], [], [])
    assert Event.objects.count() == before


def test_an_import_adds_changes_and_removes_criteria(draft, cast):
    rows = exported_rows(draft)
    rows = [row for row in rows if row[1] != "C9"]  # dropped from the list
    d1 = next(row for row in rows if row[1] == "D1")
    d1[12] = "100: 6; 95: 4,5"
    rows.append(
        ["D", "D4", "Tỷ lệ số hóa hồ sơ", "", "", "", "percent", 2, "doc", "", "x", 9, "90: 2"]
    )
    report = criteria_import(by=cast.internal_affairs, version=draft, data=workbook_bytes(rows))
    assert report.created == ["D4"] and report.updated == ["D1"] and report.removed == ["C9"]
    assert draft.criteria.get(code="D1").bands[1] == {"minimum": "95", "points": "4.5"}
    assert draft.criteria.get(code="D4").na_allowed
    assert not draft.criteria.filter(code="C9").exists()


def test_an_import_with_any_bad_row_saves_nothing_and_names_each_line(draft, cast):
    rows = exported_rows(draft)
    rows[0][7] = "ba"  # A1's points
    a5 = next(i for i, row in enumerate(rows) if row[1] == "A5")
    rows[a5][10] = "x"  # ★ and N/A
    rows.append(["Z", "Z1", "Nhóm không có", "", "", "", "yes_no", 1, "none", "", "", 1, ""])
    rows.append(["D", "D9", "Khung sai", "", "", "", "percent", 2, "doc", "", "", 1, "90 = 2"])
    refused = refusal(
        Problem.INVALID,
        criteria_import,
        by=cast.internal_affairs,
        version=draft,
        data=workbook_bytes(rows),
    )
    lines = " ".join(refused.fields)
    assert "dòng 2" in lines and f"dòng {a5 + 2}" in lines
    assert f"dòng {len(rows) + 1}" in lines and f"dòng {len(rows)}" in lines
    assert not draft.criteria.filter(code__in=["Z1", "D9"]).exists()
    assert draft.criteria.get(code="A1").max_points == Decimal(3)


def test_a_file_that_is_not_the_criteria_workbook_is_refused(draft, cast):
    refusal(Problem.INVALID, criteria_import, by=cast.internal_affairs, version=draft, data=b"PK")
    other = Workbook()
    out = io.BytesIO()
    other.save(out)
    refused = refusal(
        Problem.INVALID,
        criteria_import,
        by=cast.internal_affairs,
        version=draft,
        data=out.getvalue(),
    )
    assert "file" in refused.fields


@pytest.mark.parametrize(
    ("text", "bands"),
    [
        ("", []),
        (
            "100: 6; 98: 4,5",
            [{"minimum": "100", "points": "6"}, {"minimum": "98", "points": "4.5"}],
        ),
        ("90:2;", [{"minimum": "90", "points": "2"}]),
        ("90 = 2", None),
        ("١٠٠: 6", None),
        ("1e9: 1", None),
    ],
)
def test_bands_are_read_from_their_text(text, bands):
    assert parse_bands(text) == bands

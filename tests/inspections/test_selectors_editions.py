"""Reads for the edition pages: the diff against the source, the preview, the outline."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inspections.models import Criterion, ModelVersion, Section
from inspections.selectors.editions import (
    edition_diff,
    edition_list,
    edition_outline,
    edition_preview,
)
from inspections.services import version_new_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(version):
    return version_new_draft(source=version, by=None)


def test_a_fresh_copy_differs_in_nothing(draft):
    diff = edition_diff(draft)
    assert diff.source is not None and diff.is_empty


def test_the_diff_names_each_changed_field_with_old_and_new_values(draft):
    Criterion.objects.filter(version=draft, code="A1").update(max_points=Decimal("4.5"))
    Criterion.objects.filter(version=draft, code="A5").update(critical=False)
    draft.levels.filter(code="tot").update(minimum_score=Decimal("82.5"))
    diff = edition_diff(ModelVersion.objects.get(pk=draft.pk))
    changed = {row.code: row for row in diff.criteria}
    assert set(changed) == {"A1", "A5"} and changed["A1"].state == "changed"
    points = changed["A1"].changes[0]
    assert (points.label, points.old, points.new) == ("Điểm tối đa", "3", "4,5")
    assert [(c.old, c.new) for c in changed["A5"].changes] == [("Có", "Không")]
    assert [(c.old, c.new) for c in diff.levels[0].changes] == [("80", "82,5")]


def test_added_and_removed_rows_are_listed_as_such(draft):
    Criterion.objects.filter(version=draft, code="C9").delete()
    section = Section.objects.create(version=draft, code="E", title="Chuyển đổi số", order=5)
    Criterion.objects.create(
        version=draft,
        section=section,
        code="E1",
        text="Hồ sơ điện tử",
        answer_type="yes_no",
        max_points=Decimal(1),
    )
    diff = edition_diff(draft)
    states = {row.code: row.state for row in diff.criteria}
    assert states == {"E1": "added", "C9": "removed"}
    assert [(row.code, row.state) for row in diff.sections] == [("E", "added")]


def test_an_edition_with_no_source_has_nothing_to_compare(version):
    diff = edition_diff(version)
    assert diff.source is None and diff.is_empty


def test_the_diff_reads_in_a_fixed_number_of_queries(draft, django_assert_num_queries):
    Criterion.objects.filter(version=draft).update(max_points=Decimal(9))
    draft = ModelVersion.objects.select_related("based_on").get(pk=draft.pk)
    with django_assert_num_queries(3):
        diff = edition_diff(draft)
    assert len(diff.criteria) == 32


def test_the_preview_is_the_checklist_with_no_answers(draft):
    blocks = edition_preview(draft)
    assert [block.section.code for block in blocks] == ["A", "B", "C", "D"]
    d1 = blocks[3].rows[0]
    assert d1.code == "D1" and not d1.answered and d1.answer is None
    assert d1.band_hint.startswith("từ 100%: 6 điểm")


def test_the_outline_and_the_list_read_in_a_few_queries(draft, django_assert_num_queries):
    with django_assert_num_queries(3):
        outline = edition_outline(draft)
    assert outline.criteria_count == 32 and outline.total_points == Decimal(100)
    with django_assert_num_queries(2):
        models = list(edition_list())
        numbers = [v.number for v in models[0].versions.all()]
    assert numbers == [2, 1] and models[0].versions.all()[0].criteria_count == 32

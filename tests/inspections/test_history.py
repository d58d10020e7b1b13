"""An inspection's history: the timeline from its events, the diff between its revisions."""

from __future__ import annotations

from typing import Any

import pytest

from inspections.errors import DomainError
from inspections.models import Inspection, OrgUnit, Round
from inspections.selectors import (
    approved_by_round,
    approved_by_unit,
    inspection_timeline,
    revision_diff,
)
from inspections.services import (
    answer_set,
    inspection_approve,
    inspection_return,
    inspection_revise,
    inspection_submit,
    signature_record,
)
from tests.inspections.builders import approved_inspection, criteria_of, submitted_inspection


def revised_inspection(round: Round, unit: OrgUnit, cast: Any) -> Inspection:
    """Submitted, returned for A1, fixed, signed, submitted again, approved, then revised."""
    ia = cast.internal_affairs
    inspection = submitted_inspection(round, unit, cast.inspector, internal_affairs=ia)
    inspection_return(by=ia, inspection=inspection, reason="Ảnh A1 mờ", criteria=["A1"])
    answer_set(
        by=cast.inspector, inspection=inspection, criterion_code="A1", value=3, note="Chụp lại"
    )
    signature_record(by=cast.inspector, inspection=inspection, role="lead", on_paper=True)
    inspection_submit(by=cast.inspector, inspection=inspection)
    inspection_approve(by=ia, inspection=inspection)
    inspection_revise(
        by=ia,
        inspection=inspection,
        reason="Chấm lại A1 theo hồ sơ",
        answers={"A1": {"value": 1, "note": "Còn giấy tờ trên bàn"}},
    )
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def revised(open_round: Round, org: Any, cast: Any) -> Inspection:
    return revised_inspection(open_round, org.ward, cast)


def test_the_timeline_tells_the_whole_story_in_order_with_reasons(
    revised: Inspection, cast: Any
) -> None:
    timeline = inspection_timeline(revised)
    actions = [entry.action for entry in timeline]
    story = [
        "inspection_created",
        "answer_set",
        "photo_added",
        "inspection_submitted",
        "inspection_returned",
        "answer_set",
        "signature_recorded",
        "inspection_submitted",
        "inspection_approved",
        "inspection_revised",
    ]
    assert [a for a in actions if a in story] == story
    first_answers = timeline[actions.index("answer_set")]
    assert first_answers.count == len(criteria_of(revised))  # one line for the whole run
    assert first_answers.summary.startswith("Chấm hoặc sửa kết quả")
    returned = timeline[actions.index("inspection_returned")]
    assert returned.reason == "Ảnh A1 mờ" and returned.criteria == ["A1"]
    assert returned.actor == timeline[actions.index("inspection_approved")].actor
    revision = timeline[actions.index("inspection_revised")]
    assert revision.reason == "Chấm lại A1 theo hồ sơ" and "lần sửa 2" in revision.summary
    signed = timeline[actions.index("signature_recorded")]
    assert "ký trên giấy" in signed.summary


def test_the_diff_shows_the_changed_criteria_and_both_scores_and_classes(
    revised: Inspection,
) -> None:
    diff = revision_diff(revised)
    assert (diff.from_revision, diff.to_revision) == (1, 2)
    assert [c.code for c in diff.changes] == ["A1"]
    change = diff.changes[0]
    assert (change.old_value, change.new_value) == ("Mức 3/4", "Mức 1/4")
    assert (change.old_note, change.new_note) == ("Chụp lại", "Còn giấy tờ trên bàn")
    assert change.points_changed and change.old_points > change.new_points
    assert diff.old_score is not None and diff.new_score == revised.score
    assert diff.old_score > diff.new_score
    assert diff.new_class and diff.old_class
    assert diff.reasons == [(2, "Chấm lại A1 theo hồ sơ")]
    assert revision_diff(revised, from_revision="2", to_revision="2").changes == []


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"from_revision": "0"}, "from"),
        ({"to_revision": "3"}, "to"),
        ({"from_revision": "2", "to_revision": "1"}, "from"),
        ({"from_revision": "²"}, "from"),
        ({"to_revision": "1\x00"}, "to"),
        ({"to_revision": "9" * 40}, "to"),
    ],
)
def test_a_revision_number_that_does_not_exist_is_refused_on_its_field(
    revised: Inspection, given: dict[str, str], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        revision_diff(revised, **given)
    assert list(refused.value.fields) == [field]


def test_a_diff_query_count_does_not_grow_with_the_number_of_changes(
    open_round: Round, org: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    ia = cast.internal_affairs
    one = approved_inspection(open_round, org.ward, cast.inspector, internal_affairs=ia)
    many = approved_inspection(open_round, org.school, cast.inspector, internal_affairs=ia)
    inspection_revise(by=ia, inspection=one, reason="Một", answers={"A1": {"value": 2}})
    levels = [c.code for c in criteria_of(many) if c.answer_type == "level"][:6]
    changes = {code: {"value": 1, "note": "Sửa"} for code in levels}
    inspection_revise(by=ia, inspection=many, reason="Nhiều", answers=changes)
    for inspection, count in ((one, 1), (many, len(levels))):
        inspection.refresh_from_db()
        with django_assert_max_num_queries(5):
            assert len(revision_diff(inspection).changes) == count


def test_approved_inspections_are_found_by_unit_and_by_round_for_those_who_may_open_them(
    open_round: Round, org: Any, cast: Any
) -> None:
    ia = cast.internal_affairs
    ward = approved_inspection(open_round, org.ward, cast.inspector, internal_affairs=ia)
    submitted_inspection(open_round, org.school, cast.inspector, internal_affairs=ia)
    assert approved_by_unit(ia, open_round) == {org.ward.pk: [ward]}
    assert approved_by_round(cast.ward_office, org.ward) == {open_round.pk: [ward]}
    assert approved_by_round(cast.department_office, org.ward) == {}

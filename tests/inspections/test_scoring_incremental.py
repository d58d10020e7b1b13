"""Autosave moves the stored score by one criterion's points (scoring.rescore_one): whatever
the model, the answers and the order of changes, it equals scoring the whole checklist."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspections.scoring import AnswerValue, ModelRules, rescore_one, score_inspection
from tests.inspections.test_scoring import REFERENCE, all_yes, answer_values, scored_answers


@given(scored_answers(), st.data())
def test_one_answer_at_a_time_always_equals_the_full_rescore(
    case: tuple[ModelRules, dict[str, AnswerValue]], data: st.DataObject
) -> None:
    rules, answers = case
    running = score_inspection(rules, answers)
    for _ in range(data.draw(st.integers(1, 12))):
        criterion = data.draw(st.sampled_from(rules.criteria))
        value = data.draw(answer_values(criterion))
        answers[criterion.code] = value
        running = rescore_one(rules, running, criterion.code, value)
        assert running == score_inspection(rules, answers)


def test_a_worked_example_a_failed_star_then_fixed() -> None:
    answers = all_yes()
    full = score_inspection(REFERENCE, answers)
    failed = rescore_one(REFERENCE, full, "A5", False)
    assert failed.critical_failures == ("A5",)
    assert str(failed.rounded) == "97.00"  # 97 of 100 points, capped at "đạt" by the ★
    assert failed.classification == "dat"
    assert rescore_one(REFERENCE, failed, "A5", True) == full


def test_a_score_of_other_rules_is_refused() -> None:
    other = score_inspection(REFERENCE, {})
    fewer = dataclasses.replace(REFERENCE, criteria=REFERENCE.criteria[1:])
    with pytest.raises(ValueError, match="not of these rules"):
        rescore_one(fewer, other, "A2", 4)

"""The answer contract (inspections/answers.py): the shared case table, which
static/js/answers.js must also pass (tests/js/answers.test.js), and the Python-only cases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from inspections.answers import (
    CODES,
    FIELD,
    InvalidAnswer,
    as_form_text,
    as_json,
    field_messages,
    form_text,
    message_for,
    parse_answer,
    posted,
    revised_field,
)
from inspections.scoring import NA, AnswerType, AnswerValue

D = Decimal
TABLE = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "answer_cases.json").read_text("utf-8")
)
CASES: list[dict[str, Any]] = TABLE["cases"]


@dataclass(frozen=True)
class Spec:
    answer_type: str
    na_allowed: bool = False


def as_table_value(value: AnswerValue) -> object:
    """A typed answer as the table writes it: percentages as exact text."""
    return str(value) if isinstance(value, Decimal) else value


def outcome(spec: Spec, raw: object) -> dict[str, object]:
    try:
        return {"value": as_table_value(parse_answer(spec, raw))}
    except InvalidAnswer as invalid:
        return {"error": invalid.code}


def case_id(case: dict[str, Any]) -> str:
    na = "+na" if case["na_allowed"] else ""
    return f"{case['type']}{na}:{json.dumps(case['raw'], ensure_ascii=False)}"


def test_the_shared_table_is_big_enough_and_uses_only_known_codes() -> None:
    assert len(CASES) >= 40
    assert {c["type"] for c in CASES} == {t.value for t in AnswerType}
    assert {c["expect"]["error"] for c in CASES if "error" in c["expect"]} == set(CODES)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_each_case_of_the_shared_table(case: dict[str, Any]) -> None:
    spec = Spec(case["type"], case["na_allowed"])
    assert outcome(spec, case["raw"]) == case["expect"]
    if "value" in case["expect"]:
        typed = parse_answer(spec, case["raw"])
        assert type(as_table_value(typed)) is type(case["expect"]["value"])  # True is not 1
        assert parse_answer(spec, typed) == typed  # every layer may parse again
        assert parse_answer(spec, as_form_text(typed)) == typed  # the form shows it back


@pytest.mark.parametrize("case", TABLE["form_text"], ids=lambda c: f"{c['value']}{c['mark']}")
def test_a_stored_percentage_shows_back_with_the_readers_decimal_mark(case: dict[str, Any]) -> None:
    value = D(case["value"])
    assert as_form_text(value, mark=case["mark"]) == case["text"]
    assert parse_answer(Spec(AnswerType.PERCENT), case["text"]) == value  # 97,5 and 97.5 alike


@pytest.mark.parametrize(
    ("kind", "raw", "code"),
    [
        (AnswerType.LEVEL, 3.0, "wrong_type"),  # JSON 3.0 is no level (JavaScript sees 3)
        (AnswerType.LEVEL, D("3"), "wrong_type"),
        (AnswerType.PERCENT, float("nan"), "wrong_type"),
        (AnswerType.PERCENT, float("inf"), "wrong_type"),
        (AnswerType.PERCENT, D("NaN"), "wrong_type"),
        (AnswerType.PERCENT, D("0.01"), "too_many_decimals"),
        (AnswerType.PERCENT, b"98", "wrong_type"),
        (AnswerType.LEVEL, "9" * 5000, "out_of_range"),  # int() would refuse it with a crash
    ],
)
def test_python_only_values_are_refused_with_their_code(
    kind: AnswerType, raw: object, code: str
) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_answer(Spec(kind), raw)
    assert caught.value.code == code


def test_decimals_and_negative_zero_come_back_in_one_stored_form() -> None:
    value = parse_answer(Spec(AnswerType.PERCENT), D("-0.00"))
    assert value == D("0.0") and str(value) == "0.0"
    assert str(parse_answer(Spec(AnswerType.PERCENT), D("98.00"))) == "98.0"


def test_a_catalogue_criterion_fits_the_contract_as_a_scoring_rule_does() -> None:
    from inspections.models import Criterion

    criterion = Criterion(answer_type="level", na_allowed=True)
    assert parse_answer(criterion, "na") == NA
    assert parse_answer(criterion, "2") == 2


def test_every_error_has_a_vietnamese_message_and_an_english_one() -> None:
    for code in CODES:
        for kind in AnswerType:
            with translation.override("vi"):
                vietnamese = message_for(code, kind)
            with translation.override("en"):
                english = message_for(code, kind)
            assert vietnamese and english and vietnamese != english
    with translation.override("vi"):
        assert message_for("too_many_decimals", "percent") == (
            "Tỷ lệ chỉ được có tối đa một chữ số thập phân."
        )
        assert field_messages()["out_of_range:level"] == "Mức phải là số nguyên từ 0 đến 4."
        assert len(field_messages()) == len(CODES) * len(AnswerType)


def test_an_invalid_answer_is_keyed_to_the_field_value() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_answer(Spec(AnswerType.PERCENT), "92,55")
    with translation.override("vi"):
        assert caught.value.fields() == {FIELD: ["Tỷ lệ chỉ được có tối đa một chữ số thập phân."]}
        assert list(caught.value.fields(revised_field("D1"))) == ["answers.D1.value"]


def test_a_form_gives_its_value_unless_its_n_a_box_is_ticked() -> None:
    assert posted({"value": " 92,5 "}) == " 92,5 "
    assert posted({"value": "92,5", "na": "1"}) == NA
    assert posted({}) == ""
    assert posted({"v-A1": "3", "na-A1": ""}, value_key="v-A1", na_key="na-A1") == "3"


def test_form_text_is_none_for_a_value_that_does_not_fit() -> None:
    assert form_text(Spec(AnswerType.PERCENT), "92,50") == "92.5"
    assert form_text(Spec(AnswerType.PERCENT), "²") is None
    assert form_text(Spec(AnswerType.YES_NO), "no") == "no"


def test_the_api_shows_percentages_as_exact_text() -> None:
    assert as_json(D("92.5")) == "92.5"
    assert as_json(True) is True
    assert as_json(3) == 3
    assert as_json(None) is None


def typed_answers(kind: AnswerType, na_allowed: bool) -> st.SearchStrategy[AnswerValue]:
    base: st.SearchStrategy[AnswerValue]
    if kind == AnswerType.YES_NO:
        base = st.booleans()
    elif kind == AnswerType.LEVEL:
        base = st.integers(0, 4)
    else:
        base = st.decimals(min_value=0, max_value=100, places=1)
    extra: list[st.SearchStrategy[AnswerValue]] = [st.none()]
    if na_allowed:
        extra.append(st.just(NA))
    return st.one_of(base, *extra)


@given(st.data())
def test_a_typed_answer_survives_parsing_its_json_and_its_form_text(data: st.DataObject) -> None:
    spec = Spec(data.draw(st.sampled_from(list(AnswerType))), data.draw(st.booleans()))
    value = data.draw(typed_answers(AnswerType(spec.answer_type), spec.na_allowed))
    parsed = parse_answer(spec, value)
    assert parse_answer(spec, parsed) == parsed
    assert parse_answer(spec, as_json(parsed)) == parsed
    assert parse_answer(spec, as_form_text(parsed)) == parsed
    if isinstance(parsed, Decimal):
        assert parse_answer(spec, as_form_text(parsed).replace(".", ",")) == parsed


@given(st.text(max_size=12))
def test_no_text_ever_escapes_the_contract(raw: str) -> None:
    for kind in AnswerType:
        assert outcome(Spec(kind, na_allowed=True), raw).get("error", CODES[0]) in CODES

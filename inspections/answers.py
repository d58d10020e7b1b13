"""The answer contract: any posted form value or JSON value becomes a typed answer, or a
field error with a stable code and one message, whatever the door (API, checklist form with
or without JavaScript, revise form).

One grammar for text and JSON alike: `true`/`false` or "yes"/"no"; a level 0-4 as a number
or ASCII digits; a percentage 0-100 with at most one decimal after a point or a comma, as a
number or text; "na" where the criterion allows it; null or blank text for no answer.
`static/js/answers.js` mirrors this module; `tests/data/answer_cases.json` pins both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Final, Protocol

from django.utils.translation import gettext as _

from inspections.scoring import LEVELS, NA, AnswerType, AnswerValue

FIELD: Final = "value"  # the field every answer error is keyed to

WRONG_TYPE: Final = "wrong_type"
OUT_OF_RANGE: Final = "out_of_range"
TOO_MANY_DECIMALS: Final = "too_many_decimals"
NA_NOT_ALLOWED: Final = "na_not_allowed"
CODES: Final = (WRONG_TYPE, OUT_OF_RANGE, TOO_MANY_DECIMALS, NA_NOT_ALLOWED)

# Trimmed from text: ASCII white space and the no-break space a copied number may carry.
_SPACE: Final = " \t\n\r\f\v\u00a0"
# ASCII digits only ([0-9], never \d): "²", "①", "٩٨" or "９８" are no digits here.
_LEVEL_TEXT: Final = re.compile(r"-?[0-9]+")
_NUMBER_TEXT: Final = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_YES_NO_TEXT: Final = {"yes": True, "no": False}
_ONE_DECIMAL: Final = Decimal("0.1")
_PERCENT_MAX: Final = Decimal(100)


class AnswerSpec(Protocol):
    """What the contract needs of a criterion: a scoring rule and a catalogue row both fit."""

    @property
    def answer_type(self) -> str: ...

    @property
    def na_allowed(self) -> bool: ...


class InvalidAnswer(ValueError):
    """A value that does not fit its criterion: a stable `code`, a message for people."""

    def __init__(self, code: str, answer_type: str) -> None:
        super().__init__(code)
        self.code = code
        self.answer_type = AnswerType(answer_type)

    @property
    def message(self) -> str:
        return message_for(self.code, self.answer_type)

    def fields(self, key: str = FIELD) -> dict[str, list[str]]:
        return {key: [self.message]}


def parse_answer(spec: AnswerSpec, raw: object) -> AnswerValue:
    """The typed answer (bool, int level, `Decimal` percentage, "na" or None) or InvalidAnswer.

    Parsing a typed answer gives it back, so every layer may call this safely."""
    kind = AnswerType(spec.answer_type)
    if isinstance(raw, str):
        raw = raw.strip(_SPACE)
        if raw == "":
            return None
        if raw == NA:
            if not spec.na_allowed:
                raise InvalidAnswer(NA_NOT_ALLOWED, kind)
            return NA
    elif raw is None:
        return None
    if kind == AnswerType.YES_NO:
        return _yes_no(raw)
    if kind == AnswerType.LEVEL:
        return _level(raw)
    return _percent(raw)


def _yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw in _YES_NO_TEXT:
        return _YES_NO_TEXT[raw]
    raise InvalidAnswer(WRONG_TYPE, AnswerType.YES_NO)


def _level(raw: object) -> int:
    # bool is an int subclass: True must not pass for level 1; 3.0 is no level either.
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    elif isinstance(raw, str) and _LEVEL_TEXT.fullmatch(raw):
        value = Decimal(raw)  # never int(): it refuses very long digit strings with a crash
    else:
        raise InvalidAnswer(WRONG_TYPE, AnswerType.LEVEL)
    if not LEVELS[0] <= value <= LEVELS[-1]:
        raise InvalidAnswer(OUT_OF_RANGE, AnswerType.LEVEL)
    return int(value)


def _percent(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise InvalidAnswer(WRONG_TYPE, AnswerType.PERCENT)
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float) and math.isfinite(raw):
        # repr() is the shortest text that round-trips: what the JSON said, never binary noise.
        value = Decimal(repr(raw))
    elif isinstance(raw, Decimal) and raw.is_finite():
        value = raw
    elif isinstance(raw, str) and _NUMBER_TEXT.fullmatch(raw):
        value = Decimal(raw.replace(",", "."))  # Vietnamese phones type a decimal comma
    else:
        raise InvalidAnswer(WRONG_TYPE, AnswerType.PERCENT)
    if not 0 <= value <= _PERCENT_MAX:
        raise InvalidAnswer(OUT_OF_RANGE, AnswerType.PERCENT)
    rounded = value.quantize(_ONE_DECIMAL)
    if rounded != value:
        raise InvalidAnswer(TOO_MANY_DECIMALS, AnswerType.PERCENT)
    return rounded.copy_abs()  # one stored form: "98", "98,00" and 98 become 98.0, never -0.0


def message_for(code: str, answer_type: str) -> str:
    """The field message of an error code for a type of criterion, in the active language."""
    kind = AnswerType(answer_type)
    if code == NA_NOT_ALLOWED:
        return _("Tiêu chí này không được chọn “không áp dụng”.")
    if kind == AnswerType.YES_NO:
        return _("Kết quả phải là Đạt hoặc Không đạt.")
    if kind == AnswerType.LEVEL:
        return _("Mức phải là số nguyên từ 0 đến 4.")
    if code == TOO_MANY_DECIMALS:
        return _("Tỷ lệ chỉ được có tối đa một chữ số thập phân.")
    if code == OUT_OF_RANGE:
        return _("Tỷ lệ phải nằm trong khoảng 0–100.")
    return _("Tỷ lệ phải là một số từ 0 đến 100, viết bằng chữ số 0–9.")


def field_messages() -> dict[str, str]:
    """Every message as "code:type" -> text, for the checklist's JavaScript to show."""
    return {
        f"{code}:{kind.value}": message_for(code, kind) for code in CODES for kind in AnswerType
    }


def posted(data: Mapping[str, str], *, value_key: str = FIELD, na_key: str = "na") -> str:
    """The raw answer of a form: the N/A box wins over whatever the value field holds."""
    if data.get(na_key):
        return NA
    return data.get(value_key, "")


def as_form_text(value: object, *, mark: str = ".") -> str:
    """A typed answer as the form's controls hold it; parse_answer() reads it back unchanged.

    `mark` is the decimal mark the reader types: "," shows a Vietnamese page "97,5"."""
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", mark)
    return str(value)


def form_text(spec: AnswerSpec, raw: object) -> str | None:
    """What `raw` would be stored as, in form text; None when it does not fit (no exception)."""
    try:
        return as_form_text(parse_answer(spec, raw))
    except InvalidAnswer:
        return None


def as_json(value: object) -> object:
    """A stored answer for the API: percentages as text, so their digits stay exact."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def revised_field(code: str) -> str:
    """The error key of one criterion's value in a revision, as DRF names nested fields."""
    return f"answers.{code}.{FIELD}"

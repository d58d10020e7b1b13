"""The API's parsers: DRF's, with config/inputs.py's rule on every key and text of a body.

A JSON key (a criterion code in `answers`, say) or text with a NUL, another control
character or a lone surrogate would reach the database, where PostgreSQL raises on NUL and
no backend stores a surrogate: a 400 naming the field instead. Texts keep tabs and line
breaks; keys do not. JSON nested past MAX_DEPTH is a 400 too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from config.inputs import control_message, has_control_characters, printable

# Our bodies nest three levels at most (revise: answers → code → value); a deeper one is refused
# before the walk below or Python's JSON decoder runs out of stack (a RecursionError, a 500).
MAX_DEPTH = 20


def too_deep() -> ParseError:
    return ParseError(
        _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(depth)s tầng).") % {"depth": MAX_DEPTH}
    )


def control_problems(data: Any, path: str = "", depth: int = 0) -> dict[str, list[str]]:
    """{"field.sub.0": [message]} for every key or text in parsed data that is refused."""
    if depth > MAX_DEPTH:
        raise too_deep()
    problems: dict[str, list[str]] = {}
    if isinstance(data, Mapping):
        for key, value in data.items():
            name = f"{path}.{printable(str(key))}" if path else printable(str(key))
            if has_control_characters(str(key)):
                problems[name] = [control_message()]
            else:
                problems.update(control_problems(value, name, depth + 1))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            name = f"{path}.{index}" if path else str(index)
            problems.update(control_problems(value, name, depth + 1))
    elif isinstance(data, str) and has_control_characters(data, multiline=True):
        problems[path or "non_field_errors"] = [control_message()]
    return problems


def _checked(data: Any) -> Any:
    # A QueryDict holds lists: check every value, not only the last of each key.
    found = control_problems(dict(data.lists()) if hasattr(data, "lists") else data)
    if found:
        raise ValidationError(found)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # "[[[[…": Python's decoder gives up past its stack
            raise too_deep() from None
        return _checked(data)


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return _checked(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        _checked(parsed.data)
        _checked(dict.fromkeys(parsed.files, ""))
        return parsed

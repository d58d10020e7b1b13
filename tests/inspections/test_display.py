"""Numbers as people read them: a decimal comma in Vietnamese, a point in English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from inspections import display
from inspections.documents.formatting import vn_number, vn_points

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "value", "number", "points", "percent"),
    [
        ("vi", Decimal("92.5"), "92,50", "92,5", f"92,5{NBSP}%"),
        ("en", Decimal("92.5"), "92.50", "92.5", "92.5%"),
        ("vi", Decimal("4.00"), "4,00", "4", f"4{NBSP}%"),
        ("vi", "1234.5", "1.234,50", "1.234,5", f"1.234,5{NBSP}%"),
        ("en", "1234.5", "1,234.50", "1,234.5", "1,234.5%"),
        ("vi", 1.25, "1,25", "1,25", f"1,25{NBSP}%"),
        ("vi", "97,5", "97,50", "97,5", f"97,5{NBSP}%"),  # a stored text with a comma reads too
        ("vi", Decimal("0.005"), "0,01", "0,01", f"0,01{NBSP}%"),  # half-up, once
    ],
)
def test_numbers_points_and_percentages_in_each_language(
    language: str, value: object, number: str, points: str, percent: str
) -> None:
    with translation.override(language):
        assert display.number(value) == number
        assert display.points(value) == points
        assert display.percent(value) == percent


def test_nothing_is_a_dash_and_a_text_that_is_no_number_stays_as_it_is() -> None:
    assert display.number(None) == display.points("") == display.percent(None) == "—"
    assert display.number("—") == "—" and display.number(True) == "True"


def test_the_template_filters_follow_the_active_language() -> None:
    template = Template("{% load display %}{{ s|number }} {{ s|percent:1 }} {{ p|points }}")
    context = Context({"s": Decimal("95.25"), "p": Decimal("4.50")})
    with translation.override("vi"):
        assert template.render(context) == f"95,25 95,3{NBSP}% 4,5"
    with translation.override("en"):
        assert template.render(context) == "95.25 95.3% 4.5"


def test_an_official_document_writes_vietnamese_numbers_whoever_reads_it() -> None:
    with translation.override("en"):
        assert vn_number(Decimal("92.5")) == "92,50" and vn_points(Decimal("2.5")) == "2,5"

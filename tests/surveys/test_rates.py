"""The service indicators' rates: Decimal, half-up to one decimal, none under the minimum."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspections.rates import rate


def test_it_gives_no_rate_without_answers() -> None:
    found = rate(0, 0, minimum=1)
    assert found.value is None and not found.enough


def test_it_gives_no_rate_under_the_minimum() -> None:
    assert rate(29, 29, minimum=30).value is None
    assert rate(30, 30, minimum=30).value == Decimal("100.0")


def test_all_satisfied_is_one_hundred() -> None:
    assert rate(57, 57).value == Decimal("100.0")


def test_it_rounds_half_up_on_the_bands_edge() -> None:
    # 1 799 of 2 000 is 89,95 %: the band of 90 % and above, never 89,9.
    assert rate(1799, 2000).value == Decimal("90.0")
    assert rate(17989, 20000).value == Decimal("89.9")  # 89,945 rounds down
    assert rate(1, 8).value == Decimal("12.5")
    assert rate(2, 3).value == Decimal("66.7")
    assert rate(0, 5).value == Decimal("0.0")


def test_it_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="impossible counts"):
        rate(3, 2)
    with pytest.raises(ValueError, match="impossible counts"):
        rate(-1, 2)


@given(st.integers(min_value=1, max_value=10**7), st.data())
def test_it_matches_decimal_half_up_rounding(whole: int, data: st.DataObject) -> None:
    part = data.draw(st.integers(min_value=0, max_value=whole))
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(part) * 100 / Decimal(whole)
        expected = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert rate(part, whole).value == expected

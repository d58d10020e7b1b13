"""The service indicators' rates (D1, D2, D3) from counts: pure, Decimal, rounded once.

A rate is `part / whole × 100`, rounded half-up to one decimal (the criteria's bands sit on
round numbers, so 89,95 must be 90,0 and never 89,9). Too few cases give no rate at all:
a proposal from five answers would say more than it knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Rate:
    part: int
    whole: int
    minimum: int
    value: Decimal | None  # None: no cases, or fewer than the minimum

    @property
    def enough(self) -> bool:
        return self.value is not None


def rate(part: int, whole: int, *, minimum: int = 1) -> Rate:
    """The share of `part` in `whole` as a percentage, or no value under `minimum` cases."""
    if part < 0 or whole < 0 or part > whole:
        raise ValueError(f"impossible counts: {part} of {whole}")
    if whole == 0 or whole < minimum:
        return Rate(part, whole, minimum, None)
    # Tenths of a percent, rounded half-up in whole numbers: exact for any count.
    tenths = (part * 1000 * 2 + whole) // (2 * whole)
    return Rate(part, whole, minimum, (Decimal(tenths) / 10).quantize(ONE_DECIMAL))

"""Whole numbers typed by people: ASCII digits only, within a database id's range.

`str.isdigit` says yes to "²" and "①", which `int` refuses; `int` takes "١٢" and "1_0". Every
door reads ids, years and page numbers through `ascii_int`.
"""

from __future__ import annotations

# The largest id a bigint column holds; a larger one is refused before it reaches the database.
MAX_ID = 2**63 - 1


def ascii_int(raw: object, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """An integer written in ASCII digits within [minimum, maximum], or None."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None

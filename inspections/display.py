"""Numbers as a person reads them, in the active language: one helper for pages, documents
and spreadsheets.

Vietnamese writes a decimal comma and groups thousands with a dot (92,50; 4,5 điểm; 95,3 %);
English writes 92.50, 4.5 points and 95.3%. Machine-readable files (the CSV, the API) never
come here: they keep the decimal point.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language

NONE: str = "—"


def vietnamese() -> bool:
    return (get_language() or "vi").startswith("vi")


def decimal_mark() -> str:
    return "," if vietnamese() else "."


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _localise(text: str) -> str:
    """ "1,234.50" (Python's form) in the active language's marks."""
    if not vietnamese():
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def number(value: object, places: int = 2) -> str:
    """A fixed number of decimals, half-up: 92.5 → "92,50" in Vietnamese, "92.50" in English."""
    figure = _decimal(value)
    if figure is None:
        return NONE if value is None or value == "" else str(value)
    rounded = figure.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _localise(f"{rounded:,.{places}f}")


def points(value: object) -> str:
    """Up to two decimals without useless zeros: 4 → "4", 2.5 → "2,5", 1.25 → "1,25"."""
    figure = _decimal(value)
    if figure is None:
        return NONE if value is None or value == "" else str(value)
    rounded = figure.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _localise(text)


def percent(value: object, places: int | None = None) -> str:
    """ "95,3 %" in Vietnamese (a space before the sign, as Vietnamese typesets it), "95.3%"
    in English; `places` fixes the decimals, else they are trimmed like points."""
    figure = _decimal(value)
    if figure is None:
        return NONE if value is None or value == "" else str(value)
    text = points(figure) if places is None else number(figure, places)
    return f"{text}\u00a0%" if vietnamese() else f"{text}%"

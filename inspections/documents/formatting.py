"""Numbers, dates and places as Vietnamese administrative documents write them."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from inspections import display


def vn_number(value: object, places: int = 2) -> str:
    """92.5 → "92,50"; thousands (never reached by scores) with a dot: 1.234,50."""
    with translation.override("vi"):
        return display.number(value, places)


def vn_points(value: object) -> str:
    """Points without useless zeros: 4 → "4", 2.5 → "2,5", 1.25 → "1,25"."""
    with translation.override("vi"):
        return display.points(value)


def as_local(value: datetime.datetime | str | None) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return timezone.localtime(value) if timezone.is_aware(value) else value


def vn_date(value: datetime.date | datetime.datetime | str | None) -> str:
    """dd/mm/yyyy in the local time zone."""
    if isinstance(value, str) and len(value) == 10:
        value = datetime.date.fromisoformat(value)
    if isinstance(value, (datetime.datetime, str)):
        value = as_local(value)
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def vn_time(value: datetime.datetime | str | None) -> str:
    """ "14 giờ 05, ngày 06/12/2026"."""
    local = as_local(value)
    if local is None:
        return ""
    return f"{local.hour:02d} giờ {local.minute:02d}, ngày {vn_date(local)}"


def date_in_words(place: str, value: datetime.date | datetime.datetime | str | None) -> str:
    """ "Hà Nội, ngày 06 tháng 12 năm 2026": days under 10 and months 1 and 2 take a 0
    (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    if isinstance(value, (str, datetime.datetime)):
        value = as_local(value)
    if value is None:
        return f"{place}, ngày     tháng     năm     "
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"

"""Numbers in the reader's language: `{{ score|number }}` → "92,50" in Vietnamese, "92.50" in
English; `{{ x|points }}` → "4,5"; `{{ share|percent }}` → "95,3 %". See inspections/display.py."""

from __future__ import annotations

from django import template

from inspections import display

register = template.Library()


@register.filter
def number(value: object, places: int = 2) -> str:
    return display.number(value, int(places))


@register.filter
def points(value: object) -> str:
    return display.points(value)


@register.filter
def percent(value: object, places: int | None = None) -> str:
    return display.percent(value, None if places is None else int(places))

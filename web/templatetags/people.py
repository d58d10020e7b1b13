"""A person as Vietnamese write them: `{{ user|person }}` → "Nguyễn Thị Thu Hà"."""

from __future__ import annotations

from typing import Any

from django import template

from inspections.models import display_name

register = template.Library()


@register.filter
def person(user: Any) -> str:
    return display_name(user)

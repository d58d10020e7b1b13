"""Small template helpers of the history pages and of the links to approved inspections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """mapping[key], or an empty list: `approved|lookup:row.unit_id`."""
    return (mapping or {}).get(key, [])

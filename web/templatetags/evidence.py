"""A photo's stored check findings as the reviewer reads them: `{{ photo|check_texts }}`."""

from __future__ import annotations

from typing import Any

from django import template

from inspections.evidence_checks import flag_text

register = template.Library()


@register.filter
def check_texts(photo: Any) -> list[str]:
    return [flag_text(flag) for flag in getattr(photo, "checks", None) or []]

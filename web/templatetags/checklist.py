"""The checklist's cached parts in its template: `{{ parts|controls:row.value }}` is the
criterion's answer controls with the row's value checked; `{{ urls.display|fill:photo.pk }}`
a URL reversed once per page with this photo's id (web/fragments.py); `{% percent_controls %}`
a percentage's answer field (web/answer_controls.py)."""

from __future__ import annotations

import json

from django import template
from django.utils.safestring import SafeString

from web import fragments
from web.answer_controls import percent_controls as write_percent_controls
from web.fragments import CriterionParts

register = template.Library()


@register.filter
def controls(parts: CriterionParts, value: str) -> SafeString | None:
    return parts.controls(value)


@register.filter
def fill(pattern: str, value: object) -> str:
    return fragments.fill(pattern, value)


@register.simple_tag
def percent_controls(
    row: object, code: str, value_name: str, na_name: str, form_id: str = ""
) -> SafeString:
    """web/_answer_controls.html's percentage: the markup web/answer_controls.py writes."""
    return write_percent_controls(
        row, code, value_name=value_name, na_name=na_name, form_id=form_id
    )


@register.filter
def as_json(value: object) -> str:
    """Data for a script in an attribute (escaped by the template like any text)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

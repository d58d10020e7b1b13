"""Sortable column headers that keep the list's other filters: `{% sort_th "unit" label %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context: dict[str, Any], key: str, label: str, default: str = "") -> SafeString:
    """A column header whose link sorts by `key`, the other way when it already does.

    `default` is the list's order when the URL names none ("unit" or "-unit")."""
    query = context["request"].GET.copy()
    current = query.get("sort") or default
    if current == key:
        state, arrow, then = "ascending", "▲", f"-{key}"
    elif current == f"-{key}":
        state, arrow, then = "descending", "▼", key
    else:
        state, arrow, then = "", "", key
    query["sort"] = then
    hint = _("sắp xếp giảm dần") if then.startswith("-") else _("sắp xếp tăng dần")
    if state:
        return format_html(
            '<th scope="col" aria-sort="{}"><a class="sort" href="?{}">{}'
            '<span aria-hidden="true"> {}</span><span class="sr"> ({})</span></a></th>',
            state,
            query.urlencode(),
            label,
            arrow,
            hint,
        )
    return format_html(
        '<th scope="col"><a class="sort" href="?{}">{}<span class="sr"> ({})</span></a></th>',
        query.urlencode(),
        label,
        hint,
    )

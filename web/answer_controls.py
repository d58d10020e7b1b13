"""A percentage's answer field, written once in Python: the checklist's criteria
(web/criterion_html.py) join it into their HTML, and web/_answer_controls.html gives it to
the pages that include the template (the edition's preview, the revise form of a round's
inspection) through `{% percent_controls %}`. Its field holds whatever was typed, so unlike
the choices of the other kinds it is written on every request, not cached (web/fragments.py).
"""

from __future__ import annotations

from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

_e = conditional_escape


def percent_controls(
    row: Any, code: str, *, value_name: str = "value", na_name: str = "na", form_id: str = ""
) -> SafeString:
    """The guidance, the typed value with its bands, and "not applicable" where allowed.

    `row` is a CriterionRow (or what a page gives in its place); `value_name` and `na_name` name
    the fields, `form_id` ties them to a form elsewhere on the page. As the template wrote it,
    without its last line break.
    """
    criterion = row.criterion
    guidance = criterion.display_guidance
    code = str(_e(code))
    form = f' form="{_e(form_id)}"' if form_id else ""
    out = ["\n"]
    if guidance:
        out += ['<p class="guide" id="g-', code, '">', str(_e(guidance)), "</p>"]
    value = str(_e(row.field_value)) if row.value != "na" else ""
    described = f"b-{code} e-{code}" if row.error else f"b-{code}"
    rate = _("Tỷ lệ (%%)").replace("%%", "%")  # as {% translate %} doubles and undoes a %
    out += ['\n\n  <label for="v-', code, '">', str(_e(rate)), "</label>\n"]
    out += ['  <input id="v-', code, '" name="', str(_e(value_name)), '"', form]
    out += [' type="text" inputmode="decimal" autocomplete="off" value="', value]
    out += ['" aria-describedby="', described, '"']
    out += [' aria-invalid="true">' if row.error else ">", "\n"]
    out += ['  <p class="hint" id="b-', code, '">', str(_e(_("Khung điểm"))), ": "]
    out += [str(_e(row.band_hint)), "</p>\n  "]
    if criterion.na_allowed:
        out += ['<p class="check"><input type="checkbox" id="na-', code, '" name="']
        out += [str(_e(na_name)), '" value="1"', form, " checked" if row.value == "na" else ""]
        out += ['><label for="na-', code, '">', str(_e(_("Không áp dụng"))), "</label></p>"]
    out.append("\n\n")
    if criterion.na_allowed:
        hint = _("Chọn “không áp dụng” cần ghi chú lý do.")
        out += ['<p class="hint na-hint">', str(_e(hint)), "</p>"]
    return SafeString("".join(out))

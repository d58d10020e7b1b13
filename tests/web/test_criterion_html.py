"""Each criterion's own part of the checklist, written in Python (web/criterion_html.py): what
a person typed is escaped as the template escaped it, and the page reads as before."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import dateformat
from django.utils.timezone import localtime

from inspections.services import answer_set, photo_attach
from tests.factories import jpeg_bytes
from web.answer_controls import percent_controls


def test_what_was_typed_is_escaped_and_each_photo_has_its_links(
    inspection: Any, cast: Any, inspector_client: Client
) -> None:
    note = '<b>"Tốt" & ổn</b>'
    answer_set(
        by=cast.inspector,
        inspection=inspection,
        criterion_code="A1",
        value=3,
        note=note,
        flagged=True,
    )
    photo, _created = photo_attach(
        by=cast.inspector,
        inspection=inspection,
        data=jpeg_bytes(),
        criterion_code="A1",
        caption="Bàn <làm việc>",
    )
    html = inspector_client.get(reverse("checklist", args=[inspection.pk])).content.decode()
    assert note not in html
    assert 'name="note" rows="2">&lt;b&gt;&quot;Tốt&quot; &amp; ổn&lt;/b&gt;</textarea>' in html
    assert 'id="f-A1" name="flagged" value="1" checked>' in html
    assert 'data-caption="Bàn &lt;làm việc&gt;"' in html
    assert f'<img src="/api/v1/photos/{photo.pk}/thumbnail/" alt="Ảnh minh chứng A1 (1)"' in html
    assert f'<form id="rm-{photo.pk}" method="get"' in html
    assert f'data-remove="{photo.pk}" data-file-kind="photo"' in html
    assert '<p class="status" data-status data-state="saved" role="status">' in html
    # The time as the template's |date:'d/m/Y H:i' wrote it, in the reader's time zone.
    moment = photo.captured_at or photo.uploaded_at
    said = "Chụp lúc" if photo.captured_at else "Gửi lúc"
    assert f'data-time="{said} {dateformat.format(localtime(moment), "d/m/Y H:i")}"' in html


def test_a_refused_answer_shows_its_error_beside_what_was_typed(
    inspection: Any, inspector_client: Client
) -> None:
    url = reverse("answer", args=[inspection.pk, "A1"])
    response = inspector_client.post(url, {"value": "9", "note": "<script>"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<article class="crit crit--error" id="c-A1"' in html
    assert '<p class="msg msg--error" role="alert" id="e-A1">' in html
    assert 'data-state="failed"' in html
    assert "&lt;script&gt;</textarea>" in html and "<script>" not in html.split("</main>")[0]


def _percent_row(value: str, error: str = "") -> SimpleNamespace:
    criterion = SimpleNamespace(display_guidance="Đo <tại chỗ>", na_allowed=True)
    return SimpleNamespace(
        kind="percent",
        value=value,
        field_value=value,
        error=error,
        band_hint="≥ 90: 4 điểm",
        criterion=criterion,
    )


@pytest.mark.parametrize(
    ("names", "form"), [(("value", "na"), ""), (("v-D1", "na-D1"), "revise-form")]
)
def test_the_answer_template_gives_a_percentage_the_one_writer_s_field(
    names: tuple[str, str], form: str
) -> None:
    """The edition's preview and the revise form include the template; its percentage is
    web/answer_controls.py's markup, as the checklist's is: written in one place."""
    value_name, na_name = names
    for row in (_percent_row("97,5", error="Sai <b>"), _percent_row("na")):
        context = {"c": row.criterion, "row": row, "code": "D1", "form_id": form}
        rendered = render_to_string(
            "web/_answer_controls.html", {**context, "value_name": value_name, "na_name": na_name}
        )
        written = percent_controls(row, "D1", value_name=value_name, na_name=na_name, form_id=form)
        assert rendered == written + "\n"
    tied = f' form="{form}"' if form else ""
    assert (
        f'<input id="v-D1" name="{value_name}"{tied} type="text" inputmode="decimal"'
        ' autocomplete="off" value="" aria-describedby="b-D1">'
    ) in written
    assert f'name="{na_name}" value="1"{tied} checked><label for="na-D1">' in written
    assert '<p class="guide" id="g-D1">Đo &lt;tại chỗ&gt;</p>' in written


def test_the_checklist_writes_a_typed_percentage_with_its_error(
    inspection: Any, inspector_client: Client
) -> None:
    url = reverse("answer", args=[inspection.pk, "D1"])
    html = inspector_client.post(url, {"value": "1<01", "note": ""}).content.decode()
    assert (
        '<input id="v-D1" name="value" type="text" inputmode="decimal" autocomplete="off"'
        ' value="1&lt;01" aria-describedby="b-D1 e-D1" aria-invalid="true">'
    ) in html
    assert '<label for="v-D1">Tỷ lệ (%)</label>' in html

"""Each criterion's own part of the checklist, written in Python (web/criterion_html.py): what
a person typed is escaped as the template escaped it, and the page reads as before."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import dateformat
from django.utils.timezone import localtime

from inspections.services import answer_set, photo_attach
from tests.factories import jpeg_bytes


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

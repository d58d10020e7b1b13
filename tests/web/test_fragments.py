"""The checklist's parts kept per published version and language (web/fragments.py): never a
form, a token or anything of one inspection; the page they make shows each row's own values."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

from inspections.models import Criterion
from inspections.services import answer_set
from web.fragments import criterion_parts


def test_the_parts_are_kept_per_version_and_language_and_hold_nothing_of_a_person(
    version: Any,
) -> None:
    criteria = list(Criterion.objects.filter(version=version))
    with translation.override("vi"):
        vietnamese = criterion_parts(version, criteria)
        assert criterion_parts(version, criteria) is vietnamese  # rendered once, then kept
    with translation.override("en"):
        english = criterion_parts(version, criteria)
    assert english is not vietnamese
    assert "Cần ảnh" in vietnamese["A1"].head and "Photo required" in english["A1"].head
    for parts in vietnamese.values():
        html = parts.attrs + parts.head + parts.files + "".join(parts.choices.values())
        assert "<form" not in html and "csrfmiddlewaretoken" not in html
        assert " checked" not in parts.choices.get("", "")


def test_each_row_shows_its_own_value_from_the_kept_controls(
    inspection: Any, cast: Any, inspector_client: Client
) -> None:
    yes_no = Criterion.objects.filter(
        version_id=inspection.round.version_id, answer_type="yes_no"
    ).first()
    answer_set(by=cast.inspector, inspection=inspection, criterion_code="A2", value=3)
    answer_set(by=cast.inspector, inspection=inspection, criterion_code=yes_no.code, value=True)
    html = inspector_client.get(reverse("checklist", args=[inspection.pk])).content.decode()
    assert '<input type="radio" id="v-A2-3" name="value" value="3" checked>' in html
    assert 'id="v-A2-4" name="value" value="4">' in html
    assert f'id="v-{yes_no.code}-yes" name="value" value="yes" checked>' in html
    assert html.count(" checked>") == 2
    assert f'action="/phieu/{inspection.pk}/tra-loi/A2/"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 32

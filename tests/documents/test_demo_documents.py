"""The record of a demo inspection and the report of the demo's published round, rendered once
for the module from `load_demo_data` (the product a newcomer sees)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from inspections.documents.report import round_report_pdf
from inspections.models import Criterion, Inspection, Round
from inspections.services.records import record_file
from tests.documents.poppler import read_pdf

pytestmark = [pytest.mark.pdf, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, DEBUG=True),
        transaction.atomic(),
    ):
        call_command("load_demo_data", stdout=io.StringIO())
        q3 = Round.objects.get(name="Quý III/2026")
        inspection = (
            Inspection.objects.filter(round=q3, state=Inspection.State.APPROVED)
            .order_by("record_number")
            .first()
        )
        record = record_file(by=inspection.approved_by, inspection=inspection)
        with record.file.open("rb") as handle:
            pdf = handle.read()
        found = {
            "record": read_pdf(pdf),
            "report": read_pdf(round_report_pdf(q3)),
            "codes": list(
                Criterion.objects.filter(version_id=q3.version_id).values_list("code", flat=True)
            ),
            "unit": inspection.unit_name_snapshot,
            "groups": [g.name for g in {u.group for u in q3.results.select_related("group")}],
        }
        transaction.set_rollback(True)
    return found


def _one_embedded_family(read: Any) -> bool:
    names = {re.sub(r"^[A-Z]{6}\+", "", font["name"]) for font in read.fonts}
    return all(n.startswith("CSX-Serif") for n in names) and all(
        font["emb"] == "yes" for font in read.fonts
    )


def test_the_record_of_a_demo_inspection(demo):
    read = demo["record"]
    assert read.info["Page size"].endswith("(A4)")
    assert _one_embedded_family(read)
    text = read.text
    assert [code for code in demo["codes"] if not re.search(rf"\b{code}\b", text)] == []
    words = read.words
    assert demo["unit"] in words and "BIÊN BẢN KIỂM TRA" in words
    assert re.search(r"Tổng điểm: \d{1,3},\d\d/100", words)


def test_the_report_of_the_demo_round(demo):
    read = demo["report"]
    assert read.info["Page size"].endswith("(A4)")
    assert _one_embedded_family(read)
    words = read.words
    assert "THÔNG BÁO" in words and "Quý III/2026" in words
    for group in demo["groups"]:
        assert group in words
    assert re.search(r"\b\d{2}/\d{2}/2026 – \d{2}/\d{2}/2026\b", words)

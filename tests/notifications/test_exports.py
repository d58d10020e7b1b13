"""The year's results built in the background: a page with progress, the file, then gone."""

from __future__ import annotations

import datetime
import io
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from inspections import tasks
from inspections.models import ClassificationLevel, ExportJob, Notification
from tests.accounts import sign_in
from tests.inspections.builders import approved_inspection


def test_the_year_s_results_are_built_by_a_task_kept_a_while_then_deleted(
    addressed: Any, open_round: Any, org: Any, settings: Any, committed: Any
) -> None:
    settings.EXPORT_KEEP_HOURS = 24
    approved_inspection(
        open_round, org.ward, addressed.inspector, internal_affairs=addressed.internal_affairs
    )
    client = Client()
    client.force_login(addressed.leader)
    assert client.get(reverse("export-year")).status_code == 200
    started = committed(lambda: client.post(reverse("export-year"), {"year": "2026"}))
    job = ExportJob.objects.get()
    assert started["Location"] == reverse("export", args=[job.pk])
    page = client.get(started["Location"]).content.decode()
    assert "Tải tệp" in page and 'http-equiv="refresh"' not in page
    job.refresh_from_db()
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100)
    told = Notification.objects.get(recipient=addressed.leader, kind="export_ready")
    assert told.data["page"]["args"] == [str(job.pk)]
    download = client.get(reverse("export-file", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]
    ward = next(row for row in rows if row[0] == "PANLAC")
    assert ward[1:3] == ["Phường An Lạc", "Khối phường, xã"]
    assert ward[3] is not None and ward[5] == 1  # a score, rank 1
    assert len(rows) == 5  # every unit of the two groups, ranked or not
    other = sign_in(addressed.internal_affairs)
    assert other.get(reverse("export", args=[job.pk])).status_code == 404
    assert other.get(reverse("export-file", args=[job.pk])).status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25), tick=False):
        tasks.hourly()
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportJob.Status.EXPIRED, "")
    assert client.get(reverse("export-file", args=[job.pk])).status_code == 404
    assert "hết hạn" in client.get(reverse("export", args=[job.pk])).content.decode()


def test_a_queued_export_shows_its_progress_and_refreshes(addressed: Any, open_round: Any) -> None:
    job = ExportJob.objects.create(
        kind="year_results",
        params={"year": 2026},
        requested_by=addressed.leader,
        filename="ket-qua-nam-2026.xlsx",
        progress=40,
        status=ExportJob.Status.RUNNING,
    )
    client = Client()
    client.force_login(addressed.leader)
    page = client.get(reverse("export", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and 'value="40"' in page


def test_exports_are_for_those_who_read_the_rounds_and_years_that_have_one(
    addressed: Any, open_round: Any
) -> None:
    office = Client()
    office.force_login(addressed.ward_office)
    assert office.post(reverse("export-year"), {"year": "2026"}).status_code == 403
    leader = Client()
    leader.force_login(addressed.leader)
    for year in ("1999", "²⁰²⁶", "abc"):
        assert leader.post(reverse("export-year"), {"year": year}).status_code == 400
    assert not ExportJob.objects.exists()


def test_the_year_s_results_speak_the_language_they_were_asked_in(
    addressed: Any, open_round: Any, org: Any, committed: Any
) -> None:
    approved = approved_inspection(
        open_round, org.ward, addressed.inspector, internal_affairs=addressed.internal_affairs
    )
    client = Client()
    client.force_login(addressed.leader)
    client.cookies["django_language"] = "en"
    committed(lambda: client.post(reverse("export-year"), {"year": "2026"}))
    job = ExportJob.objects.get()
    assert job.params["language"] == "en"
    download = client.get(reverse("export-file", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    headers = [cell.value for cell in sheet[3]]
    assert headers[:2] == ["Unit code", "Unit"]
    ward = next(row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == "PANLAC")
    english = ClassificationLevel.objects.get(
        version=open_round.version, code=approved.classification
    ).name_en
    assert english and ward[4] == english

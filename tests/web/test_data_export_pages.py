"""The data export page (a background file) and the evidence archives (a streamed ZIP)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from inspections.models import EvidencePhoto, ExportJob, Inspection, Notification
from tests.accounts import sign_in
from tests.inspections.builders import approved_inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(open_round: Any, org: Any, cast: Any) -> Inspection:
    return approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _zip(response: Any) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content
    assert response.streaming and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _manifest(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    text = archive.read("manifest.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_leader_exports_a_round_s_answers_in_the_background(
    approved: Inspection, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    leader = _client(cast.leader)
    page = leader.get(reverse("export-data"), {"dot": str(approved.round_id)})
    assert page.status_code == 200
    assert f'value="{approved.round_id}" selected' in page.content.decode()
    form = {"scope": "round", "round": str(approved.round_id), "table": "answers", "kind": "csv"}
    with django_capture_on_commit_callbacks(execute=True):
        started = leader.post(reverse("export-data"), form)

    job = ExportJob.objects.get()
    assert started["Location"] == reverse("export", args=[job.pk])
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100)
    assert job.filename == f"du-lieu-dot-{approved.round_id}-ket-qua-tieu-chi.csv"
    assert Notification.objects.filter(recipient=cast.leader, kind="export_ready").exists()
    download = leader.get(reverse("export-file", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + approved.answers.count()
    assert "Xuất toàn bộ dữ liệu" in leader.get(started["Location"]).content.decode()


def test_a_csv_of_every_table_is_refused_beside_the_form(approved: Inspection, cast: Any) -> None:
    form = {"scope": "round", "round": str(approved.round_id), "table": "all", "kind": "csv"}
    refused = sign_in(cast.internal_affairs).post(reverse("export-data"), form)

    assert refused.status_code == 400
    assert "Tệp CSV chỉ chứa một bảng" in refused.content.decode()
    assert not ExportJob.objects.exists()


def test_a_year_must_be_chosen_for_a_year_export(cast: Any, open_round: Any) -> None:
    form = {"scope": "year", "table": "answers", "kind": "xlsx"}
    refused = _client(cast.leader).post(reverse("export-data"), form)

    assert refused.status_code == 400 and "Hãy chọn năm." in refused.content.decode()


def test_data_exports_are_for_internal_affairs_and_leaders(approved: Inspection, cast: Any) -> None:
    for user in (cast.ward_office, cast.inspector, cast.outsider):
        client = _client(user)
        assert client.get(reverse("export-data")).status_code == 403
        form = {"scope": "round", "round": str(approved.round_id), "table": "answers"}
        assert client.post(reverse("export-data"), {**form, "kind": "csv"}).status_code == 403
    assert not ExportJob.objects.exists()


def test_the_round_page_links_its_exports(approved: Inspection, cast: Any) -> None:
    url = reverse("round", args=[approved.round_id])
    internal = sign_in(cast.internal_affairs).get(url).content.decode()
    leader = _client(cast.leader).get(url).content.decode()

    evidence = reverse("round-evidence", args=[approved.round_id])
    assert f"{reverse('export-data')}?dot={approved.round_id}" in internal
    assert f"{evidence}?ban=goc" in internal
    assert evidence in leader and f"{evidence}?ban=goc" not in leader


def test_the_round_archive_streams_display_copies_with_a_manifest(
    approved: Inspection, cast: Any
) -> None:
    archive = _zip(_client(cast.leader).get(reverse("round-evidence", args=[approved.round_id])))

    photos = list(EvidencePhoto.objects.filter(inspection=approved).select_related("criterion"))
    manifest = _manifest(archive)
    assert len(photos) > 0 and len(manifest) == len(photos)
    by_file = {row["Tệp"]: row for row in manifest}
    for photo in photos:
        name = f"dot-{approved.round_id}/PANLAC/{photo.criterion.code}/{photo.pk}.jpg"
        data = archive.read(name)
        with default_storage.open(photo.display.name, "rb") as stored:
            assert data == stored.read()  # the display copy, not the original
        row = by_file[name]
        assert row["SHA-256 của tệp"] == hashlib.sha256(data).hexdigest()
        assert row["SHA-256 ảnh gốc"] == photo.sha256
        assert (row["Tiêu chí"], row["Mã đơn vị"], row["Bản"]) == (
            photo.criterion.code,
            "PANLAC",
            "Bản hiển thị",
        )


def test_originals_are_for_internal_affairs_only(approved: Inspection, cast: Any) -> None:
    url = reverse("round-evidence", args=[approved.round_id]) + "?ban=goc"
    assert _client(cast.leader).get(url).status_code == 403

    archive = _zip(sign_in(cast.internal_affairs).get(url))
    photo = EvidencePhoto.objects.filter(inspection=approved).first()
    assert photo is not None
    name = f"dot-{approved.round_id}/PANLAC/{photo.criterion.code}/{photo.pk}.jpg"
    with default_storage.open(photo.original.name, "rb") as stored:
        assert archive.read(name) == stored.read()
    assert {row["Bản"] for row in _manifest(archive)} == {"Ảnh gốc"}


def test_a_unit_s_office_gets_its_own_archive_and_no_other(
    approved: Inspection, cast: Any, org: Any
) -> None:
    office = _client(cast.ward_office)
    archive = _zip(office.get(reverse("unit-evidence", args=["PANLAC"])))
    assert len(_manifest(archive)) == EvidencePhoto.objects.filter(inspection=approved).count()
    assert "anh-minh-chung.zip" in office.get(reverse("unit", args=["PANLAC"])).content.decode()

    assert office.get(reverse("round-evidence", args=[approved.round_id])).status_code == 403
    assert office.get(reverse("unit-evidence", args=["STC"])).status_code == 404
    assert office.get(reverse("unit-evidence", args=["PANLAC"]) + "?ban=goc").status_code == 403


def test_a_file_missing_from_storage_is_named_in_the_manifest(
    approved: Inspection, cast: Any
) -> None:
    photo = EvidencePhoto.objects.filter(inspection=approved).first()
    assert photo is not None
    default_storage.delete(photo.display.name)

    archive = _zip(_client(cast.leader).get(reverse("round-evidence", args=[approved.round_id])))

    assert archive.testzip() is None
    row = next(r for r in _manifest(archive) if r["SHA-256 ảnh gốc"] == photo.sha256)
    assert row["Tệp"] == "" and row["Ghi chú"] == "Tệp không còn trong kho lưu trữ."

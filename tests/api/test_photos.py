"""Photo uploads are idempotent by client id, removable while editable, served privately."""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from inspections import services
from inspections.models import Criterion, EvidenceKind, EvidencePhoto
from tests.api.conftest import body, client_for
from tests.factories import jpeg_bytes
from tests.inspections.test_photos import PDF, bad_inputs, encode, photo_like

_YEAR = datetime.timedelta(days=366)


def _form(**fields: Any) -> dict[str, Any]:
    upload = io.BytesIO(jpeg_bytes())
    upload.name = "anh.jpg"
    return {"file": upload, **fields}


def test_the_same_photo_id_again_is_the_same_photo_and_other_values_a_409(
    make_inspection: Any, cast: Any
) -> None:
    inspection = make_inspection()
    client = client_for(cast.inspector)
    url = f"/api/v1/inspections/{inspection.pk}/photos/"
    photo_id = str(uuid.uuid4())
    first = client.post(url, _form(id=photo_id, criterion="A1"), format="multipart")
    again = client.post(url, _form(id=photo_id, criterion="A1"), format="multipart")
    clash = client.post(url, _form(id=photo_id, criterion="A2"), format="multipart")
    assert (first.status_code, again.status_code, clash.status_code) == (201, 200, 409)
    assert body(again)["id"] == body(first)["id"] == photo_id
    assert inspection.photos.count() == 1


def test_a_photo_is_removed_while_the_inspection_is_a_draft(
    make_inspection: Any, cast: Any
) -> None:
    inspection = make_inspection()
    client = client_for(cast.inspector)
    created = client.post(
        f"/api/v1/inspections/{inspection.pk}/photos/", _form(), format="multipart"
    )
    photo_url = f"/api/v1/inspections/{inspection.pk}/photos/{body(created)['id']}/"
    assert client.delete(photo_url).status_code == 204
    assert client.delete(photo_url).status_code == 404
    assert inspection.photos.count() == 0


def test_files_are_served_privately_and_never_sniffed(make_inspection: Any, cast: Any) -> None:
    inspection = make_inspection()
    client = client_for(cast.inspector)
    created = body(
        client.post(f"/api/v1/inspections/{inspection.pk}/photos/", _form(), format="multipart")
    )
    for variant in ("thumbnail", "display", "original"):
        # An <img> tag's Accept header names images only: still the file, never a 406.
        response = client.get(created["urls"][variant], HTTP_ACCEPT="image/avif,image/webp")
        assert response.status_code == 200, variant
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"].startswith("private")


def test_an_office_sees_no_original_url_for_its_approved_inspection(
    make_inspection: Any, cast: Any
) -> None:
    inspection = make_inspection(state="approved")
    detail = body(client_for(cast.ward_office).get(f"/api/v1/inspections/{inspection.pk}/"))
    urls = detail["photos"][0]["urls"]
    assert urls["original"] is None
    assert urls["display"] and urls["thumbnail"]


def _upload(data: bytes, name: str = "anh.jpg", **fields: Any) -> dict[str, Any]:
    upload = io.BytesIO(data)
    upload.name = name
    return {"file": upload, **fields}


REFUSALS = [
    # (sample from the pipeline tests, file name sent, status)
    ("empty", "anh.jpg", 400),
    ("truncated jpeg", "anh.jpg", 400),
    ("jpeg header then garbage", "anh.jpg", 400),
    ("text named .jpg", "anh.jpg", 415),
    ("svg", "anh.svg", 415),
    ("gif", "anh.gif", 415),
    ("tiff", "anh.tif", 415),
    ("56 megapixels", "anh.png", 413),
    ("pixel bomb", "anh.png", 413),
    ("text chunk bomb", "anh.png", 413),
    ("png with a bad pixel-data crc", "anh.png", 400),
    ("png without iend", "anh.png", 400),
    ("jpeg without its end marker", "anh.jpg", 400),
]


@pytest.mark.parametrize(("sample", "name", "status"), REFUSALS)
def test_a_bad_upload_gets_its_status_and_a_message_and_saves_nothing(
    make_inspection: Any, cast: Any, sample: str, name: str, status: int
) -> None:
    inspection = make_inspection()
    data, code, phrase = bad_inputs()[sample]
    response = client_for(cast.inspector).post(
        f"/api/v1/inspections/{inspection.pk}/photos/", _upload(data, name), format="multipart"
    )
    assert response.status_code == status
    assert body(response)["code"] == code and phrase in body(response)["errors"]["file"][0]
    assert inspection.photos.count() == 0 and not default_storage.exists("evidence")


def test_a_file_over_the_byte_limit_is_a_413_read_no_further(
    make_inspection: Any, cast: Any, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 2048
    inspection = make_inspection()
    response = client_for(cast.inspector).post(
        f"/api/v1/inspections/{inspection.pk}/photos/",
        _upload(encode(photo_like((400, 300)), "JPEG")),
        format="multipart",
    )
    assert (response.status_code, body(response)["code"]) == (413, "too_large")
    assert inspection.photos.count() == 0


@pytest.mark.parametrize("size", [3_000, 300_000])  # caught in the first chunk; announced
def test_an_upload_over_the_limit_is_a_413_before_the_service_sees_it(
    make_inspection: Any, cast: Any, settings: Any, size: int
) -> None:
    settings.EVIDENCE_MAX_BYTES = 2048
    inspection = make_inspection()
    response = client_for(cast.inspector).post(
        f"/api/v1/inspections/{inspection.pk}/photos/",
        _upload(b"\xff\xd8\xff" + b"\0" * size),
        format="multipart",
    )
    assert (response.status_code, body(response)["code"]) == (413, "too_large")
    assert "MB" in body(response)["errors"]["file"][0] and inspection.photos.count() == 0


def test_a_pdf_is_a_415_for_a_photo_criterion_and_accepted_for_a_document_one(
    make_inspection: Any, cast: Any
) -> None:
    inspection = make_inspection()
    client, url = client_for(cast.inspector), f"/api/v1/inspections/{inspection.pk}/photos/"
    criteria = Criterion.objects.filter(version_id=inspection.round.version_id)
    photo_code = criteria.filter(evidence=EvidenceKind.PHOTO).values_list("code", flat=True)[0]
    doc_code = criteria.filter(evidence=EvidenceKind.DOCUMENT).values_list("code", flat=True)[0]
    refused = client.post(url, _upload(PDF, "a.pdf", criterion=photo_code), format="multipart")
    accepted = client.post(url, _upload(PDF, "a.pdf", criterion=doc_code), format="multipart")
    assert (refused.status_code, accepted.status_code) == (415, 201)
    assert "PDF" in body(refused)["errors"]["file"][0]
    assert body(accepted)["content_type"] == "application/pdf"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (encode(Image.new("RGB", (64, 48), (200, 30, 30)), "HEIF"), "image/heic"),
        (encode(Image.new("RGB", (64, 48), (200, 30, 30)), "WEBP"), "image/webp"),
        (encode(Image.new("RGBA", (64, 48), (200, 30, 30, 90)), "PNG"), "image/png"),
    ],
)
def test_heic_webp_and_png_are_accepted_with_jpeg_copies(
    make_inspection: Any, cast: Any, data: bytes, content_type: str
) -> None:
    inspection = make_inspection()
    client = client_for(cast.inspector)
    created = client.post(
        f"/api/v1/inspections/{inspection.pk}/photos/", _upload(data), format="multipart"
    )
    assert (created.status_code, body(created)["content_type"]) == (201, content_type)
    display = client.get(body(created)["urls"]["display"])
    assert display["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(display.streaming_content))).format == "JPEG"


def _photo_of(inspection: Any) -> Any:
    return inspection.photos.order_by("uploaded_at").first()


def test_nobody_else_gets_a_file_not_even_by_guessing(make_inspection: Any, cast: Any) -> None:
    photo = _photo_of(make_inspection(state="approved"))
    url = f"/api/v1/photos/{photo.pk}/display/"
    assert client_for().get(url).status_code == 401
    assert client_for(cast.department_office).get(url).status_code == 404
    assert client_for(cast.outsider).get(url).status_code == 404
    guessed = client_for(cast.internal_affairs)
    assert guessed.get(f"/api/v1/photos/{uuid.uuid4()}/display/").status_code == 404
    assert guessed.get(f"/api/v1/photos/{photo.pk}/raw/").status_code == 404
    assert guessed.get("/api/v1/photos/not-a-uuid/display/").status_code == 404


def test_the_unit_sees_copies_once_approved_but_never_the_original(
    make_inspection: Any, cast: Any, org: Any
) -> None:
    submitted = _photo_of(make_inspection(unit=org.school, state="submitted"))
    office = client_for(cast.ward_office)
    assert office.get(f"/api/v1/photos/{submitted.pk}/display/").status_code == 404
    approved = _photo_of(make_inspection(state="approved"))
    assert office.get(f"/api/v1/photos/{approved.pk}/display/").status_code == 200
    assert office.get(f"/api/v1/photos/{approved.pk}/thumbnail/").status_code == 200
    assert office.get(f"/api/v1/photos/{approved.pk}/original/").status_code == 403
    for user in (cast.internal_affairs, cast.inspector):
        original = client_for(user).get(f"/api/v1/photos/{approved.pk}/original/")
        assert original.status_code == 200
        assert original["Content-Disposition"].startswith("attachment")


def test_a_file_has_an_etag_from_its_hash_and_a_304_when_unchanged(
    make_inspection: Any, cast: Any
) -> None:
    photo = _photo_of(make_inspection(state="approved"))
    client = client_for(cast.ward_office)
    first = client.get(f"/api/v1/photos/{photo.pk}/thumbnail/")
    assert photo.sha256[:40] in first["ETag"] and first["Cache-Control"].startswith("private")
    again = client.get(f"/api/v1/photos/{photo.pk}/thumbnail/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")


def test_the_reverse_proxy_sends_the_bytes_when_a_prefix_is_set(
    make_inspection: Any, cast: Any, settings: Any
) -> None:
    settings.EVIDENCE_ACCEL_REDIRECT_PREFIX = "/protected/"
    photo = _photo_of(make_inspection(state="approved"))
    response = client_for(cast.ward_office).get(f"/api/v1/photos/{photo.pk}/display/")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{photo.display.name}"


def test_internal_affairs_see_where_else_a_photo_was_used(
    make_inspection: Any, cast: Any, org: Any
) -> None:
    first, second = make_inspection(), make_inspection(unit=org.school)
    picture = encode(photo_like((480, 360), seed=9), "JPEG")
    services.photo_attach(by=cast.inspector, inspection=first, data=picture)
    services.photo_attach(by=cast.inspector, inspection=second, data=picture)
    url = f"/api/v1/inspections/{second.pk}/"
    seen = body(client_for(cast.internal_affairs).get(url))["photos"]
    reused = [p["reused"] for p in seen if p["reused"]]
    assert reused and reused[0][0]["inspection"] == str(first.pk)
    assert reused[0][0]["same_file"] is True
    assert all(p["reused"] is None for p in body(client_for(cast.inspector).get(url))["photos"])


def test_a_purged_original_is_gone_and_its_copies_stay(
    make_inspection: Any, cast: Any, settings: Any
) -> None:
    photo = _photo_of(make_inspection(state="approved"))
    EvidencePhoto.objects.filter(pk=photo.pk).update(uploaded_at=photo.uploaded_at - _YEAR)
    settings.EVIDENCE_ORIGINAL_RETENTION_DAYS = 365
    call_command("apply_retention", stdout=io.StringIO())
    client = client_for(cast.internal_affairs)
    assert client.get(f"/api/v1/photos/{photo.pk}/original/").status_code == 404
    assert client.get(f"/api/v1/photos/{photo.pk}/display/").status_code == 200


def test_an_unknown_criterion_in_the_upload_is_a_400_naming_the_field(
    make_inspection: Any, cast: Any
) -> None:
    inspection = make_inspection()
    response = client_for(cast.inspector).post(
        f"/api/v1/inspections/{inspection.pk}/photos/",
        _upload(jpeg_bytes(), criterion="Z99"),
        format="multipart",
    )
    assert response.status_code == 400
    assert list(body(response)["errors"]) == ["criterion"]
    assert "Z99" in body(response)["errors"]["criterion"][0]
    assert inspection.photos.count() == 0 and not default_storage.exists("evidence")

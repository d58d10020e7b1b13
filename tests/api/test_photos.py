"""Photo uploads are idempotent by client id, removable while editable, served privately."""

from __future__ import annotations

import io
import uuid
from typing import Any

from tests.api.conftest import body, client_for
from tests.factories import jpeg_bytes


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

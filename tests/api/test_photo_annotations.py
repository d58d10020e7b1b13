"""PUT /photos/{id}/annotations/ and /blur/: who may, what is refused, what the photo says."""

from __future__ import annotations

from typing import Any

import pytest

from inspections import services
from inspections.models import EvidencePhoto
from tests.api.conftest import body, client_for
from tests.inspections.test_photos import encode, photo_like

SHAPES = [{"kind": "circle", "x1": 0.5, "y1": 0.5, "x2": 0.6, "y2": 0.5, "label": "Bụi bẩn"}]
REGIONS = [{"x": 0.1, "y": 0.1, "w": 0.3, "h": 0.3}]


@pytest.fixture
def photo(make_inspection: Any, cast: Any) -> EvidencePhoto:
    data = encode(photo_like((400, 300)), "JPEG", quality=90)
    photo, _ = services.photo_attach(
        by=cast.inspector, inspection=make_inspection(), data=data, criterion_code="A1"
    )
    return photo


def _put(user: Any, photo: EvidencePhoto, what: str, payload: Any) -> Any:
    return client_for(user).put(f"/api/v1/photos/{photo.pk}/{what}/", payload, format="json")


def test_the_inspector_draws_and_everyone_who_sees_the_photo_reads_the_shapes(
    photo: EvidencePhoto, cast: Any
) -> None:
    old_display = photo.display.name
    response = _put(cast.inspector, photo, "annotations", {"annotations": SHAPES})
    assert response.status_code == 200
    assert body(response)["annotations"] == SHAPES
    assert body(response)["blurred"] is False and body(response)["blur_regions"] is None
    photo.refresh_from_db()
    assert photo.display.name != old_display
    shown = client_for(cast.internal_affairs).get(f"/api/v1/inspections/{photo.inspection_id}/")
    assert shown.status_code == 200
    assert SHAPES[0]["label"] in shown.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("ward_office", (403, 404)),
        ("other_inspector", (404,)),
        ("internal_affairs", (403,)),
        ("leader", (403,)),
    ],
)
def test_nobody_else_draws(
    photo: EvidencePhoto, cast: Any, who: str, status: tuple[int, ...]
) -> None:
    response = _put(getattr(cast, who), photo, "annotations", {"annotations": SHAPES})
    assert response.status_code in status
    photo.refresh_from_db()
    assert photo.annotations == []


def test_a_submitted_inspection_takes_no_drawing(make_inspection: Any, cast: Any) -> None:
    inspection = make_inspection(state="submitted")  # every criterion with its photo
    photo = EvidencePhoto.objects.filter(inspection=inspection).first()
    assert photo is not None
    assert _put(cast.inspector, photo, "annotations", {"annotations": SHAPES}).status_code == 409


def test_internal_affairs_blurs_and_sees_where(photo: EvidencePhoto, cast: Any) -> None:
    response = _put(cast.internal_affairs, photo, "blur", {"regions": REGIONS})
    assert response.status_code == 200
    assert body(response)["blurred"] is True and body(response)["blur_regions"] == REGIONS
    seen = client_for(cast.inspector).put(
        f"/api/v1/photos/{photo.pk}/annotations/", {"annotations": []}, format="json"
    )
    assert body(seen)["blurred"] is True and body(seen)["blur_regions"] is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("inspector", 403), ("leader", 403), ("ward_office", 404), ("other_inspector", 404)],
)
def test_nobody_else_blurs(photo: EvidencePhoto, cast: Any, who: str, status: int) -> None:
    response = _put(getattr(cast, who), photo, "blur", {"regions": REGIONS})
    if who == "ward_office" and response.status_code == 403:
        status = 403  # the office may see its own unit's draft: then it is refused, not hidden
    assert response.status_code == status
    photo.refresh_from_db()
    assert photo.blur_regions == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "annotations"),
        ({"annotations": "circle"}, "annotations"),
        ({"annotations": [{"kind": "arrow", "x1": 2, "y1": 0, "x2": 1, "y2": 1}]}, "annotations"),
        (
            {
                "annotations": [
                    {"kind": "arrow", "x1": 0, "y1": 0, "x2": 1, "y2": 1, "label": "\x00"}
                ]
            },
            "annotations",
        ),
        ({"annotations": [SHAPES[0]] * 21}, "annotations"),
    ],
)
def test_bad_shapes_are_a_400_with_field_messages(
    photo: EvidencePhoto, cast: Any, payload: Any, field: str
) -> None:
    response = _put(cast.inspector, photo, "annotations", payload)
    assert response.status_code == 400
    # The parser names a NUL's exact place ("annotations.0.label"); the service, the list.
    errors = body(response)["errors"]
    assert any(key.startswith(field) and messages for key, messages in errors.items()), errors


def test_a_bad_region_is_a_400_and_json_garbage_too(photo: EvidencePhoto, cast: Any) -> None:
    zero = _put(
        cast.internal_affairs, photo, "blur", {"regions": [{"x": 0, "y": 0, "w": 0, "h": 1}]}
    )
    assert zero.status_code == 400 and body(zero)["errors"]["regions"]
    garbage = client_for(cast.internal_affairs).put(
        f"/api/v1/photos/{photo.pk}/blur/", b"{not json", content_type="application/json"
    )
    assert garbage.status_code == 400


def test_a_document_has_nothing_to_draw_on(make_inspection: Any, cast: Any) -> None:
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    document, _ = services.photo_attach(by=cast.inspector, inspection=make_inspection(), data=pdf)
    response = _put(cast.inspector, document, "annotations", {"annotations": SHAPES})
    assert response.status_code == 409
    assert _put(cast.internal_affairs, document, "blur", {"regions": REGIONS}).status_code == 403


def test_an_unknown_photo_is_a_404(cast: Any, db: Any) -> None:
    response = client_for(cast.inspector).put(
        "/api/v1/photos/00000000-0000-0000-0000-000000000000/annotations/",
        {"annotations": []},
        format="json",
    )
    assert response.status_code == 404

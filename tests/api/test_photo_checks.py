"""Capture time, the checks' findings and the position on each photo in the API: the position
and the names of other units' evidence only to Internal Affairs and the inspection's
inspector; everyone else who may read the photo gets the findings without them."""

from __future__ import annotations

from typing import Any

import pytest

from inspections import services
from tests.api.conftest import body, client_for
from tests.inspections.test_evidence_checks import AWAY, HERE, shot

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(make_inspection: Any, cast: Any, org: Any) -> Any:
    """An approved inspection of the ward with a photo taken 1,5 km away, before the round,
    whose file is also another unit's commitment scan."""
    services.unit_place_set(
        by=cast.internal_affairs,
        unit=org.ward,
        latitude=str(HERE[0]),
        longitude=str(HERE[1]),
        radius_m="300",
    )
    inspection = make_inspection(state="submitted")
    data = shot(80, taken="2026:09:30 07:00:00", gps=AWAY)
    services.commitment_record(
        by=cast.department_office, unit=org.tai_chinh, year=2026, signed_on=None, data=data
    )
    # Internal Affairs return it so the inspector can add the photo, then approve it.
    services.inspection_return(
        by=cast.internal_affairs, inspection=inspection, reason="Thêm ảnh A1", criteria=["A1"]
    )
    services.photo_attach(by=cast.inspector, inspection=inspection, data=data, criterion_code="A1")
    services.inspection_submit(by=cast.inspector, inspection=inspection)
    services.inspection_approve(by=cast.internal_affairs, inspection=inspection)
    return inspection


def photo_of(user: Any, inspection: Any) -> dict[str, Any]:
    response = client_for(user).get(f"/api/v1/inspections/{inspection.pk}/")
    assert response.status_code == 200
    # The other photos (flat test JPEGs without EXIF) are flagged "no_camera" only.
    (photo,) = [p for p in body(response)["photos"] if p["captured_at"]]
    return photo


def test_internal_affairs_and_the_inspector_see_the_position_and_what_was_reused(
    approved: Any, cast: Any
) -> None:
    for user in (cast.internal_affairs, cast.inspector):
        photo = photo_of(user, approved)
        assert photo["captured_at"].startswith("2026-09-30T07:00:00")
        assert photo["camera"] == "Samsung SM-A546E"
        assert photo["position"] == {"latitude": "10.775000", "longitude": "106.686667"}
        found = {c["code"]: c for c in photo["checks"]}
        assert set(found) == {"before_round", "old", "far", "reused"}
        assert found["far"]["distance_m"] > 1400 and found["far"]["radius_m"] == 300
        assert found["far"]["message"].startswith("Chụp cách đơn vị 1,5 km")
        reused = found["reused"]
        assert reused["owner"] == "commitment" and reused["other_unit"] is True
        assert reused["unit"] == "Sở Tài chính" and reused["photo"] and reused["owner_id"]


def test_the_office_and_the_leader_get_the_findings_without_coordinates_or_names(
    approved: Any, cast: Any
) -> None:
    for user in (cast.ward_office, cast.leader):
        photo = photo_of(user, approved)
        assert photo["position"] is None
        assert photo["urls"]["original"] is None
        found = {c["code"]: c for c in photo["checks"]}
        assert set(found) == {"before_round", "old", "far", "reused"}
        assert found["far"]["distance_m"] > 1400
        assert set(found["reused"]) == {
            "code",
            "message",
            "owner",
            "other_unit",
            "same_file",
            "distance",
        }
        text = str(photo)
        assert "10.775" not in text and "106.68" not in text and "Tài chính" not in text


def test_another_unit_cannot_read_the_photo_at_all(approved: Any, cast: Any) -> None:
    response = client_for(cast.department_office).get(f"/api/v1/inspections/{approved.pk}/")
    assert response.status_code == 404


def test_the_commitment_scan_carries_its_findings_for_its_office(approved: Any, cast: Any) -> None:
    response = client_for(cast.department_office).get("/api/v1/commitments/")
    (commitment,) = body(response)["results"]
    (scan,) = commitment["scans"]
    assert scan["position"] is None
    assert [c["code"] for c in scan["checks"]] == ["old", "reused"]
    assert "unit" not in scan["checks"][1]

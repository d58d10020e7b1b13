"""The checks on the pages: the review page lists each photo's findings and counts them; the
unit's place is set by Internal Affairs on the unit's page (typed or from its photos) and
imported with the units workbook; an office never sees a position."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from inspections import services
from inspections.models import OrgUnit
from tests.accounts import sign_in
from tests.inspections.builders import submitted_inspection
from tests.inspections.test_evidence_checks import AT_UNIT, AWAY, HERE, shot

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(open_round: Any, org: Any, cast: Any) -> Any:
    services.unit_place_set(
        by=cast.internal_affairs,
        unit=org.ward,
        latitude=str(HERE[0]),
        longitude=str(HERE[1]),
        radius_m="300",
    )
    inspection = submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    services.inspection_return(
        by=cast.internal_affairs, inspection=inspection, reason="Thêm ảnh", criteria=["A1"]
    )
    for seed in (1, 2):
        services.photo_attach(
            by=cast.inspector,
            inspection=inspection,
            data=shot(seed, taken="2026:09:15 08:00:00", gps=AWAY),
            criterion_code="A1",
        )
    return services.inspection_submit(by=cast.inspector, inspection=inspection)


def test_the_review_page_lists_each_photos_findings_and_counts_them(
    submitted: Any, cast: Any
) -> None:
    html = (
        sign_in(cast.internal_affairs)
        .get(reverse("review-inspection", args=[submitted.pk]))
        .content.decode()
    )
    assert "2 ảnh chụp trước đợt kiểm tra" in html
    assert "2 ảnh chụp xa đơn vị, xa nhất 1,5 km" in html
    assert html.count("Chụp trước đợt kiểm tra 16 ngày") == 2
    assert "10,775" not in html and "106,68" not in html  # distances, not coordinates


def test_internal_affairs_set_the_place_typed_or_from_the_photos(
    open_round: Any, org: Any, cast: Any
) -> None:
    inspection = submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    services.inspection_return(
        by=cast.internal_affairs, inspection=inspection, reason="Thêm ảnh", criteria=["A1"]
    )
    for seed in (3, 4, 5):
        services.photo_attach(
            by=cast.inspector, inspection=inspection, data=shot(seed, gps=AT_UNIT)
        )
    noi_vu = sign_in(cast.internal_affairs)
    page = noi_vu.get(reverse("unit", args=["PANLAC"])).content.decode()
    assert "Trung vị vị trí của 3 ảnh" in page and "10,775000" in page
    refused = noi_vu.post(
        reverse("unit-place", args=["PANLAC"]),
        {"latitude": "95", "longitude": "106,7", "radius_m": "300"},
    )
    assert refused.status_code == 400
    assert "Vĩ độ là số thập phân" in refused.content.decode()
    done = noi_vu.post(
        reverse("unit-place", args=["PANLAC"]),
        {"latitude": "10,775000", "longitude": "106,700000", "radius_m": "250"},
    )
    assert done.status_code == 302
    org.ward.refresh_from_db()
    assert (org.ward.latitude, org.ward.longitude, org.ward.radius_m) == (*HERE, 250)


def test_an_office_neither_sees_nor_sets_the_place(org: Any, cast: Any) -> None:
    services.unit_place_set(
        by=cast.internal_affairs, unit=org.ward, latitude="10,5", longitude="106,5", radius_m="300"
    )
    office = sign_in(cast.ward_office)
    page = office.get(reverse("unit", args=["PANLAC"])).content.decode()
    assert "Vị trí đơn vị" not in page and "10,5" not in page
    response = office.post(
        reverse("unit-place", args=["PANLAC"]),
        {"latitude": "1", "longitude": "1", "radius_m": "300"},
    )
    assert response.status_code == 403
    org.ward.refresh_from_db()
    assert org.ward.latitude == Decimal("10.5")


def _units_workbook(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đơn vị"
    sheet.append(["Mã", "Tên", "Cấp trên", "Khối", "Hiệu lực", "Mẫu", "Vĩ độ", "Kinh độ", "R"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("don-vi.xlsx", out.getvalue())


def test_the_units_workbook_brings_each_units_place(cast: Any) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    bad = _units_workbook([["PHUONG-MOI", "Phường Mới", "UBND", "", None, None, "200", "106", 300]])
    refused = noi_vu.post(reverse("people-import"), {"file": bad, "mode": "real"})
    assert refused.status_code == 400 and "Vĩ độ là số thập phân" in refused.content.decode()
    good = _units_workbook(
        [
            ["PHUONG-MOI", "Phường Mới", "UBND", "", None, None, "10,776889", 106.700806, 300],
            ["PHUONG-CU", "Phường Cũ", "UBND", "", None, None, None, None, None],
        ]
    )
    assert noi_vu.post(reverse("people-import"), {"file": good, "mode": "real"}).status_code == 302
    new = OrgUnit.objects.get(code="PHUONG-MOI")
    assert (new.latitude, new.longitude, new.radius_m) == (
        Decimal("10.776889"),
        Decimal("106.700806"),
        300,
    )
    assert OrgUnit.objects.get(code="PHUONG-CU").latitude is None

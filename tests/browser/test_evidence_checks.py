"""The checks' findings in a browser: Internal Affairs open a submitted inspection whose photos
were taken before the round and far from the unit, and read the count and each photo's
findings, on a phone and on a desktop; then set the unit's place from its photos."""

from __future__ import annotations

from typing import Any

import pytest

from inspections import services
from tests.browser.test_office_and_rounds import both_sizes, log_in
from tests.inspections.builders import submitted_inspection
from tests.inspections.test_evidence_checks import AT_UNIT, AWAY, HERE, shot

pytestmark = pytest.mark.browser


def test_the_reviewer_sees_the_findings_on_the_review_page(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
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
    services.photo_attach(
        by=cast.inspector,
        inspection=inspection,
        data=shot(1, taken="2026:09:15 08:00:00", gps=AWAY),
        criterion_code="A1",
    )
    services.photo_attach(
        by=cast.inspector, inspection=inspection, data=shot(2, gps=AT_UNIT), criterion_code="A1"
    )
    services.inspection_submit(by=cast.inspector, inspection=inspection)

    log_in(phone, live_server.url, "noivu")
    phone.goto(f"{live_server.url}/duyet/{inspection.pk}/")
    summary = phone.locator("[data-checks-summary]")
    assert summary.is_visible()
    assert "1 ảnh chụp trước đợt kiểm tra" in summary.inner_text()
    assert "1 ảnh chụp cách đơn vị 1,5 km" in summary.inner_text()
    # A1 holds the builder's photo (no EXIF: "no camera"), the early far one, and one taken
    # at the unit in time, which has no finding.
    a1 = phone.locator("#c-A1 [data-checks]")
    assert a1.count() == 2
    early = a1.filter(has_text="Chụp trước đợt kiểm tra 16 ngày")
    assert early.count() == 1 and "Chụp cách đơn vị 1,5 km" in early.inner_text()
    assert a1.filter(has_text="Không có thông tin máy ảnh").count() == 1
    assert "10,775" not in phone.content()
    phone.locator("#c-A1").scroll_into_view_if_needed()
    both_sizes(phone, "evidence-checks-review")

    phone.goto(f"{live_server.url}/don-vi/PANLAC/#place-title")
    proposal = phone.locator("[data-place-proposal]")
    assert "Trung vị vị trí của 2 ảnh" in proposal.inner_text()
    proposal.scroll_into_view_if_needed()
    both_sizes(phone, "evidence-checks-place")
    proposal.get_by_role("button", name="Xác nhận vị trí này").click()
    phone.wait_for_load_state()
    assert "Đã lưu vị trí đơn vị" in phone.content()
    org.ward.refresh_from_db()
    assert org.ward.radius_m == 300 and org.ward.latitude is not None

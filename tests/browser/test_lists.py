"""Lists searched, filtered and sorted by a person; rankings explained; the comparison."""

from __future__ import annotations

from typing import Any

import pytest

from inspections.models import Inspection
from inspections.services import inspection_create
from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import both_sizes, log_in
from tests.inspections.builders import answer_everything, approved_inspection, submitted_inspection

pytestmark = pytest.mark.browser


def test_internal_affairs_searches_sorts_and_reads_explained_rankings(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    submitted_inspection(
        open_round, org.tai_chinh, cast.inspector, internal_affairs=cast.internal_affairs
    )
    submitted_inspection(
        open_round, org.school, cast.other_inspector, internal_affairs=cast.internal_affairs
    )
    approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A5": False, "A1": 2},
    )
    own, _created = inspection_create(
        by=cast.ward_office, round=open_round, unit=org.ward, kind=Inspection.Kind.SELF
    )
    answer_everything(own, cast.ward_office)
    base = live_server.url
    log_in(phone, base, "noivu")

    phone.goto(f"{base}/duyet/")
    phone.get_by_label("Đơn vị, cán bộ kiểm tra hoặc đợt").fill("truong an lac")
    phone.get_by_role("button", name="Lọc").click()
    phone.wait_for_load_state()
    assert "q=truong+an+lac" in phone.url
    rows = phone.locator("tbody th[scope=row]")
    assert rows.all_inner_texts() == ["Trường Tiểu học An Lạc"]
    phone.get_by_role("link", name="Bỏ lọc").click()
    phone.get_by_role("link", name="Đơn vị").first.click()
    phone.wait_for_load_state()
    assert "sort=unit" in phone.url
    assert phone.locator("th[aria-sort=ascending]").count() == 1
    both_sizes(phone, "lists-queue")
    assert serious_violations(phone) == []

    for name, path in (
        ("lists-rounds", "/dot/"),
        ("lists-board", f"/dot/{open_round.pk}/?state=submitted"),
        ("lists-commitments", "/cam-ket/?q=phuong"),
        ("lists-people", f"/nguoi-dung/?unit={org.ward.pk}"),
        ("lists-ranking", f"/dot/{open_round.pk}/xep-hang/"),
        ("lists-dashboard", "/tong-quan/"),
        ("lists-unit", "/don-vi/PANLAC/"),
        ("lists-compare", f"/don-vi/PANLAC/so-sanh/{open_round.pk}/"),
    ):
        phone.goto(f"{base}{path}")
        phone.wait_for_load_state()
        both_sizes(phone, name)
        assert serious_violations(phone) == [], name
    phone.goto(f"{base}/dot/{open_round.pk}/xep-hang/")
    assert phone.get_by_text("giới hạn ở Đạt do A5 không đạt").count() == 1

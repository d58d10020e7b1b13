"""Internal Affairs closes the year on a phone: ranking, rules, a proposal added with a
reason, publication; every page at both widths, axe finding nothing serious."""

from __future__ import annotations

from typing import Any

import pytest

from inspections.models import ProposalDecision, YearPolicy
from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import both_sizes, log_in
from tests.inspections.year_builders import year_2026

pytestmark = pytest.mark.browser


def test_internal_affairs_closes_the_year_on_a_phone(
    live_server: Any, phone: Any, version: Any, org: Any, cast: Any
) -> None:
    year_2026(version, org)
    page, base = phone, live_server.url
    log_in(page, base, "noivu")
    page.get_by_role("link", name="Kết quả năm").first.click()
    page.wait_for_url(f"{base}/nam/2026/")
    assert page.get_by_role("heading", name="Khối phường, xã").is_visible()
    assert serious_violations(page) == []
    both_sizes(page, "year-ranking")

    page.get_by_role("link", name="Quy tắc của năm").click()
    page.get_by_label("Số đợt tối thiểu để được xếp loại năm").fill("3")
    page.get_by_role("button", name="Lưu quy tắc").click()
    assert page.get_by_text("Đã lưu quy tắc của năm.").is_visible()
    assert serious_violations(page) == []
    both_sizes(page, "year-policy")
    assert YearPolicy.objects.get(year=2026).minimum_rounds == 3

    page.get_by_role("link", name="Đề nghị khen thưởng").click()
    card = page.locator(f"#u-{org.ward.pk}")
    card.get_by_text("Bổ sung vào danh sách").first.click()  # opens the details
    card.get_by_label("Lý do (được ghi vào nhật ký)").fill("Điển hình của khối phường")
    card.get_by_role("button", name="Bổ sung vào danh sách").click()
    assert page.get_by_text("Phòng Nội vụ bổ sung vào danh sách: Điển hình").is_visible()
    assert ProposalDecision.objects.get(unit=org.ward).proposed
    assert serious_violations(page) == []
    both_sizes(page, "year-proposals")

    page.goto(f"{base}/nam/2026/cong-bo/")
    page.get_by_label("Tôi đã xem bảng xếp hạng năm").check()
    page.get_by_role("button", name="Công bố kết quả năm").click()
    page.wait_for_url(f"{base}/nam/2026/")
    assert YearPolicy.objects.get(year=2026).is_published
    assert serious_violations(page) == []

"""The leader opens the dashboard on a phone and a desktop: charts drawn, axe clean."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import both_sizes, log_in
from tests.inspections.builders import approved_inspection

pytestmark = pytest.mark.browser


def test_a_leader_reads_the_dashboard_and_follows_a_chart_to_its_rows(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 1, "A5": False},
        flagged=["A1"],
    )
    base = live_server.url
    log_in(phone, base, "lanhdao")
    phone.goto(f"{base}/tong-quan/")
    assert phone.locator("svg.viz__svg[role=img]").count() >= 5
    fact = phone.locator("#heat-fact")
    assert fact.inner_text() == "Khối phường, xã: 1/1 đơn vị chưa đạt tiêu chí A1"
    # The chart's table opens without script; the phone does not scroll sideways.
    phone.locator("section[aria-labelledby=heat-title] summary").click()
    assert phone.get_by_role("cell", name="1/1 (100 %)").first.is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    both_sizes(phone, "dashboard")
    assert serious_violations(phone) == []
    phone.get_by_role("link", name="Yêu cầu khắc phục do không đạt tiêu chí ★").click()
    phone.wait_for_load_state()
    assert "reason=critical_failed" in phone.url
    assert phone.locator(".action-list li").count() == 1

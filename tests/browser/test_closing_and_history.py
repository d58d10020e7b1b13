"""Locking a round with work open, its locked checklist, and an inspection's history, as
people see them at phone and desktop width; axe finds nothing serious."""

from __future__ import annotations

from typing import Any

import pytest

from inspections.models import Inspection, Round
from inspections.services import answer_set, inspection_create
from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import both_sizes, log_in
from tests.inspections.builders import assign, submitted_inspection
from tests.inspections.test_history import revised_inspection

pytestmark = pytest.mark.browser


def test_internal_affairs_sees_the_open_work_before_locking_and_the_inspector_is_told(
    live_server: Any, phone: Any, open_round: Round, org: Any, cast: Any
) -> None:
    ia = cast.internal_affairs
    submitted_inspection(open_round, org.school, cast.inspector, internal_affairs=ia)
    assign(open_round, org.thi_dua, cast.other_inspector, by=ia)
    draft, _created = inspection_create(by=cast.other_inspector, round=open_round, unit=org.thi_dua)
    answer_set(by=cast.other_inspector, inspection=draft, criterion_code="A1", value=3)
    assign(open_round, org.tai_chinh, cast.inspector, by=ia)
    page, base = phone, live_server.url
    log_in(page, base, "noivu")
    page.goto(f"{base}/dot/{open_round.pk}/")
    page.get_by_role("link", name="Khóa đợt").click()
    assert "Đợt chưa đến ngày kết thúc" in page.content()
    for state in ("submitted", "draft", "not_started"):
        assert page.locator(f"#p-{state}").is_visible()
    assert serious_violations(page) == []
    both_sizes(page, "round-close")
    page.get_by_role("button", name="Khóa đợt").click()  # not confirmed: refused, list kept
    assert page.locator("#confirm[aria-invalid='true']").count() == 1
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.OPEN
    assert serious_violations(page) == []
    page.locator("label[for='confirm']").click()
    page.get_by_role("button", name="Khóa đợt").click()
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.CLOSED

    page.context.clear_cookies()
    log_in(page, base, "kiemtra2")
    page.goto(f"{base}/phieu/{draft.pk}/")
    assert page.get_by_role("heading", name="Đợt kiểm tra đã khóa").is_visible()
    assert page.locator("#v-A1-3").is_disabled()
    assert serious_violations(page) == []
    both_sizes(page, "checklist-locked")
    page.goto(f"{base}/thong-bao/")
    assert "Đợt kiểm tra “Quý IV/2026” đã khóa" in page.content()


def test_the_history_of_a_revised_inspection_reads_well_at_both_sizes(
    live_server: Any, phone: Any, open_round: Round, org: Any, cast: Any
) -> None:
    revised = revised_inspection(open_round, org.ward, cast)
    page, base = phone, live_server.url
    log_in(page, base, "noivu")
    page.goto(f"{base}/phieu/{revised.pk}/ket-qua/")
    page.get_by_role("link", name="Lịch sử phiếu").click()
    assert "Chấm lại A1 theo hồ sơ" in page.content()
    assert page.locator(".diff tbody tr").count() == 1
    assert serious_violations(page) == []
    both_sizes(page, "inspection-history")
    assert Inspection.objects.get(pk=revised.pk).revision == 2

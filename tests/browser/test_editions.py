"""Internal Affairs prepares next year's edition on pages, and an inspector scores by it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from inspections.models import Criterion, ModelVersion, Round
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import both_sizes, log_in

pytestmark = pytest.mark.browser


def looked_at(page: Any, name: str) -> None:
    """Axe finds nothing serious; screenshots at phone and desktop width."""
    assert serious_violations(page) == [], name
    both_sizes(page, name)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone-full.png"), full_page=True)


def test_internal_affairs_publishes_a_new_edition_and_a_round_scores_by_it(
    live_server: Any, phone: Any, browser: Any, version: Any, org: Any, cast: Any
) -> None:
    page, base = phone, live_server.url
    log_in(page, base, "noivu")
    page.get_by_role("link", name="Mô hình thi đua").first.click()
    looked_at(page, "editions")
    page.get_by_role("button", name="Tạo bản nháp mới từ phiên bản 1").click()
    draft = ModelVersion.objects.get(based_on=version)
    page.wait_for_url(f"{base}/mo-hinh/{draft.pk}/")
    looked_at(page, "edition-draft")

    # One criterion's points, one band of a percentage criterion.
    page.get_by_role("link", name="Sửa A1", exact=True).click()
    page.get_by_label("Điểm tối đa").fill("4")
    looked_at(page, "edition-criterion")
    page.get_by_role("button", name="Lưu tiêu chí").click()
    expect(page.get_by_text("Đã lưu tiêu chí A1.")).to_be_visible()
    page.get_by_role("link", name="Sửa D1", exact=True).click()
    page.locator("[name=bands-1-points]").fill("5")
    page.get_by_role("button", name="Lưu tiêu chí").click()
    expect(page.get_by_text("Đã lưu tiêu chí D1.")).to_be_visible()
    page.get_by_role("link", name="Sửa xếp loại").click()
    page.locator("[name=levels-1-minimum_score]").fill("82,5")
    looked_at(page, "edition-classification")
    page.get_by_role("button", name="Lưu xếp loại").click()
    expect(page.get_by_text("Đã lưu xếp loại.")).to_be_visible()
    page.get_by_role("link", name="Sửa nhóm tiêu chí").click()
    looked_at(page, "edition-sections")
    page.get_by_role("link", name="Quay lại").click()

    page.get_by_role("link", name="Xem trước", exact=True).click()
    expect(page.locator("#c-A1 .meta")).to_contain_text("4 điểm")
    expect(page.locator("#c-D1")).to_contain_text("từ 98%: 5 điểm")
    expect(page.locator("#c-A1 input").first).to_be_disabled()
    looked_at(page, "edition-preview")

    page.get_by_role("link", name="So sánh", exact=True).click()
    changed = page.locator(".diff-row", has_text="A1")
    expect(changed.locator(".diff__old")).to_have_text("3")
    expect(changed.locator(".diff__new")).to_have_text("4")
    expect(page.locator(".diff-row", has_text="tot").locator(".diff__new")).to_have_text("82,5")
    looked_at(page, "edition-diff")

    # A ★ item that allows "không áp dụng" is refused on that very field.
    page.get_by_role("link", name="Nội dung", exact=True).click()
    page.get_by_role("link", name="Sửa A5", exact=True).click()
    page.locator("label[for=id_na_allowed]").click()
    page.get_by_role("button", name="Lưu tiêu chí").click()
    field = page.locator("#f-na_allowed")
    expect(field).to_contain_text("Tiêu chí ★ không được cho phép “không áp dụng”.")
    looked_at(page, "edition-refused")
    assert not Criterion.objects.get(version=draft, code="A5").na_allowed
    page.locator("label[for=id_na_allowed]").click()
    page.get_by_role("button", name="Lưu tiêu chí").click()

    page.get_by_role("link", name="Ban hành", exact=True).click()
    looked_at(page, "edition-publish")
    page.get_by_role("button", name="Ban hành phiên bản 2").click()
    expect(page.get_by_text("Đã ban hành phiên bản 2")).to_be_visible()
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.criteria.get(code="A1").max_points == Decimal("4")
    expect(page.get_by_role("link", name="Sửa A1")).to_have_count(0)
    looked_at(page, "edition-published")

    page.get_by_role("link", name="Đợt kiểm tra").click()
    page.get_by_label("Tên đợt").fill("Năm 2027")
    page.get_by_label("Phiên bản mô hình").select_option(str(draft.pk))
    page.get_by_label("Ngày bắt đầu").fill("2026-01-01")
    page.get_by_label("Ngày kết thúc").fill("2027-12-31")
    page.get_by_role("button", name="Tạo đợt").click()
    page.get_by_role("button", name="Mở đợt").click()
    round_ = Round.objects.get(name="Năm 2027")
    assert round_.status == Round.Status.OPEN and round_.version == draft
    assigning = page.get_by_role("region", name="Phân công kiểm tra")
    assigning.get_by_label("Cán bộ kiểm tra").select_option(str(cast.inspector.pk))
    assigning.get_by_label("Phường An Lạc").check()
    page.get_by_role("button", name="Phân công").click()
    assert round_.assignments.count() == 1

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    inspector = context.new_page()
    log_in(inspector, base, "kiemtra1")
    inspector.get_by_role("button", name="Bắt đầu chấm").click()
    inspector.wait_for_url("**/phieu/**")
    expect(inspector.locator("#c-A1 .meta")).to_contain_text("4 điểm")
    expect(inspector.locator("#c-D1")).to_contain_text("từ 98%: 5 điểm")
    context.close()

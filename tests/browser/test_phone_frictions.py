"""Small frictions on a phone (issue 24): dates typed day first whatever the browser's language,
the photo viewer, a delete that asks first, and a "chưa gửi" count in criteria and photos."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from inspections.models import Criterion, Round
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_checklist import (
    answer_on_page,
    log_in,
    phone_jpeg,
    serious_violations,
    start_from_my_work,
)
from tests.browser.test_office_and_rounds import log_in as log_in_as
from tests.browser.test_offline import cut_network, open_assignment_online, restore_network
from tests.inspections.builders import assign, attach_evidence

pytestmark = pytest.mark.browser


@pytest.fixture
def english_phone(browser: Any) -> Any:
    """A phone whose browser speaks English: its own date picker would say mm/dd/yyyy."""
    context = browser.new_context(viewport=PHONE, locale="en-US")
    yield context.new_page()
    context.close()


def test_a_date_typed_day_first_is_saved_as_that_day_whatever_the_browsers_language(
    live_server: Any, english_phone: Any, version: Any, cast: Any
) -> None:
    page, base = english_phone, live_server.url
    # The product in Vietnamese, as its user chose in the footer.
    page.context.add_cookies([{"name": "django_language", "value": "vi", "url": base}])
    log_in_as(page, base, "noivu")
    page.get_by_role("link", name="Đợt kiểm tra").click()
    page.get_by_label("Tên đợt").fill("Quý IV/2026")
    page.get_by_label("Phiên bản mô hình").select_option(str(version.pk))
    start, end = page.get_by_label("Ngày bắt đầu"), page.get_by_label("Ngày kết thúc")
    expect(end).to_have_attribute("placeholder", "dd/mm/yyyy")
    start.fill("01/10/2026")
    end.fill("31/02/2026")
    page.get_by_role("button", name="Tạo đợt").click()
    expect(page.get_by_text("Ngày 31/02/2026 không có trên lịch.")).to_be_visible()
    expect(page.get_by_label("Ngày bắt đầu")).to_have_value("01/10/2026")  # kept as typed
    screenshot(page, "date-error")
    assert serious_violations(page) == []
    page.get_by_label("Ngày kết thúc").fill("31/12/2026")
    page.get_by_role("button", name="Tạo đợt").click()
    made = Round.objects.get(name="Quý IV/2026")
    assert (made.starts_on, made.ends_on) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    expect(page.locator("main .meta").first).to_contain_text("01/10/2026 – 31/12/2026")


def open_checklist_with_evidence(page: Any, base: str, open_round: Any, org: Any, cast: Any) -> Any:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    log_in(page, base)
    inspection = start_from_my_work(page, base, cast)
    attach_evidence(inspection, cast.inspector, only=["A1", "A2", "A3"])
    page.reload()
    return inspection


def test_a_thumbnail_opens_in_the_viewer_with_next_previous_and_escape(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_checklist_with_evidence(phone, base, open_round, org, cast)
    viewer = phone.locator("dialog[data-viewer]")
    expect(viewer).to_be_hidden()
    first = phone.locator("#c-A1 a[data-view]")
    first.click()
    expect(viewer).to_be_visible()
    photo = inspection.photos.get(criterion__code="A1")
    larger = re.compile(f"/photos/{photo.pk}/display/$")
    expect(viewer.locator("img")).to_have_attribute("src", larger)
    expect(viewer.locator("[data-viewer-caption]")).to_have_text("Ảnh minh chứng A1 (1)")
    expect(viewer.locator("[data-viewer-time]")).to_contain_text("lúc")
    expect(viewer.locator("[data-viewer-count]")).to_have_text("Ảnh 1/3")
    screenshot(phone, "viewer")
    assert serious_violations(phone) == []
    viewer.get_by_role("button", name="Ảnh sau").click()
    expect(viewer.locator("[data-viewer-caption]")).to_have_text("Ảnh minh chứng A2 (1)")
    phone.keyboard.press("ArrowRight")
    expect(viewer.locator("[data-viewer-count]")).to_have_text("Ảnh 3/3")
    phone.keyboard.press("ArrowRight")  # round again to the first
    expect(viewer.locator("[data-viewer-count]")).to_have_text("Ảnh 1/3")
    viewer.get_by_role("button", name="Ảnh trước").click()
    expect(viewer.locator("[data-viewer-caption]")).to_have_text("Ảnh minh chứng A3 (1)")
    phone.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(first).to_be_focused()

    # The result page's thumbnails open the same way.
    phone.goto(f"{base}/phieu/{inspection.pk}/ket-qua/")
    phone.locator("a[data-view]").nth(1).click()
    expect(viewer.locator("[data-viewer-caption]")).to_have_text("Ảnh minh chứng A2 (1)")
    viewer.get_by_role("button", name="Đóng").click()
    expect(viewer).to_be_hidden()


def test_deleting_a_photo_asks_first_and_a_no_keeps_it(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_checklist_with_evidence(phone, base, open_round, org, cast)
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss() if len(asked) == 1 else dialog.accept()

    phone.on("dialog", answer)
    delete = phone.locator("#c-A2").get_by_role("button", name="Xóa ảnh")
    delete.click()
    assert asked == ["Xóa ảnh này của tiêu chí A2? Không thể hoàn tác."]
    expect(phone.locator("#c-A2 .thumbs li")).to_have_count(1)
    assert inspection.photos.filter(criterion__code="A2").count() == 1
    delete.click()
    expect(phone.locator("#c-A2 .thumbs li")).to_have_count(0)
    assert len(asked) == 2
    assert inspection.photos.filter(criterion__code="A2").count() == 0


def test_what_waits_is_counted_in_criteria_and_photos_and_the_score_says_its_basis(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_assignment_online(phone, base, open_round, org, cast)
    codes = list(
        Criterion.objects.filter(version_id=inspection.round.version_id)
        .order_by("section__order", "order", "code")
        .exclude(code="B7")
    )
    for criterion in codes[:3]:
        answer_on_page(phone, criterion, submit=False)
    expect(phone.locator("[data-basis]")).to_have_text("Điểm tạm tính trên 3/32 tiêu chí")

    cut_network(phone, base)
    changed = codes[3:7]
    for criterion in changed:
        answer_on_page(phone, criterion, submit=False)
    # One criterion changed twice (its answer, then its note) is still one criterion.
    phone.locator(f"#n-{changed[0].code}").fill("Đã nhắc đơn vị")
    phone.locator(f"#n-{changed[0].code}").blur()
    phone.locator("#cam-A1").set_input_files(phone_jpeg())
    waiting = phone.locator("[data-waiting-count]")
    expect(waiting).to_have_text("4 tiêu chí, 1 ảnh")
    expect(waiting).to_have_attribute("data-criteria", "4")
    expect(phone.locator("[data-basis]")).to_have_text("Điểm tạm tính trên 3/32 tiêu chí")
    phone.locator(".bar").scroll_into_view_if_needed()
    screenshot(phone, "waiting")

    restore_network(phone)
    expect(phone.locator("[data-waiting]")).to_be_hidden(timeout=15_000)
    expect(phone.locator("[data-basis]")).to_have_text("Điểm tạm tính trên 7/32 tiêu chí")
    assert inspection.answers.count() == 7


def test_the_storage_warning_can_be_put_away_for_good(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    log_in(phone, base)
    start_from_my_work(phone, base, cast)
    # Headless Chromium does not grant persistent storage: the warning is shown.
    warning = phone.locator("[data-storage-warning]")
    expect(warning).to_contain_text("Trình duyệt chưa cho giữ lâu dài dữ liệu")
    warning.get_by_role("button", name="Đã hiểu, ẩn thông báo").click()
    expect(warning).to_be_hidden()
    phone.reload()
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("localStorage.getItem('csx-dismissed-not-persisted')") == "1"
    expect(warning.locator("[data-storage-text]")).to_contain_text("Trình duyệt")  # said, unseen
    expect(warning).to_be_hidden()

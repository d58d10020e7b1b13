"""The bell and the inbox in Chromium: the count follows what others do, links land on their
page, axe finds nothing serious at phone size; screenshots for people to look at."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from inspections.models import CorrectiveAction
from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import log_in
from tests.factories import jpeg_bytes
from tests.inspections.builders import approved_inspection

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes/shots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def shots(page: Any, name: str) -> None:
    """notify-<name>-phone.png and -desktop.png, when the notes folder is there."""
    if not SHOTS.is_dir():
        return
    page.screenshot(path=str(SHOTS / f"notify-{name}-phone.png"))
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"notify-{name}-desktop.png"))
    page.set_viewport_size(PHONE)


def bell(page: Any) -> str:
    count = page.locator("header .bell .bell__count")
    return re.sub(r"\D", "", count.inner_text()) if count.count() else "0"


def test_the_bell_follows_what_others_do_and_inbox_links_land_on_their_page(
    live_server: Any, browser: Any, open_round: Any, org: Any, cast: Any
) -> None:
    approved = approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": (1, "Bàn làm việc còn bừa bộn")},
        flagged=["A1"],
    )
    action = CorrectiveAction.objects.get(inspection=approved)
    base = live_server.url
    inspector_context = browser.new_context(viewport=PHONE, locale="vi-VN")
    office_context = browser.new_context(viewport=PHONE, locale="vi-VN")
    inspector, office = inspector_context.new_page(), office_context.new_page()
    try:
        log_in(inspector, base, "kiemtra1")
        assert bell(inspector) == "2"  # assigned, approved

        log_in(office, base, "panlac")
        assert bell(office) == "2"  # the unit's result, the new action
        office.locator("header .bell").click()
        office.wait_for_url(f"{base}/thong-bao/")
        assert serious_violations(office) == []
        shots(office, "inbox")
        office.get_by_role("link", name=re.compile("Yêu cầu khắc phục mới")).click()
        office.wait_for_url(re.compile(rf"{base}/don-vi/PANLAC/#action-{action.pk}$"))
        assert bell(office) == "1"
        card = office.locator(f"#action-{action.pk}")
        card.get_by_label("Nội dung đã khắc phục").fill("Đã sắp xếp lại bàn làm việc")
        card.get_by_label("Ảnh minh chứng sau khắc phục").set_input_files(  # A1 needs a photo
            {"name": "sau.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
        )
        card.get_by_role("button", name="Gửi báo cáo khắc phục").click()
        office.wait_for_url(f"{base}/don-vi/PANLAC/")

        inspector.reload()
        assert bell(inspector) == "3"  # the unit's response to verify
        inspector.locator("header .bell").click()
        inspector.get_by_role("link", name=re.compile("Phường An Lạc đã báo cáo khắc phục")).click()
        inspector.wait_for_url(f"{base}/khac-phuc/{action.pk}/")
        assert bell(inspector) == "2"
        assert "Đã sắp xếp lại bàn làm việc" in inspector.content()
        assert serious_violations(inspector) == []
        shots(inspector, "action")
        inspector.get_by_role("button", name="Xác nhận đã khắc phục").click()
        inspector.wait_for_url(f"{base}/khac-phuc/{action.pk}/")
        assert "Đã xác nhận kết quả khắc phục." in inspector.content()

        office.reload()
        assert bell(office) == "2"  # the verdict on the response
        inspector.locator("header .bell").click()
        inspector.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
        inspector.wait_for_url(f"{base}/thong-bao/")
        assert bell(inspector) == "0"
        shots(inspector, "inbox-read")

        inspector.goto(f"{base}/thong-bao/cach-nhan/")
        assert serious_violations(inspector) == []
        shots(inspector, "preferences")
        inspector.get_by_role("group", name="Phân công và đợt kiểm tra").get_by_label(
            "Gộp vào thư tổng hợp hằng ngày"
        ).check()
        inspector.get_by_role("button", name="Lưu").click()
        assert "Đã lưu cách nhận thông báo." in inspector.content()
    finally:
        inspector_context.close()
        office_context.close()


def test_a_year_export_waits_on_its_page_then_offers_the_file(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    base = live_server.url
    log_in(phone, base, "lanhdao")
    phone.goto(f"{base}/xuat/ket-qua-nam/")
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Tạo tệp").click()
    phone.wait_for_url(re.compile(rf"{base}/xuat/[0-9a-f-]+/$"))
    assert phone.get_by_role("link", name="Tải tệp").is_visible()
    assert bell(phone) == "1"
    assert serious_violations(phone) == []
    shots(phone, "export")

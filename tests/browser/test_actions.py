"""The whole corrective-action loop in a browser: approval opens the action, the office
answers with a photo, the inspector reopens with a reason, the office answers again, and
Internal Affairs verifies; each step is on the action's timeline."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from inspections.models import CorrectiveAction
from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import both_sizes, log_in
from tests.inspections.builders import submitted_inspection

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def jpeg(colour: tuple[int, int, int]) -> dict[str, Any]:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG")
    return {"name": "sau.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def signed_in(browser: Any, base: str, username: str) -> Any:
    # Three people at once on one SQLite live server: no service worker fetching in the back.
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
    page = context.new_page()
    log_in(page, base, username)
    return page


def respond(page: Any, base: str, action: CorrectiveAction, note: str, colour: Any) -> None:
    page.goto(f"{base}/khac-phuc/{action.pk}/")
    page.get_by_label("Nội dung đã khắc phục").fill(note)
    page.get_by_label("Ảnh minh chứng sau khắc phục").set_input_files(jpeg(colour))
    page.get_by_role("button", name="Gửi báo cáo khắc phục").click()
    page.wait_for_url(f"{base}/khac-phuc/{action.pk}/")
    assert "Đã phản hồi — chờ xác minh" in page.content()


def test_the_whole_loop_from_approval_to_verification(
    live_server: Any, browser: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = submitted_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A5": (False, "Lối thoát hiểm bị chắn bởi thùng hàng")},
    )

    # 1. Internal Affairs approves: the failed ★ item A5 opens an action.
    affairs = signed_in(browser, base, "noivu")
    affairs.goto(f"{base}/duyet/{inspection.pk}/")
    affairs.get_by_role("button", name="Duyệt phiếu").click()
    affairs.wait_for_load_state()
    action = CorrectiveAction.objects.get(inspection=inspection, criterion__code="A5")
    assert action.status == CorrectiveAction.Status.OPEN

    # 2. The office finds it in its list, with its round, and answers with a photo.
    office = signed_in(browser, base, "panlac")
    office.get_by_role("link", name="Khắc phục", exact=True).click()
    office.wait_for_url(f"{base}/khac-phuc/")
    row = office.locator(".action-list li", has_text="A5")
    assert "Quý IV/2026" in row.inner_text()
    both_sizes(office, "actions-list")
    assert serious_violations(office) == []
    row.get_by_role("link").click()
    office.wait_for_url(f"{base}/khac-phuc/{action.pk}/")
    assert "Lối thoát hiểm bị chắn bởi thùng hàng" in office.content()
    both_sizes(office, "action-open")
    assert serious_violations(office) == []
    respond(office, base, action, "Đã chuyển thùng hàng vào kho", (40, 160, 90))

    # 3. The inspector sees before and after side by side and reopens it with a reason.
    inspector = signed_in(browser, base, "kiemtra1")
    inspector.goto(f"{base}/khac-phuc/{action.pk}/")
    compare = inspector.locator(".before-after")
    assert compare.get_by_role("img").count() == 2  # the inspector's photo, the unit's
    both_sizes(inspector, "action-verify")
    assert serious_violations(inspector) == []
    inspector.get_by_role("button", name="Yêu cầu khắc phục lại").click()
    assert inspector.url.endswith(f"/khac-phuc/{action.pk}/")  # the reason is required
    inspector.get_by_label("Điều còn phải khắc phục (bắt buộc)").fill(
        "Cầu thang tầng 2 vẫn còn thùng hàng"
    )
    inspector.get_by_role("button", name="Yêu cầu khắc phục lại").click()
    inspector.wait_for_load_state()
    assert "Đã yêu cầu đơn vị khắc phục lại." in inspector.content()

    # 4. The office reads what is missing and answers again.
    office.goto(f"{base}/khac-phuc/{action.pk}/")
    assert "Cầu thang tầng 2 vẫn còn thùng hàng" in office.content()
    respond(office, base, action, "Đã dọn cả cầu thang tầng 2", (90, 120, 200))

    # 5. Internal Affairs verifies; the timeline tells all five steps in order.
    affairs.goto(f"{base}/khac-phuc/{action.pk}/")
    affairs.get_by_role("button", name="Xác nhận đã khắc phục").click()
    affairs.wait_for_load_state()
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.VERIFIED
    steps = affairs.locator(".timeline > li strong").all_inner_texts()
    assert steps == [
        "Mở yêu cầu khắc phục khi duyệt phiếu",
        "Đơn vị báo cáo khắc phục",
        "Yêu cầu khắc phục lại",
        "Đơn vị báo cáo khắc phục",
        "Xác nhận đã khắc phục",
    ]
    both_sizes(affairs, "action-verified")
    assert serious_violations(affairs) == []
    for page in (affairs, office, inspector):
        page.context.close()

"""A person locked out after too many failed sign-ins reads, in Vietnamese, when to try again."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_checklist import serious_violations
from tests.factories import make_user

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def test_a_locked_out_sign_in_is_a_readable_page_with_a_way_back(
    live_server: Any, browser: Any, settings: Any
) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    make_user("kiemtra9", None, None)
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    for _ in range(3):
        page.get_by_label("Tên đăng nhập").fill("kiemtra9")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
    answer = sent.value
    assert answer.status == 429
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert page.evaluate("document.characterSet") == "UTF-8"

    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập sai quá nhiều lần")
    text = page.locator("main").inner_text()
    assert "Bạn có thể đăng nhập lại từ" in text and "phút nữa" in text
    assert "Ä" not in text and "º" not in text  # no UTF-8 read as Latin-1
    assert page.title() == "Đăng nhập sai quá nhiều lần — Công Sở Xanh"
    assert serious_violations(page) == []
    screenshot(page, "lockout-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "lockout-desktop")

    page.get_by_role("link", name="Quay lại trang đăng nhập").click()
    page.wait_for_url(f"{base}/dang-nhap/")
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    context.close()

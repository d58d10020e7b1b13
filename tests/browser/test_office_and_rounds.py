"""An office reads its result and answers an action; Internal Affairs runs a whole round."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from PIL import Image

from inspections import policies
from inspections.exports import HEADER_ROW
from inspections.models import CorrectiveAction, Inspection, Round
from inspections.selectors import ranking_for_round
from tests.accounts import code_for, totp_device
from tests.browser.conftest import screenshot
from tests.browser.test_checklist import PASSWORD, serious_violations
from tests.inspections.builders import approved_inspection, submitted_inspection

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


def log_in(page: Any, base: str, username: str) -> None:
    """Password, then the two-factor code where the account needs one; the role's home."""
    user = get_user_model().objects.get(username=username)
    device = totp_device(user) if policies.needs_verification(user) else None
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if device is not None:
        page.wait_for_url(f"{base}/xac-thuc/**")
        page.get_by_label("Mã xác thực").fill(code_for(device))
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url(f"{base}/")
    page.wait_for_load_state()


def both_sizes(page: Any, name: str) -> None:
    """A phone screenshot, then a desktop one, then back to the phone."""
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size({"width": 390, "height": 844})


def test_an_office_user_reads_its_result_and_answers_an_action(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    approved = approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": (1, "Bàn làm việc còn bừa bộn")},
        flagged=["A1"],
    )
    base = live_server.url
    log_in(phone, base, "panlac")
    phone.get_by_role("link", name="Đơn vị").click()
    phone.wait_for_url(f"{base}/don-vi/PANLAC/")
    assert f"{approved.score:.2f}".replace(".", ",") in phone.content()
    both_sizes(phone, "unit")
    assert serious_violations(phone) == []
    action = CorrectiveAction.objects.get(inspection=approved)
    card = phone.locator(f"#action-{action.pk}")
    card.get_by_label("Nội dung đã khắc phục").fill("Đã sắp xếp lại bàn làm việc")
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 40)).save(out, "JPEG")
    card.get_by_label("Ảnh minh chứng sau khắc phục").set_input_files(
        {"name": "sau.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}
    )
    card.get_by_role("button", name="Gửi báo cáo khắc phục").click()
    phone.wait_for_url(f"{base}/don-vi/PANLAC/")
    assert "Đã gửi báo cáo khắc phục." in phone.content()
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.RESPONDED


def test_internal_affairs_runs_a_round_from_creation_to_the_ranking_file(
    live_server: Any, phone: Any, version: Any, org: Any, cast: Any
) -> None:
    page, base = phone, live_server.url
    log_in(page, base, "noivu")
    page.get_by_role("link", name="Đợt kiểm tra").click()
    page.get_by_label("Tên đợt").fill("Quý I/2027")
    page.get_by_label("Phiên bản mô hình").select_option(str(version.pk))
    page.get_by_label("Ngày bắt đầu").fill("2026-01-01")
    page.get_by_label("Ngày kết thúc").fill("2026-03-31")
    both_sizes(page, "rounds")
    page.get_by_role("button", name="Tạo đợt").click()
    page.get_by_role("button", name="Mở đợt").click()
    round_ = Round.objects.get(name="Quý I/2027")
    assert round_.status == Round.Status.OPEN
    assigning = page.get_by_role("region", name="Phân công kiểm tra")
    assigning.get_by_label("Cán bộ kiểm tra").select_option(str(cast.other_inspector.pk))
    assigning.get_by_label("Phường An Lạc").check()
    assigning.get_by_label("Trường Tiểu học An Lạc").check()
    page.get_by_role("button", name="Phân công").click()
    assert round_.assignments.count() == 2
    for unit in (org.ward, org.school):
        submitted_inspection(
            round_, unit, cast.other_inspector, internal_affairs=cast.internal_affairs
        )
    page.reload()
    assert page.locator(".board").inner_text().count("Đã nộp") == 2
    both_sizes(page, "round-board")

    page.get_by_role("link", name="Duyệt phiếu").click()
    both_sizes(page, "review-queue")
    page.get_by_role("link", name="Phường An Lạc").click()
    both_sizes(page, "review-inspection")
    page.get_by_role("button", name="Duyệt phiếu").click()
    page.get_by_role("link", name="Trường Tiểu học An Lạc").click()
    page.get_by_label("Lý do trả lại").fill("Ảnh A1 bị mờ")
    page.locator("label[for='r-A1']").click()
    page.get_by_role("button", name="Trả lại", exact=True).click()
    ward = Inspection.objects.get(round=round_, unit=org.ward)
    school = Inspection.objects.get(round=round_, unit=org.school)
    assert ward.state == Inspection.State.APPROVED
    assert (school.state, school.returned_criteria) == (Inspection.State.RETURNED, ["A1"])

    page.goto(f"{base}/dot/{round_.pk}/")
    page.get_by_role("link", name="Khóa đợt").click()
    assert "Trường Tiểu học An Lạc" in page.locator("#p-returned + table").inner_text()
    page.locator("label[for='confirm']").click()
    page.get_by_role("button", name="Khóa đợt").click()
    page.get_by_role("link", name="Công bố bảng xếp hạng").click()
    page.get_by_label("Lý do công bố khi chưa duyệt hết").fill("Trường An Lạc còn sửa ảnh A1")
    page.locator("label[for='confirm']").click()
    page.get_by_role("button", name="Công bố bảng xếp hạng").click()
    assert round_.snapshots.get().reason == "Trường An Lạc còn sửa ảnh A1"
    page.get_by_role("link", name="Bảng xếp hạng").click()
    both_sizes(page, "ranking")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Tải Excel (XLSX)").click()
    download = caught.value
    assert download.suggested_filename == f"xep-hang-{round_.pk}.xlsx"
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    groups = ranking_for_round(round=round_)
    assert len(workbook.worksheets) == len(groups)
    for sheet, group in zip(workbook.worksheets, groups, strict=True):
        for position, row in enumerate(group.rows, 1):
            line = HEADER_ROW + position
            assert sheet.cell(line, 1).value == position
            assert sheet.cell(line, 2).value == (row.rank or "Chưa xếp hạng")
            assert sheet.cell(line, 3).value == row.unit_code
            assert sheet.cell(line, 4).value == row.unit_name
            score = sheet.cell(line, 5).value
            expected = row.score
            assert (Decimal(str(score)) if score is not None else None) == expected
            assert sheet.cell(line, 6).value == (row.classification_name or None)


def test_the_dashboard_commitments_and_import_pages_read_well_at_both_sizes(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    base = live_server.url
    log_in(phone, base, "noivu")
    for name, link in (
        ("dashboard", "Tổng quan"),
        ("commitments", "Cam kết"),
        ("import", "Nhập dữ liệu"),
    ):
        phone.get_by_role("navigation").get_by_role("link", name=link, exact=True).click()
        phone.wait_for_load_state()
        both_sizes(phone, name)
        assert serious_violations(phone) == [], name

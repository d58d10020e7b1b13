"""People and accounts in a real browser: invitations from an imported workbook (through a
real SMTP server on loopback), reset by e-mail, a forced change, two-factor enrolment and
sign-in, and the warning before signing out with unsent answers. Each new page is looked at
on a phone and on a desktop, and axe finds no serious or critical violation on it."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from inspections.models import Invitation, Profile
from inspections.services import accounts
from tests.accounts import code_for, totp_device
from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.browser.test_checklist import PASSWORD, serious_violations

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
NEW_PASSWORD = "Xanh-sach-dep-2027"
LINK = re.compile(r"https?://\S+")


def look(page: Any, name: str) -> None:
    """The page at phone and at desktop width (whole page), and no serious axe finding."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.wait_for_load_state()
    for size, suffix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        path = Path(SCREENSHOTS / f"accounts-{name}-{suffix}.png")
        page.screenshot(path=str(path), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name} overflows at {size['width']}px: {width}px"
    assert serious_violations(page) == [], name
    page.set_viewport_size(PHONE)


def new_page(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    return context, context.new_page()


def sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def sign_in_with_code(page: Any, base: str, username: str) -> None:
    device = totp_device(get_user_model().objects.get(username=username))
    sign_in(page, base, username)
    page.wait_for_url(f"{base}/xac-thuc/**")
    page.get_by_label("Mã xác thực").fill(code_for(device))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base}/**")
    page.wait_for_load_state()


def set_new_password(page: Any) -> None:
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)


def workbook_bytes() -> bytes:
    book = Workbook()
    units = book.active
    assert units is not None
    units.title = "Don vi"
    units.append(["Mã", "Tên", "Cấp trên", "Khối", "Hiệu lực"])
    people = book.create_sheet("Nguoi dung")
    people.append(["Tên đăng nhập", "Họ và tên", "Email", "Vai trò", "Mã đơn vị"])
    people.append(["nguyenthuha", "Nguyễn Thị Thu Hà", "ha@example.vn", "office", "PANLAC"])
    people.append(["leminhtuan", "Lê Minh Tuấn", "tuan@example.vn", "inspector", "SNV"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_imported_people_are_invited_by_mail_and_one_sets_a_password(
    live_server: Any, browser: Any, cast: Any, smtp: Any, settings: Any
) -> None:
    base = settings.SITE_URL = live_server.url
    context, page = new_page(browser)
    sign_in_with_code(page, base, "noivu")
    look(page, "home-internal-affairs")
    page.get_by_role("link", name="Nhập dữ liệu").click()
    page.get_by_label("Tệp .xlsx theo mẫu").set_input_files(
        {
            "name": "nguoi-dung.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": workbook_bytes(),
        }
    )
    page.get_by_label("Nhập thật (tất cả hoặc không gì)").check()
    page.get_by_role("button", name="Tải lên").click()
    page.wait_for_load_state()
    assert get_user_model().objects.filter(username__in=["nguyenthuha", "leminhtuan"]).count() == 2

    mails = {str(m["To"]): m for m in smtp.messages}
    assert set(mails) == {"ha@example.vn", "tuan@example.vn"}
    for message in mails.values():
        assert str(message["Subject"]).strip().startswith("Lời mời tham gia Công Sở Xanh")
        text = smtp.text_of(message)
        assert "Tên đăng nhập" in text and "Kính gửi" in text
        assert LINK.search(smtp.html_of(message))
    ha_link = LINK.findall(smtp.text_of(mails["ha@example.vn"]))[0].rstrip(".")
    tuan_link = LINK.findall(smtp.text_of(mails["tuan@example.vn"]))[0].rstrip(".")
    assert ha_link.startswith(f"{base}/moi/")

    page.get_by_role("link", name="Người dùng").click()
    look(page, "people-list")
    page.get_by_role("link", name="Nguyễn Thị Thu Hà").click()
    look(page, "person-edit")
    page.goto(f"{base}/nguoi-dung/them/")
    look(page, "person-add")
    page.goto(f"{base}/nguoi-dung/")
    page.get_by_label("Chọn Nguyễn Thị Thu Hà").check()
    page.get_by_role("button", name="In phiếu mời cho người đã chọn").click()
    page.wait_for_load_state()
    look(page, "invitation-sheet")
    expect(page.locator("img, svg").first).to_be_visible()
    context.close()
    # The printed sheet made a new link for whoever was ticked; mail Hà a fresh one if so.
    ha = get_user_model().objects.get(username="nguyenthuha")
    if Invitation.objects.filter(user=ha, revoked_at__isnull=False).exists():
        smtp.raw.clear()
        accounts.invitation_send(by=cast.internal_affairs, user=ha)
        ha_link = LINK.findall(smtp.text_of(smtp.messages[0]))[0].rstrip(".")

    context, person = new_page(browser)
    person.goto(ha_link)
    expect(person.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu")
    assert "Nguyễn Thị Thu Hà" in person.locator("main").inner_text()
    look(person, "invitation-set-password")
    set_new_password(person)
    person.get_by_role("button", name="Đặt mật khẩu và vào Công Sở Xanh").click()
    person.wait_for_url(f"{base}/don-vi/**")
    assert "Đã đặt mật khẩu" in person.locator("main").inner_text()

    reused = person.goto(ha_link)
    assert reused.status == 410
    expect(person.get_by_role("heading", level=1)).to_have_text("Liên kết không dùng được")
    assert "đã được dùng" in person.locator("main").inner_text()

    Invitation.objects.filter(user__username="leminhtuan").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    expired = person.goto(tuan_link)
    assert expired.status == 410
    expect(person.get_by_role("heading", level=1)).to_have_text("Liên kết không dùng được")
    assert "đã hết hạn" in person.locator("main").inner_text()
    look(person, "invitation-expired")
    context.close()


def test_a_forgotten_password_is_reset_by_mail(
    live_server: Any, browser: Any, cast: Any, smtp: Any, settings: Any
) -> None:
    base = settings.SITE_URL = live_server.url
    cast.ward_office.email = "vanphong@example.vn"
    cast.ward_office.save()
    context, page = new_page(browser)
    page.goto(f"{base}/dang-nhap/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.wait_for_url(f"{base}/quen-mat-khau/")
    look(page, "reset-request")
    page.get_by_label("Email").fill("vanphong@example.vn")
    page.get_by_role("button", name="Gửi liên kết").click()
    page.wait_for_url(f"{base}/quen-mat-khau/da-gui/")
    look(page, "reset-sent")
    [message] = smtp.messages
    link = LINK.findall(smtp.text_of(message))[0].rstrip(".")
    page.goto(link)
    set_new_password(page)
    look(page, "reset-set-password")
    page.get_by_role("button").filter(has_text="mật khẩu").first.click()
    page.wait_for_url(f"{base}/dat-lai-mat-khau/xong/")
    look(page, "reset-done")
    sign_in(page, base, "panlac", NEW_PASSWORD)
    page.wait_for_url(f"{base}/don-vi/**")
    context.close()


def test_a_password_set_by_someone_else_is_changed_at_the_next_sign_in(
    live_server: Any, browser: Any, cast: Any
) -> None:
    base = live_server.url
    accounts.password_set_by_admin(
        by=cast.internal_affairs, user=cast.ward_office, password="Tam-thoi-2027"
    )
    context, page = new_page(browser)
    sign_in(page, base, "panlac", "Tam-thoi-2027")
    page.wait_for_url(f"{base}/tai-khoan/mat-khau/**")
    look(page, "password-forced")
    page.locator("input[name=old_password]").fill("Tam-thoi-2027")
    set_new_password(page)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_url(f"{base}/tai-khoan/")
    assert not Profile.objects.get(user=cast.ward_office).must_change_password
    look(page, "account")
    page.get_by_role("link", name="Đổi mật khẩu").click()
    look(page, "password-change")
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/don-vi/**")
    context.close()


def test_internal_affairs_enrols_an_authenticator_then_signs_in_with_its_code(
    live_server: Any, browser: Any, cast: Any
) -> None:
    base = live_server.url
    context, page = new_page(browser)
    sign_in(page, base, "noivu")
    page.wait_for_url(f"{base}/xac-thuc/dang-ky/**")
    look(page, "two-factor-enrol")
    qr = page.locator("main img").first
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 160  # big enough for a phone camera
    device = cast.internal_affairs.totpdevice_set.get()
    page.get_by_label("Mã xác thực").fill(code_for(device))
    page.get_by_role("button", name="Bật").click()
    page.wait_for_load_state()
    look(page, "two-factor-recovery-codes")
    device.refresh_from_db()
    assert device.confirmed
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{base}/dang-nhap/**")

    sign_in(page, base, "noivu")
    page.wait_for_url(f"{base}/xac-thuc/**")
    look(page, "two-factor-sign-in")
    device.refresh_from_db()
    # The code of the next time step: the one just used for enrolment cannot be used again.
    from django_otp.oath import totp

    step = totp(device.bin_key, step=device.step, t0=device.t0 - device.step, digits=6)
    page.get_by_label("Mã xác thực").fill(f"{step:06d}")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()


QUEUE_ONE = """() => new Promise((resolve, reject) => {
  const request = indexedDB.open("csx-offline", 1);
  request.onupgradeneeded = () => request.result
    .createObjectStore("queue", { keyPath: "id" }).createIndex("scope", "scope");
  request.onsuccess = () => {
    const tx = request.result.transaction("queue", "readwrite");
    tx.objectStore("queue").put({ id: "a1", scope: "/api/v1/x/", seq: 1, body: "1" });
    tx.oncomplete = () => { request.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
  request.onerror = () => reject(request.error);
})"""


def test_signing_out_warns_first_when_answers_wait_to_be_sent(
    live_server: Any, browser: Any, cast: Any
) -> None:
    base = live_server.url
    context, page = new_page(browser)
    sign_in(page, base, "kiemtra1")
    page.wait_for_url(f"{base}/")
    page.evaluate(QUEUE_ONE)
    said: list[str] = []

    def dismiss(dialog: Any) -> None:
        said.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_timeout(300)
    assert said and said[0].startswith("Còn 1 mục (câu trả lời, ảnh) chưa gửi")
    assert page.url == f"{base}/"

    def accept(dialog: Any) -> None:
        said.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{base}/dang-nhap/**")
    assert len(said) == 2
    page.goto(f"{base}/viec-cua-toi/")
    page.wait_for_url(f"{base}/dang-nhap/**")
    context.close()


def test_signing_out_with_an_empty_queue_asks_nothing(
    live_server: Any, browser: Any, cast: Any
) -> None:
    base = live_server.url
    context, page = new_page(browser)
    sign_in(page, base, "kiemtra1")
    said: list[str] = []
    page.on("dialog", lambda dialog: (said.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{base}/dang-nhap/**")
    assert said == []
    context.close()

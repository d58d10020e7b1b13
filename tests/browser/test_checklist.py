"""Long scenarios on a phone-sized Chromium: a whole inspection, with and without JavaScript."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from inspections.models import Criterion, Inspection
from tests.browser.conftest import screenshot
from tests.inspections.builders import assign, attach_evidence

pytestmark = pytest.mark.browser

PASSWORD = "matkhau-thu-nghiem"


def phone_jpeg() -> dict[str, Any]:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 140, 80)).save(out, "JPEG", quality=80)
    return {"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("kiemtra1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def answer_on_page(page: Any, criterion: Criterion, *, submit: bool) -> None:
    """Full marks through the controls a person would use; N/A (with its note) on B7."""
    code, article = criterion.code, page.locator(f"#c-{criterion.code}")
    if code == "B7":
        article.locator(f"label[for='v-{code}-na']").click()
        article.get_by_label("Ghi chú").fill("Cơ quan không có khu vực này")
        if not submit:
            article.get_by_label("Ghi chú").blur()
    elif criterion.answer_type == "yes_no":
        article.locator(f"label[for='v-{code}-yes']").click()
    elif criterion.answer_type == "level":
        article.locator(f"label[for='v-{code}-4']").click()
    else:
        field = article.get_by_label("Tỷ lệ (%)")
        field.fill("100")
        if not submit:
            field.blur()
    if submit:
        article.get_by_role("button", name=f"Lưu {code}").click()
        page.wait_for_load_state()


def criteria(inspection: Inspection) -> list[Criterion]:
    return list(
        Criterion.objects.filter(version_id=inspection.round.version_id).order_by(
            "section__order", "order", "code"
        )
    )


def start_from_my_work(page: Any, base: str, cast: Any) -> Inspection:
    page.get_by_role("button", name="Bắt đầu chấm").click()
    page.wait_for_url("**/phieu/**")
    return Inspection.objects.get(inspector=cast.inspector)


def submit_refused_then_done(page: Any, inspection: Inspection, cast: Any, js: bool) -> None:
    page.get_by_role("link", name="Xem lại và nộp phiếu").click()
    page.wait_for_url("**/nop/")
    assert page.locator(".problems a[href$='#c-A2']").count() == 1
    page.get_by_role("button", name="Nộp phiếu").click()
    assert "Chưa nộp được" in page.locator("[role=alert]").inner_text()
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.DRAFT
    # The missing evidence of A2 from the gallery, through its place on the checklist.
    page.locator(".problems a[href$='#c-A2']").click()
    page.locator("#gal-A2").set_input_files(phone_jpeg())
    if js:
        page.wait_for_selector("#c-A2 [data-status][data-state=saved]")
        page.wait_for_selector("#c-A2 .thumbs li[data-state=saved] button")
    else:
        page.locator("#c-A2").get_by_role("button", name="Lưu A2").click()
        page.wait_for_load_state()
    assert page.locator("#c-A2 .thumbs img").count() == 1
    page.goto(page.url.split("#")[0] + "nop/")
    page.get_by_role("button", name="Nộp phiếu").click()
    page.wait_for_url("**/ket-qua/")
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED
    assert page.locator("[data-total-score]").inner_text() in ("100.00", "100,00")


def test_an_inspector_fills_a_whole_inspection_on_a_phone_with_javascript(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    base = live_server.url
    log_in(phone, base)
    screenshot(phone, "my-work")
    assert serious_violations(phone) == []
    inspection = start_from_my_work(phone, base, cast)
    for criterion in criteria(inspection):
        answer_on_page(phone, criterion, submit=False)
    # The first upload reaches the server but its answer is lost: the queue retries with the
    # same client id, and the server keeps one photo.
    lost: list[str] = []

    def lose_first_answer(route: Any) -> None:
        if lost:
            route.continue_()
            return
        lost.append(route.request.url)
        route.fetch()
        route.abort()

    phone.route("**/photos/", lose_first_answer)
    phone.locator("#cam-A1").set_input_files(phone_jpeg())
    phone.wait_for_selector("#c-A1 .thumbs li[data-state=saved] button")
    phone.unroute("**/photos/")
    assert lost
    # expect() polls from Playwright's own world; wait_for_function strings break under our CSP.
    expect(phone.locator("[data-progress]")).to_have_text("32")
    expect(phone.locator("[data-status][data-state=saving]")).to_have_count(0)
    assert phone.locator("[data-status][data-state=failed]").count() == 0
    assert inspection.answers.filter(points__isnull=False).count() == 31  # B7 is N/A
    assert inspection.photos.get().criterion.code == "A1"
    # The photos nobody needs to watch being taken: every other piece of evidence but A2's.
    attach_evidence(inspection, cast.inspector, skip=["A1", "A2", "B7"])
    phone.reload()
    phone.locator("#c-A1").scroll_into_view_if_needed()
    screenshot(phone, "checklist")
    assert serious_violations(phone) == []
    phone.get_by_role("link", name="Xem lại và nộp phiếu").click()
    phone.wait_for_url("**/nop/")
    screenshot(phone, "review")
    assert serious_violations(phone) == []
    phone.go_back()
    submit_refused_then_done(phone, inspection, cast, js=True)
    screenshot(phone, "result")


def test_the_same_inspection_works_as_plain_forms_without_javascript(
    live_server: Any, phone_without_js: Any, open_round: Any, org: Any, cast: Any
) -> None:
    page = phone_without_js
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    base = live_server.url
    log_in(page, base)
    inspection = start_from_my_work(page, base, cast)
    page.locator("#cam-A1").set_input_files(phone_jpeg())
    for criterion in criteria(inspection):
        answer_on_page(page, criterion, submit=True)
    assert page.locator("[data-progress]").inner_text() == "32"
    assert inspection.photos.get().criterion.code == "A1"
    attach_evidence(inspection, cast.inspector, skip=["A1", "A2", "B7"])
    page.reload()
    screenshot(page, "checklist-no-js")
    submit_refused_then_done(page, inspection, cast, js=False)

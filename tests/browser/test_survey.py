"""The citizens' survey end to end on phone-sized Chromium: the office prints a desk's poster,
a citizen opens its QR link without JavaScript and answers, Internal Affairs sees the count
grow, and the inspector accepts the D2 proposal with its evidence."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from inspections.documents.qr import qr_data_uri
from inspections.models import Answer, EvidencePhoto, SurveyPoint, SurveyResponse
from inspections.services import inspection_create, round_create
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_checklist import log_in as log_in_inspector
from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import log_in
from tests.inspections.builders import assign

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


def both_sizes(page: Any, name: str) -> None:
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)


def test_poster_to_answer_to_count_to_the_d2_proposal(
    live_server: Any,
    browser: Any,
    phone: Any,
    phone_without_js: Any,
    version: Any,
    org: Any,
    cast: Any,
    settings: Any,
) -> None:
    cache.clear()
    settings.SITE_URL = live_server.url
    settings.SURVEY_MIN_RESPONSES = 1
    base = live_server.url
    today = timezone.localdate()
    round_ = round_create(
        by=cast.internal_affairs,
        name="Đợt khảo sát",
        version=version,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        open_now=True,
    )

    # The ward's office creates its desk and prints the poster.
    log_in(phone, base, "panlac")
    phone.goto(f"{base}/khao-sat/")
    phone.get_by_label("Quầy, bộ phận").fill("Bộ phận một cửa")
    phone.get_by_role("button", name="Tạo điểm khảo sát").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Bộ phận một cửa")
    point = SurveyPoint.objects.get(unit=org.ward)
    phone.get_by_role("link", name="In áp phích").click()
    qr = phone.get_by_role("img", name="Mã QR của phiếu khảo sát")
    url = qr.get_attribute("data-url")
    assert url == f"{base}/y-kien/{point.token}/"
    assert qr.get_attribute("src") == qr_data_uri(url, scale=8)  # the code says this address
    both_sizes(phone, "survey-poster")
    phone.emulate_media(media="print")
    expect(phone.get_by_role("link", name="Quay lại")).to_be_hidden()
    phone.emulate_media(media="screen")

    # A citizen, on a phone without JavaScript, opens the link and answers.
    citizen = phone_without_js
    responses: list[Any] = []

    def seen(response: Any) -> None:
        responses.append(response)

    citizen.on("response", seen)
    citizen.goto(url)
    citizen.remove_listener("response", seen)
    # Bytes on the wire: every response's body and headers (uncompressed: an upper bound).
    weight = {r.url: len(r.body()) + len(str(r.all_headers())) for r in responses}
    print(f"survey page weight: {sum(weight.values())} bytes in {len(weight)} responses {weight}")
    assert sum(weight.values()) < 30_000, weight
    both_sizes(citizen, "survey-public")
    citizen.locator("label[for='id_satisfaction_0']").click()  # Rất hài lòng
    citizen.locator("label[for='id_on_time_0']").click()
    citizen.locator("label[for='id_attitude_0']").click()
    citizen.get_by_label("Góp ý thêm (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình")
    citizen.get_by_role("button", name="Gửi ý kiến").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Cảm ơn ông/bà")
    both_sizes(citizen, "survey-thanks")
    response = SurveyResponse.objects.get(point=point)
    assert (response.satisfaction, response.on_time, response.counted) == (5, True, True)

    # Internal Affairs sees the count grow; axe finds nothing serious on the public page.
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    noivu = context.new_page()
    log_in(noivu, base, "noivu")
    noivu.goto(f"{base}/khao-sat/")
    expect(noivu.locator(f"[data-count='{point.pk}']")).to_have_text("1")
    both_sizes(noivu, "survey-points")
    noivu.goto(f"{base}/khao-sat/tong-hop/")
    expect(noivu.get_by_role("cell", name=re.compile(r"^100,0\s?% \(1\)$"))).to_be_visible()
    both_sizes(noivu, "survey-overview")
    noivu.goto(f"{base}/khao-sat/mot-cua/")
    expect(noivu.get_by_role("link", name="Tải tệp mẫu (.xlsx)")).to_be_visible()
    both_sizes(noivu, "survey-onestop")
    noivu.goto(f"{base}/khao-sat/{point.pk}/")
    expect(noivu.locator("[data-answers]")).to_have_text("1")
    both_sizes(noivu, "survey-point")
    noivu.goto(url)
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(noivu).response
    print(
        "axe on the survey page:",
        len(found["passes"]),
        "rules pass; violations:",
        [(v["id"], v["impact"]) for v in found["violations"]],
    )
    assert serious_violations(noivu) == []
    context.close()

    # The inspector finds D2 proposed on the checklist and accepts it with the evidence.
    assign(round_, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(by=cast.inspector, round=round_, unit=org.ward)
    inspector = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    log_in_inspector(inspector, base)
    inspector.goto(f"{base}/phieu/{inspection.pk}/#c-D2")
    d2 = inspector.locator("#c-D2")
    expect(d2.locator("[data-proposal]")).to_contain_text("1/1 ý kiến hài lòng")
    d2.locator("[data-proposal]").scroll_into_view_if_needed()
    both_sizes(inspector, "survey-d2-proposal")
    d2.get_by_role("button", name="Dùng 100,0% kèm minh chứng").click()
    expect(inspector.locator("#c-D2 [data-proposal]")).to_contain_text("Đã dùng giá trị đề xuất")
    expect(inspector.locator("#c-D2 a.doc")).to_have_count(1)
    answer = Answer.objects.get(inspection=inspection, criterion__code="D2")
    assert answer.number == Decimal("100.0")
    photo = EvidencePhoto.objects.get(inspection=inspection, criterion__code="D2")
    assert photo.content_type == "application/pdf"
    inspector.context.close()

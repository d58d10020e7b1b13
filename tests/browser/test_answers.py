"""The answer contract on a phone-sized Chromium: the checklist with JavaScript refuses what
does not fit before it is queued, with the server's own message; without JavaScript the
server says the same (tests/web/test_answer_doors.py covers the API and the revise form)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from inspections.answers import message_for
from inspections.models import Answer, Inspection
from inspections.services import inspection_create
from tests.browser.test_checklist import log_in, serious_violations
from tests.browser.test_office_and_rounds import log_in as log_in_as
from tests.inspections.builders import approved_inspection, assign

pytestmark = pytest.mark.browser

TYPED_IN_D1 = [
    ("²", "wrong_type"),
    ("①", "wrong_type"),
    ("٩٨", "wrong_type"),
    ("101", "out_of_range"),
    ("abc", "wrong_type"),
    ("92,55", "too_many_decimals"),
    ("-1", "out_of_range"),
]
# Controls a stale or tampered page could hold: (radio, the value it is made to carry).
TAMPERED = [
    ("A1", "v-A1-4", "5", "out_of_range", "level"),
    ("A5", "v-A5-yes", "maybe", "wrong_type", "yes_no"),
    ("A5", "v-A5-no", "na", "na_not_allowed", "yes_no"),
]


def open_checklist(page: Any, base: str, open_round: Any, org: Any, cast: Any) -> Inspection:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    log_in(page, base)
    page.goto(f"{base}/phieu/{inspection.pk}/")
    return inspection


def test_with_javascript_what_does_not_fit_is_refused_with_the_servers_message(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    inspection = open_checklist(phone, live_server.url, open_round, org, cast)
    field = phone.locator("#v-D1")
    for typed, code in TYPED_IN_D1:
        field.fill(typed)
        field.blur()
        expect(phone.locator("#e-D1")).to_have_text("⚠ " + message_for(code, "percent"))
        expect(phone.locator("#c-D1 [data-status]")).to_have_attribute("data-state", "failed")
    for criterion, radio, value, code, kind in TAMPERED:
        phone.locator(f"#{radio}").evaluate("(input, value) => { input.value = value; }", value)
        phone.locator(f"label[for='{radio}']").click()
        expect(phone.locator(f"#e-{criterion}")).to_have_text("⚠ " + message_for(code, kind))
    expect(phone.locator("[data-waiting]")).to_be_hidden()  # nothing was queued
    assert not Answer.objects.filter(inspection=inspection).exists()
    # A value that fits clears the message and is saved.
    field.fill("92,5")
    field.blur()
    expect(phone.locator("#e-D1")).to_have_count(0)
    expect(phone.locator("#c-D1 [data-status]")).to_have_attribute("data-state", "saved")
    assert Answer.objects.get(inspection=inspection, criterion__code="D1").number == 92.5


def test_without_javascript_the_server_says_the_same(
    live_server: Any, phone_without_js: Any, open_round: Any, org: Any, cast: Any
) -> None:
    page = phone_without_js
    inspection = open_checklist(page, live_server.url, open_round, org, cast)
    for typed, code in TYPED_IN_D1:
        page.locator("#v-D1").fill(typed)
        page.locator("#c-D1").get_by_role("button", name="Lưu D1").click()
        page.wait_for_load_state()
        expect(page.locator("#e-D1")).to_have_text("⚠ " + message_for(code, "percent"))
        expect(page.locator("#v-D1")).to_have_value(typed)  # what was typed stays
    assert not Answer.objects.filter(inspection=inspection).exists()


def test_internal_affairs_revises_with_the_checklists_controls_without_javascript(
    live_server: Any, phone: Any, phone_without_js: Any, open_round: Any, org: Any, cast: Any
) -> None:
    page, base = phone_without_js, live_server.url
    approved = approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    log_in_as(phone, base, "noivu")  # axe-core needs JavaScript to look at the page
    phone.goto(f"{base}/duyet/{approved.pk}/")
    assert serious_violations(phone) == []
    page.context.add_cookies(phone.context.cookies())  # the same session, no second code
    page.goto(f"{base}/duyet/{approved.pk}/")
    page.locator("label[for='v-A1-2']").click()  # a level, chosen as on the checklist
    page.locator("#n-A1").fill("Còn giấy tờ trên bàn")
    page.locator("label[for='v-A5-no']").click()
    page.locator("#v-D1").fill("92,55")
    page.get_by_label("Lý do điều chỉnh").fill("Phúc tra")
    page.get_by_role("button", name="Lưu điều chỉnh").click()
    page.wait_for_load_state()
    expect(page.locator("#e-D1")).to_have_text("⚠ " + message_for("too_many_decimals", "percent"))
    expect(page.locator("#v-A1-2")).to_be_checked()  # what was chosen stays
    approved.refresh_from_db()
    assert approved.revision == 1
    page.locator("#v-D1").fill("92,5")
    page.get_by_role("button", name="Lưu điều chỉnh").click()
    page.wait_for_load_state()
    approved.refresh_from_db()
    answers = {a.criterion.code: a for a in approved.answers.select_related("criterion")}
    assert (approved.revision, answers["A1"].level, answers["A1"].note) == (
        2,
        2,
        "Còn giấy tờ trên bàn",
    )
    assert (answers["A5"].yes_no, answers["D1"].number) == (False, Decimal("92.5"))
    assert approved.critical_failures == ["A5"]
    expect(page.locator("#c-A5")).to_have_class("card crit--error")  # as the service stored it

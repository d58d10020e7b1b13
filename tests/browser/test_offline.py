"""Offline field mode in Debian's Chromium: no signal while answering, a reload with no
signal, then the sync: every answer and photo reaches the server exactly once.

`context.set_offline(True)` does not cover the service worker's own fetches, so "no signal"
here is set_offline plus a route that aborts every request to the live server; what the
service worker serves from its cache never reaches the network, so it still loads.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from typing import Any

import pytest
from playwright.sync_api import expect

from inspections.models import Event, Inspection
from inspections.services import round_close
from tests.browser.test_checklist import PASSWORD, answer_on_page, criteria, phone_jpeg
from tests.inspections.builders import assign, attach_evidence
from web.offline import STATIC_FILES

pytestmark = pytest.mark.browser

CACHED_BYTES = """async () => {
  let entries = 0, bytes = 0, parts = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      const kind = path.startsWith("/static/") ? "static"
        : path.startsWith("/api/") ? "thumbnails" : "pages";
      // The worker may replace an entry between keys() and match(): count it next time.
      const response = await cache.match(request);
      if (!response) continue;
      const size = (await response.blob()).size;
      entries += 1;
      bytes += size;
      parts[kind] = (parts[kind] || 0) + size;
    }
  }
  return [entries, bytes, parts];
}"""


def log_in(page: Any, base: str, then: str = "/") -> None:
    page.get_by_label("Tên đăng nhập").fill("kiemtra1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}{then}")


def open_assignment_online(page: Any, base: str, open_round: Any, org: Any, cast: Any) -> Any:
    """Sign in, start the inspection, and let the service worker take the page over."""
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    page.goto(f"{base}/dang-nhap/")
    log_in(page, base)
    page.get_by_role("button", name="Bắt đầu chấm").click()
    page.wait_for_url("**/phieu/**")
    inspection = Inspection.objects.get(inspector=cast.inspector)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    # Never wait_for_function: its polling evaluates strings, which our CSP forbids.
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    wait_until_cached(page, 3 + len(STATIC_FILES))
    # Evidence nobody needs to watch being taken: all but the two photos taken offline.
    # Written while the page is quiet: the live server shares the test's SQLite connection.
    attach_evidence(inspection, cast.inspector, skip=["A1", "A2", "B7"])
    page.reload()
    wait_until_cached(page, 3 + len(STATIC_FILES) + inspection.photos.count())
    return inspection


def wait_until_cached(page: Any, entries: int) -> None:
    for _ in range(100):
        if page.evaluate(CACHED_BYTES)[0] >= entries:
            page.wait_for_load_state("networkidle")
            return
        time.sleep(0.1)
    pytest.fail(f"the service worker never cached {entries} responses")


def cut_network(page: Any, base: str) -> list[str]:
    aborted: list[str] = []

    def abort(route: Any) -> None:
        aborted.append(route.request.url)
        route.abort()

    page.context.set_offline(True)
    page.context.route(f"{base}/**", abort)
    return aborted


def restore_network(page: Any) -> None:
    page.context.unroute_all()
    page.context.set_offline(False)  # the page hears "online" and sends at once


def fill_everything(page: Any, inspection: Inspection) -> None:
    for criterion in criteria(inspection):
        answer_on_page(page, criterion, submit=False)
        if criterion.code == "A2":
            page.locator("#cam-A1").set_input_files(phone_jpeg())
            page.locator("#gal-A2").set_input_files(phone_jpeg())


def assert_everything_arrived_once(inspection: Inspection) -> None:
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED
    assert inspection.answers.count() == 32
    assert inspection.answers.get(criterion__code="B7").not_applicable
    photos = Counter(inspection.photos.values_list("criterion__code", flat=True))
    assert photos["A1"] == 1 and photos["A2"] == 1
    sent = Counter(
        e.data["criterion"]
        for e in Event.objects.filter(action="answer_set", object_id=str(inspection.pk))
    )
    # One PUT per change the inspector made: B7's N/A, then its note.
    assert sent == {c.code: 2 if c.code == "B7" else 1 for c in criteria(inspection)}
    added = Event.objects.filter(action="photo_added", object_id=str(inspection.pk))
    assert added.count() == sum(photos.values())


def test_an_inspection_made_with_no_signal_survives_a_reload_and_is_sent_once(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_assignment_online(phone, base, open_round, org, cast)
    entries, size, parts = phone.evaluate(CACHED_BYTES)
    print(f"\noffline cache: {entries} responses, {size} bytes ({size / 1024:.1f} KiB): {parts}")
    # "Việc của tôi", the checklist and its team page (signatures), the scripts, the thumbnails.
    assert entries == 3 + len(STATIC_FILES) + inspection.photos.count()

    aborted = cut_network(phone, base)
    fill_everything(phone, inspection)
    phone.get_by_role("button", name="Nộp phiếu, kể cả khi chưa có mạng").click()
    expect(phone.locator("[data-submit-state]")).to_have_text("Sẽ nộp khi có mạng")
    expect(phone.locator("#c-A3 [data-status]")).to_contain_text("Đã lưu trên máy, chưa gửi")
    # Every criterion (B7 changed twice is one), the two photos; the submit has its own line.
    expect(phone.locator("[data-waiting-count]")).to_have_text("32 tiêu chí, 2 ảnh")
    assert inspection.answers.count() == 0

    phone.reload()  # from the worker's cache: it tried the network and was refused
    assert any("/phieu/" in url for url in aborted)
    expect(phone.locator("[data-progress]")).to_have_text("32")
    expect(phone.locator("#c-A1 .thumbs img[src^='blob:']")).to_have_count(1)
    expect(phone.locator("#c-A2 .thumbs img[src^='blob:']")).to_have_count(1)
    expect(phone.locator("#v-A3-4")).to_be_checked()
    expect(phone.locator("#n-B7")).to_have_value("Cơ quan không có khu vực này")
    expect(phone.locator("[data-waiting-count]")).to_have_text("32 tiêu chí, 2 ảnh")
    expect(phone.locator("[data-submit-state]")).to_have_text("Sẽ nộp khi có mạng")
    assert inspection.answers.count() == 0

    restore_network(phone)
    phone.wait_for_url("**/ket-qua/", timeout=30_000)
    assert_everything_arrived_once(inspection)


def test_a_connection_lost_in_the_middle_of_the_sync_sends_nothing_twice(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_assignment_online(phone, base, open_round, org, cast)
    cut_network(phone, base)
    fill_everything(phone, inspection)
    phone.get_by_role("button", name="Nộp phiếu, kể cả khi chưa có mạng").click()

    # Back online, until the first photo: the server stores it, its answer never comes
    # back, and the line stays dead after that.
    calls: list[str] = []

    def drop_at_first_photo(route: Any) -> None:
        calls.append(route.request.url)
        if any(url.endswith("/photos/") for url in calls[:-1]):
            route.abort()
        elif route.request.url.endswith("/photos/"):
            route.fetch()
            route.abort()
        else:
            route.continue_()

    restore_network(phone)
    phone.context.route("**/api/**", drop_at_first_photo)
    for _ in range(200):  # until the photo's retry has been refused too
        photos = [i for i, url in enumerate(calls) if url.endswith("/photos/")]
        if len(photos) >= 2:
            break
        phone.wait_for_timeout(100)
    expect(phone.locator("#c-A1 [data-status]")).to_contain_text("Đã lưu trên máy, chưa gửi")
    sent_before_drop = inspection.answers.count()
    assert 0 < sent_before_drop < 32
    assert inspection.photos.filter(criterion__code="A1").count() == 1
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.DRAFT

    phone.context.unroute_all()
    phone.context.set_offline(True)
    phone.context.set_offline(False)
    phone.wait_for_url("**/ket-qua/", timeout=30_000)
    assert_everything_arrived_once(inspection)


def broken_jpeg() -> dict[str, Any]:
    data = io.BytesIO(phone_jpeg()["buffer"][:200])
    return {"name": "hong.jpg", "mimeType": "image/jpeg", "buffer": data.getvalue()}


def test_an_expired_session_asks_for_a_login_and_keeps_the_queue(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_assignment_online(phone, base, open_round, org, cast)
    cut_network(phone, base)
    fill_everything(phone, inspection)
    kept_a3 = inspection.photos.filter(criterion__code="A3").count()
    phone.locator("#gal-A3").set_input_files(broken_jpeg())
    phone.context.clear_cookies(name="sessionid")
    restore_network(phone)

    login = phone.get_by_role("link", name="Đăng nhập lại để gửi")
    login.wait_for()
    assert inspection.answers.count() == 0
    expect(phone.locator("[data-waiting-count]")).to_have_text("32 tiêu chí, 3 ảnh")
    login.click()
    log_in(phone, base, then=f"/phieu/{inspection.pk}/")

    # Sent after the login; the broken photo is refused, kept on the phone with the reason.
    phone.wait_for_selector("#c-A3 .thumbs li[data-state=failed] [data-discard]")
    expect(phone.locator("[data-waiting-count]")).to_have_text("1 ảnh")
    expect(phone.locator("#c-A3 [data-status]")).to_contain_text("Không lưu được")
    assert inspection.answers.count() == 32
    assert inspection.photos.filter(criterion__code__in=["A1", "A2"]).count() == 2
    assert inspection.photos.filter(criterion__code="A3").count() == kept_a3
    phone.reload()
    phone.wait_for_selector("#c-A3 .thumbs li[data-state=failed] [data-discard]")
    phone.locator("#c-A3 [data-discard]").click()
    phone.wait_for_selector("[data-waiting]", state="hidden")
    stored = "CSX.indexedStorage(document.querySelector('[data-checklist]').dataset.api).load()"
    assert phone.evaluate(f"{stored}.then(items => items.length)") == 0

    # Offline again, a change of mind on A3 while Internal Affairs closes the round: the
    # server refuses it (409), the phone keeps it and says why.
    cut_network(phone, base)
    phone.locator("label[for='v-A3-2']").click()
    expect(phone.locator("[data-waiting-count]")).to_have_text("1 tiêu chí")
    round_close(round=open_round, by=cast.internal_affairs, confirmed=True)
    restore_network(phone)
    expect(phone.locator("#c-A3 [data-status]")).to_contain_text("Đợt kiểm tra đã khóa")
    expect(phone.locator("[data-waiting-count]")).to_have_text("1 tiêu chí")
    assert phone.evaluate(f"{stored}.then(items => items[0].json.value)") == 2
    assert inspection.answers.get(criterion__code="A3").level == 4

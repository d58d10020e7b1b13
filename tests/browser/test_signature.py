"""Signing at the end of the visit in Debian's Chromium: drawn with no signal, kept on the
phone, sent once when the network returns, after the answer queued before it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inspections.models import Signature
from inspections.selectors.records import answers_hash
from tests.browser.test_offline import cut_network, open_assignment_online, restore_network

pytestmark = pytest.mark.browser


def draw(page: Any, role: str) -> None:
    canvas = page.locator(f".sign[data-role='{role}'] canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.6)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + w * (0.1 + step * 0.06), y + h * (0.3 if step % 2 else 0.7))
    page.mouse.up()


def test_a_signature_drawn_with_no_signal_is_sent_once_when_the_network_returns(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_assignment_online(phone, base, open_round, org, cast)
    phone.goto(f"{base}/phieu/{inspection.pk}/doan-kiem-tra/")
    cut_network(phone, base)
    draw(phone, "lead")
    phone.locator(".sign[data-role='lead'] [data-sign-save]").click()
    status = phone.locator(".sign[data-role='lead'] [data-sign-status]")
    expect(status).to_have_text("Đã lưu trên máy, chưa gửi")
    assert not Signature.objects.exists()

    phone.reload()  # from the worker's cache: the signature waits in IndexedDB
    expect(status).to_have_text("Đã lưu trên máy, chưa gửi")
    restore_network(phone)
    expect(status).to_have_text("Đã lưu chữ ký", timeout=30_000)
    signature = Signature.objects.get()
    assert signature.role == "lead" and not signature.on_paper
    assert len(signature.strokes) == 1 and len(signature.strokes[0]) >= 8
    assert signature.answers_hash == answers_hash(inspection)

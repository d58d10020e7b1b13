"""Drawing on a photo at the visit in Debian's Chromium: with no signal the drawing waits in
the checklist's queue on the phone and is sent when the network returns; the server renders
the copies and the thumbnail on the page becomes the drawn one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from inspections.models import EvidencePhoto
from tests.browser.test_offline import cut_network, open_assignment_online, restore_network

pytestmark = pytest.mark.browser


def test_a_circle_drawn_with_no_signal_reaches_the_photo_when_the_network_returns(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_assignment_online(phone, base, open_round, org, cast)
    link = phone.locator("a[data-annotate]").first
    photo_id = link.get_attribute("data-annotate").rstrip("/").split("/")[-2]
    cut_network(phone, base)
    link.scroll_into_view_if_needed()
    link.click()
    canvas = phone.locator("[data-annotate-canvas]")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    phone.mouse.move(x + w * 0.5, y + h * 0.5)
    phone.mouse.down()
    for step in range(1, 6):
        phone.mouse.move(x + w * (0.5 + step * 0.04), y + h * 0.5)
    phone.mouse.up()
    phone.locator("[data-annotate-label]").fill("Bình chữa cháy hết hạn")
    phone.locator("[data-annotate-save]").click()
    expect(phone.locator("[data-annotate-status]")).to_contain_text("lưu trên máy")
    phone.locator("[data-annotate-close]").click()
    assert EvidencePhoto.objects.get(pk=photo_id).annotations == []

    restore_network(phone)
    thumbnail = phone.locator(f"a[data-annotate$='/{photo_id}/annotations/']").locator(
        "xpath=ancestor::li//img"
    )
    expect(thumbnail).to_have_attribute("src", re.compile(r"\?v=\d+"), timeout=30_000)
    photo = EvidencePhoto.objects.get(pk=photo_id)
    assert inspection.pk == photo.inspection_id
    [shape] = photo.annotations
    assert shape["kind"] == "circle" and shape["label"] == "Bình chữa cháy hết hạn"
    assert 0.45 < shape["x1"] < 0.55 and shape["x2"] > shape["x1"] + 0.1

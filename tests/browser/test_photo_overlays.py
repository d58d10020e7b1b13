"""Drawing on a photo at the visit in Debian's Chromium: with no signal the drawing waits in
the checklist's queue on the phone and is sent when the network returns; the server renders
the copies and the thumbnail on the page becomes the drawn one. A photo taken with no signal
can be drawn on at once; a drawing the server refuses can be let go."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from inspections.models import EvidencePhoto
from tests.browser.test_checklist import phone_jpeg
from tests.browser.test_offline import cut_network, open_assignment_online, restore_network

pytestmark = pytest.mark.browser


def draw_circle(phone: Any, label: str) -> None:
    """A drag from the middle of the open dialog's photo, a label, saved, the dialog closed."""
    canvas = phone.locator("[data-annotate-canvas]")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    phone.mouse.move(x + w * 0.5, y + h * 0.5)
    phone.mouse.down()
    for step in range(1, 6):
        phone.mouse.move(x + w * (0.5 + step * 0.04), y + h * 0.5)
    phone.mouse.up()
    phone.locator("[data-annotate-label]").fill(label)
    phone.locator("[data-annotate-save]").click()
    expect(phone.locator("[data-annotate-status]")).to_contain_text("lưu trên máy")
    phone.locator("[data-annotate-close]").click()


def red_pixels(photo: EvidencePhoto) -> int:
    with photo.display.open("rb") as f, Image.open(f) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
        return sum(n for n, (r, g, b) in colours if r > 180 and g < 90 and b < 90)


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
    draw_circle(phone, "Bình chữa cháy hết hạn")
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


def test_a_photo_taken_with_no_signal_is_drawn_on_and_a_refused_drawing_is_let_go(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any
) -> None:
    base = live_server.url
    inspection = open_assignment_online(phone, base, open_round, org, cast)
    kept_url = phone.locator("a[data-annotate]").first.get_attribute("data-annotate")
    cut_network(phone, base)
    jpeg = phone_jpeg()
    phone.locator("#cam-A1").set_input_files(jpeg)
    taken = phone.locator("#c-A1 [data-thumbs] li[data-photo]")
    expect(taken).to_have_count(1)
    photo_id = taken.get_attribute("data-photo")
    link = taken.locator("a[data-annotate]")
    expect(link).to_have_attribute("data-annotate", f"/api/v1/photos/{photo_id}/annotations/")
    link.scroll_into_view_if_needed()
    link.click()
    draw_circle(phone, "Lối thoát hiểm bị chắn")
    assert not EvidencePhoto.objects.filter(pk=photo_id).exists()

    restore_network(phone)  # the photo goes first, then the drawing names it by its id
    expect(taken.locator("img")).to_have_attribute("src", re.compile(r"\?v=\d+"), timeout=30_000)
    photo = EvidencePhoto.objects.get(pk=photo_id)
    assert photo.inspection_id == inspection.pk and photo.criterion.code == "A1"
    [shape] = photo.annotations
    assert shape["kind"] == "circle" and shape["label"] == "Lối thoát hiểm bị chắn"
    assert red_pixels(photo) > 50  # the display copy bears the circle; the photo was all green
    with photo.original.open("rb") as f:
        kept = hashlib.sha256(f.read()).hexdigest()
    assert kept == photo.sha256 == hashlib.sha256(jpeg["buffer"]).hexdigest()

    # A drawing on a photo the server no longer has: refused, shown beside it, let go.
    other = phone.locator(f"a[data-annotate='{kept_url}']")
    other_id = kept_url.rstrip("/").split("/")[-2]
    cut_network(phone, base)
    other.scroll_into_view_if_needed()
    other.click()
    draw_circle(phone, "Sẽ bị từ chối")
    EvidencePhoto.objects.filter(pk=other_id).delete()  # the page is quiet: no signal
    restore_network(phone)
    held = other.locator("xpath=ancestor::li").locator("[data-held]")
    expect(held).to_be_visible(timeout=30_000)
    discard = held.get_by_role("button", name="Bỏ hình vẽ này")
    discard.click()
    expect(held).to_have_count(0)
    expect(other).to_be_visible()  # only the drawing is let go, not the photo's thumbnail
    assert phone.evaluate("CSX.checklistQueue.pending().then(items => items.length)") == 0
    assert other.get_attribute("data-annotations") == "[]"

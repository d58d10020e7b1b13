"""The product installs to a phone's home screen: a valid manifest with its icons, a favicon."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


def _static_file(url: str) -> str:
    found = finders.find(url.removeprefix("/static/"))
    assert isinstance(found, str), url
    return found


def test_the_manifest_names_the_product_and_opens_it_full_screen() -> None:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Công Sở Xanh"
    assert manifest["short_name"] == "Công Sở Xanh"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1b5e20" and manifest["background_color"]


def test_every_icon_of_the_manifest_is_a_png_of_its_stated_size_both_any_and_maskable() -> None:
    manifest = json.loads(Client().get("/manifest.webmanifest").content)
    purposes: dict[str, set[str]] = {}
    for icon in manifest["icons"]:
        with Image.open(_static_file(icon["src"])) as image:
            assert image.format == "PNG" and icon["type"] == "image/png"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        purposes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    # Installability asks for 192 and 512 pixels; a maskable pair fills Android's shapes.
    assert purposes == {"any": {"192x192", "512x512"}, "maskable": {"192x192", "512x512"}}


def test_a_maskable_icon_keeps_its_drawing_inside_the_safe_circle() -> None:
    manifest = json.loads(Client().get("/manifest.webmanifest").content)
    src = next(i["src"] for i in manifest["icons"] if i["purpose"] == "maskable")
    with Image.open(_static_file(src)) as image:
        rgb = image.convert("RGB")
        size = rgb.width
        background = rgb.getpixel((0, 0))
        for x in range(0, size, 8):
            for y in range(0, size, 8):
                if (x - size / 2) ** 2 + (y - size / 2) ** 2 > (0.4 * size) ** 2:
                    assert rgb.getpixel((x, y)) == background, (x, y)


def test_every_page_links_the_manifest_and_the_icons(client: Client) -> None:
    page = client.get("/dang-nhap/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#1b5e20">' in page
    assert 'rel="apple-touch-icon"' in page


def test_favicon_ico_answers_with_an_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "ICO"

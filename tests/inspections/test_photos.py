"""The evidence pipeline: what is accepted, what is refused and why, and what is derived."""

from __future__ import annotations

import functools
import hashlib
import io
import math
import struct
import zlib
from decimal import Decimal
from typing import Any

import pytest
from PIL import (
    Image,
    ImageChops,
    ImageDraw,
    ImageFile,
    ImageFont,
    ImageOps,
    ImageStat,
    PngImagePlugin,
)

from inspections.errors import DomainError, Problem
from inspections.photos import process_upload

RED, BLUE = (230, 20, 20), (20, 40, 220)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# The transposition that stores an upright picture so that EXIF orientation n undoes it.
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def photo_like(size: tuple[int, int] = (240, 180), seed: int = 1) -> Image.Image:
    """Gradients at a seed's angles, shapes and noise: a picture with its own difference hash."""
    import random

    from PIL import ImageDraw

    rng = random.Random(seed)
    channels = [
        Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize(size) for _ in range(3)
    ]
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(8):
        x, y = rng.randrange(width), rng.randrange(height)
        box = (
            x,
            y,
            x + rng.randrange(width // 8, width // 2),
            y + rng.randrange(height // 8, height // 2),
        )
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    return Image.blend(image, Image.effect_noise(size, 30).convert("RGB"), 0.08)


def marked(size: tuple[int, int] = (120, 80)) -> Image.Image:
    """Upright: a red top-left corner on blue, so any wrong turn or flip shows."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 3, size[1] // 3))
    return image


def jpeg_with_exif(image: Image.Image, orientation: int = 1, *, gps: bool = False) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 09:30:00"
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (10.0, 46.0, 30.0), 3: "E", 4: (106.0, 41.0, 12.0)})
    return encode(image, "JPEG", quality=95, exif=exif)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header with almost no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def text_bomb_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("note", "a" * (20 * 1024 * 1024), zip=True)  # 20 KB on disk, 20 MB inflated
    return encode(Image.new("RGB", (8, 8)), "PNG", pnginfo=info)


def png_with_bad_crc(kind: bytes) -> bytes:
    """A PNG (with a text chunk) whose first `kind` chunk has one bit of its CRC flipped."""
    info = PngImagePlugin.PngInfo()
    info.add_text("note", "anh minh chung")
    data = bytearray(encode(photo_like(), "PNG", pnginfo=info))
    pos = 8
    while data[pos + 4 : pos + 8] != kind:
        pos += 12 + struct.unpack(">I", data[pos : pos + 4])[0]
    crc_at = pos + 8 + struct.unpack(">I", data[pos : pos + 4])[0]
    data[crc_at] ^= 0x01
    return bytes(data)


def jpeg_with_thumbnail(*, cut: int = 0) -> bytes:
    """A JPEG carrying a whole small JPEG (with its own end marker) in its EXIF block, as
    cameras do; `cut` bytes are then taken off its end."""
    thumbnail = encode(photo_like((32, 24)), "JPEG")
    exif = b"Exif\x00\x00" + thumbnail
    segment = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    main = encode(photo_like((320, 240)), "JPEG")
    data = main[:2] + segment + main[2:]
    return data[: len(data) - cut]


@functools.cache
def bad_inputs() -> dict[str, tuple[bytes, str, str]]:
    """name → (bytes, the refusal's code, a phrase its message must hold)."""
    jpeg = encode(photo_like(), "JPEG")
    return {
        "empty": (b"", "empty", "rỗng"),
        "text named .jpg": (b"not a photo at all\n" * 10, "unsupported", "không phải ảnh"),
        "svg": (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "unsupported",
            "SVG",
        ),
        "gif": (encode(Image.new("P", (8, 8)), "GIF"), "unsupported", "GIF"),
        "tiff": (encode(Image.new("RGB", (8, 8)), "TIFF"), "unsupported", "TIFF"),
        "truncated jpeg": (jpeg[: len(jpeg) // 2], "corrupt", "cắt cụt"),
        "jpeg header then garbage": (jpeg[:24] + b"\x00garbage" * 64, "corrupt", "hỏng"),
        "truncated png": (encode(photo_like(), "PNG")[:900], "corrupt", "cắt cụt"),
        "56 megapixels": (png_header_only(8000, 7000), "too_many_pixels", "8000 × 7000"),
        "pixel bomb": (png_header_only(100_000, 100_000), "decompression_bomb", "bom"),
        "text chunk bomb": (text_bomb_png(), "decompression_bomb", "bom"),
        "truncated pdf": (PDF[:30], "corrupt", "PDF"),
        "png with a bad pixel-data crc": (png_with_bad_crc(b"IDAT"), "corrupt", "CRC"),
        "png with a bad text-chunk crc": (png_with_bad_crc(b"tEXt"), "corrupt", "CRC"),
        "png without iend": (encode(photo_like(), "PNG")[:-12], "corrupt", "IEND"),
        "jpeg without its end marker": (jpeg[:-2], "corrupt", "EOI"),
        "truncated jpeg after a whole thumbnail": (jpeg_with_thumbnail(cut=200), "corrupt", "EOI"),
    }


INTEGRITY = [
    "png with a bad pixel-data crc",
    "png with a bad text-chunk crc",
    "png without iend",
    "jpeg without its end marker",
    "truncated jpeg after a whole thumbnail",
]


@pytest.mark.parametrize("name", INTEGRITY)
def test_integrity_is_checked_even_when_pillow_is_told_to_forgive(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data, code, phrase = bad_inputs()[name]
    with pytest.raises(DomainError) as refused:
        process_upload(data)
    assert (refused.value.code, refused.value.problem) == (code, Problem.INVALID)
    assert phrase in refused.value.fields["file"][0]


def test_it_accepts_bytes_after_the_end_marker_and_an_exif_thumbnail() -> None:
    jpeg = jpeg_with_thumbnail()
    # Some phones append their own trailer after the picture's end marker.
    upload = process_upload(jpeg + b"SEFH" + b"\x00" * 64)
    assert (upload.width, upload.height) == (320, 240)


@pytest.mark.parametrize("name", list(bad_inputs()))
def test_it_refuses_a_bad_file_with_a_message_that_says_what_was_wrong(name: str) -> None:
    data, code, phrase = bad_inputs()[name]
    with pytest.raises(DomainError) as refused:
        process_upload(data)
    assert refused.value.code == code
    assert phrase in refused.value.fields["file"][0]


def test_it_refuses_a_file_over_the_byte_limit_before_decoding(settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(DomainError) as refused:
        process_upload(b"\xff\xd8\xff" + b"\0" * 1000)
    assert refused.value.code == "too_large"
    assert "MB" in refused.value.message


def test_it_refuses_a_pdf_where_a_photo_is_required() -> None:
    with pytest.raises(DomainError) as refused:
        process_upload(PDF, allow_pdf=False)
    assert refused.value.code == "unsupported"
    assert "PDF" in refused.value.message


def test_it_keeps_a_pdf_untouched_with_no_derived_copies() -> None:
    upload = process_upload(PDF)
    assert (upload.content_type, upload.original, upload.display) == ("application/pdf", PDF, None)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_gives_an_upright_display_copy(orientation: int) -> None:
    upright = marked()
    turn = STORED_AS[orientation]
    stored = upright.transpose(turn) if turn is not None else upright
    assert (
        ImageOps.exif_transpose(Image.open(io.BytesIO(jpeg_with_exif(stored, orientation)))).size
        == upright.size
    )
    upload = process_upload(jpeg_with_exif(stored, orientation))
    assert upload.display is not None and upload.thumbnail is not None
    display = Image.open(io.BytesIO(upload.display))
    assert display.size == (120, 80) and (upload.width, upload.height) == (120, 80)
    assert _near(display.getpixel((5, 5)), RED) and _near(display.getpixel((115, 75)), BLUE)
    assert _near(Image.open(io.BytesIO(upload.thumbnail)).getpixel((5, 5)), RED)


def test_it_keeps_the_original_and_its_facts_but_strips_them_from_the_copies() -> None:
    data = jpeg_with_exif(photo_like((2400, 1800)), 6, gps=True)
    upload = process_upload(data)
    assert upload.original == data
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert (upload.width, upload.height) == (1800, 2400)  # as the picture is seen
    assert upload.latitude == Decimal("10.775000") and upload.longitude == Decimal("106.686667")
    assert upload.captured_at is not None and upload.captured_at.hour == 9
    for copy, side in ((upload.display, 1600), (upload.thumbnail, 320)):
        assert copy is not None
        image = Image.open(io.BytesIO(copy))
        assert (image.format, max(image.size)) == ("JPEG", side)
        assert not image.getexif() and b"Exif" not in copy[:200]


@pytest.mark.parametrize(
    ("name", "data", "content_type", "expected"),
    [
        (
            "cmyk jpeg",
            encode(Image.new("CMYK", (40, 40), (0, 255, 255, 0)), "JPEG"),
            "image/jpeg",
            (255, 0, 0),
        ),
        (
            "16-bit png",
            encode(Image.new("I;16", (40, 40), 40000), "PNG"),
            "image/png",
            (156, 156, 156),
        ),
        (
            "png with alpha",
            encode(Image.new("RGBA", (40, 40), (255, 0, 0, 0)), "PNG"),
            "image/png",
            (255, 255, 255),
        ),
        ("webp", encode(Image.new("RGB", (40, 40), RED), "WEBP"), "image/webp", RED),
        ("heic", encode(Image.new("RGB", (64, 48), RED), "HEIF"), "image/heic", RED),
    ],
)
def test_every_accepted_format_becomes_an_srgb_jpeg(
    name: str, data: bytes, content_type: str, expected: tuple[int, int, int]
) -> None:
    upload = process_upload(data)
    assert upload.content_type == content_type and upload.original == data
    assert upload.display is not None
    display = Image.open(io.BytesIO(upload.display))
    assert display.mode == "RGB"
    assert _near(display.getpixel((10, 10)), expected), (name, display.getpixel((10, 10)))


@pytest.mark.parametrize(
    ("mode", "fmt", "colour", "expected"),
    [
        ("RGB", "JPEG", RED, RED),
        ("L", "JPEG", 90, (90, 90, 90)),
        ("CMYK", "JPEG", (0, 255, 255, 0), (255, 0, 0)),
        ("RGBA", "PNG", (255, 0, 0, 0), (255, 255, 255)),
        ("LA", "PNG", (40, 255), (40, 40, 40)),
        ("P", "PNG", 3, None),
        ("I;16", "PNG", 40000, (156, 156, 156)),
    ],
)
def test_a_large_picture_of_any_mode_is_shrunk_to_an_srgb_copy(
    mode: str, fmt: str, colour: Any, expected: tuple[int, int, int] | None
) -> None:
    picture = Image.new(mode, (2000, 1000), colour)
    upload = process_upload(encode(picture, fmt))
    assert upload.display is not None and upload.thumbnail is not None
    display = Image.open(io.BytesIO(upload.display))
    thumbnail = Image.open(io.BytesIO(upload.thumbnail))
    assert (display.mode, display.size, thumbnail.size) == ("RGB", (1600, 800), (320, 160))
    if expected is None:  # the palette's own third colour
        expected = tuple(picture.convert("RGB").getpixel((0, 0)))  # type: ignore[assignment]
    assert _near(display.getpixel((800, 400)), expected), display.getpixel((800, 400))
    assert _near(thumbnail.getpixel((160, 80)), expected)


def test_small_printed_text_stays_sharp_in_the_display_copy() -> None:
    """A photographed register (dark text from 12 px, ruled lines) keeps its detail: within
    31 dB of the best possible 1600 px copy once saved. libvips' Lanczos 3 gives 32.8 dB and
    Pillow's bicubic 32.0; Pillow's Hamming (28.6 dB) blurs the smallest text, which a
    reviewer must still read."""
    page = Image.new("RGB", (2048, 1536), (228, 226, 214))
    draw = ImageDraw.Draw(page)
    for band, size in enumerate((12, 16, 20, 28, 40)):
        font = ImageFont.load_default(size)
        for row in range(6):
            text = "Sổ theo dõi hồ sơ 92,50 · 07/12/2026 " * 6
            draw.text((20, 40 + band * 290 + row * (size + 8)), text, font=font, fill=(20, 20, 30))
    for x in range(0, 2048, 64):
        draw.line((x, 0, x + 300, 1536), fill=(60, 80, 120), width=1)
    upload = process_upload(encode(page, "JPEG", quality=95))
    assert upload.display is not None
    display = Image.open(io.BytesIO(upload.display)).convert("RGB")
    best = page.resize(display.size, Image.Resampling.LANCZOS)
    squares = ImageStat.Stat(ImageChops.difference(display, best)).sum2
    psnr = 10 * math.log10(255**2 / (sum(squares) / (3 * display.width * display.height)))
    assert psnr >= 31.0, f"{psnr:.2f} dB"


def _near(pixel: Any, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_loading_the_pdf_engine_leaves_truncated_images_refused():
    """WeasyPrint switches Pillow's LOAD_TRUNCATED_IMAGES on when imported; we switch it off."""
    from PIL import ImageFile

    import inspections.documents.weasy  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False

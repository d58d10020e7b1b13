"""Overlays on a photo: blurred regions and drawn shapes, kept as data, rendered on the copies.

Pure: values in, JPEG bytes out, no database. The display copy and the thumbnail are derived
from the original (upright, as inspections/photos.py sees it) with the blur first and the
shapes over it, so the original is never written and a change is rendered again from it.
Coordinates are fractions (0..1) of the upright picture, whatever its size.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from inspections.errors import DomainError, Problem
from inspections.photos import (
    THUMBNAIL_SIDE,
    _decode_display,
    _exif_facts,
    _jpeg,
    _open,
    sniff,
)

MAX_SHAPES = 20
MAX_REGIONS = 20
MAX_LABEL = 60
SHAPE_KINDS = ("circle", "arrow")
RED = (220, 0, 0)
# Sans-serif with every Vietnamese glyph: DejaVu (fonts-dejavu), else the records' font.
_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
)


@dataclass(frozen=True)
class Shape:
    """A circle (centre x1,y1 through x2,y2) or an arrow (tail x1,y1 to head x2,y2)."""

    kind: str
    x1: float
    y1: float
    x2: float
    y2: float
    label: str = ""

    def as_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "x1": self.x1,
            "y1": self.y1,
            "x2": self.x2,
            "y2": self.y2,
            "label": self.label,
        }


@dataclass(frozen=True)
class Region:
    """A rectangle to blur: top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    def as_data(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}


# --- Validation: the one contract for the API and the web form ----------------------------------


def _invalid(field: str, messages: list[str]) -> DomainError:
    return DomainError(
        _("Dữ liệu vẽ trên ảnh không hợp lệ."),
        problem=Problem.INVALID,
        fields={field: messages},
        code="invalid_overlay",
    )


def _fraction(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return round(number, 4) if math.isfinite(number) and 0 <= number <= 1 else None


def _clean_label(value: Any, where: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(_("%(where)s: nhãn phải là chữ.") % {"where": where})
        return ""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in value):
        problems.append(_("%(where)s: nhãn có ký tự điều khiển.") % {"where": where})
        return ""
    label = unicodedata.normalize("NFC", " ".join(value.split()))
    if len(label) > MAX_LABEL:
        problems.append(
            _("%(where)s: nhãn dài tối đa %(n)d ký tự.") % {"where": where, "n": MAX_LABEL}
        )
    return label


def clean_shapes(raw: Any, *, field: str = "annotations") -> list[Shape]:
    """The shapes a client sent, or a 400 naming each wrong one (by its number, from 1)."""
    if not isinstance(raw, list):
        raise _invalid(field, [_("Phải là một danh sách hình vẽ.")])
    if len(raw) > MAX_SHAPES:
        raise _invalid(field, [_("Tối đa %(n)d hình vẽ trên một ảnh.") % {"n": MAX_SHAPES}])
    shapes: list[Shape] = []
    problems: list[str] = []
    for number, item in enumerate(raw, start=1):
        where = _("Hình %(n)d") % {"n": number}
        if not isinstance(item, dict):
            problems.append(_("%(where)s: phải là một đối tượng.") % {"where": where})
            continue
        kind = item.get("kind")
        if kind not in SHAPE_KINDS:
            problems.append(
                _("%(where)s: loại hình phải là “circle” hoặc “arrow”.") % {"where": where}
            )
        points = {key: _fraction(item.get(key)) for key in ("x1", "y1", "x2", "y2")}
        wrong = [key for key, value in points.items() if value is None]
        if wrong:
            problems.append(
                _("%(where)s: tọa độ %(keys)s phải là số từ 0 đến 1.")
                % {"where": where, "keys": ", ".join(wrong)}
            )
        label = _clean_label(item.get("label", ""), where, problems)
        if not problems:
            x1, y1, x2, y2 = (float(points[k] or 0) for k in ("x1", "y1", "x2", "y2"))
            shapes.append(Shape(str(kind), x1, y1, x2, y2, label))
    if problems:
        raise _invalid(field, problems)
    return shapes


def clean_regions(raw: Any, *, field: str = "regions") -> list[Region]:
    """Rectangles within the picture, each at least 1 % a side."""
    if not isinstance(raw, list):
        raise _invalid(field, [_("Phải là một danh sách vùng.")])
    if len(raw) > MAX_REGIONS:
        raise _invalid(field, [_("Tối đa %(n)d vùng làm mờ trên một ảnh.") % {"n": MAX_REGIONS}])
    regions: list[Region] = []
    problems: list[str] = []
    for number, item in enumerate(raw, start=1):
        where = _("Vùng %(n)d") % {"n": number}
        values = [_fraction(item.get(k)) if isinstance(item, dict) else None for k in "xywh"]
        if None in values:
            problems.append(_("%(where)s: x, y, w, h phải là số từ 0 đến 1.") % {"where": where})
            continue
        x, y, w, h = (float(v or 0) for v in values)
        if w < 0.01 or h < 0.01:
            problems.append(_("%(where)s: vùng quá nhỏ (tối thiểu 1 %%).") % {"where": where})
        elif x + w > 1.0001 or y + h > 1.0001:
            problems.append(_("%(where)s: vùng vượt ra ngoài ảnh.") % {"where": where})
        else:
            regions.append(Region(x, y, min(w, 1 - x), min(h, 1 - y)))
    if problems:
        raise _invalid(field, problems)
    return regions


# --- Rendering ---------------------------------------------------------------------------------


def upright_display(original: bytes) -> Image.Image:
    """The original as the display copy starts: upright, sRGB, at most DISPLAY_SIDE a side."""
    kind = sniff(original[:16])
    if kind is None or kind == "PDF":
        raise DomainError(
            _("Tệp này không phải ảnh: không vẽ hay làm mờ được."),
            problem=Problem.WRONG_STATE,
            code="not_an_image",
        )
    image = _open(original, kind)
    orientation = _exif_facts(image)[0]
    return _decode_display(image, orientation)


def render_copies(
    base: Image.Image, *, regions: Sequence[Region] = (), shapes: Sequence[Shape] = ()
) -> tuple[bytes, bytes]:
    """The display copy and the thumbnail of `base` (upright) with the blur, then the shapes."""
    picture = base.convert("RGB")
    for region in regions:
        _blur(picture, region)
    if shapes:
        _draw(picture, shapes)
    thumb = picture.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return _jpeg(picture, quality=82), _jpeg(thumb, quality=75)


def _box(picture: Image.Image, region: Region) -> tuple[int, int, int, int]:
    width, height = picture.size
    left, top = math.floor(region.x * width), math.floor(region.y * height)
    right = min(width, math.ceil((region.x + region.w) * width))
    bottom = min(height, math.ceil((region.y + region.h) * height))
    return left, top, max(right, left + 1), max(bottom, top + 1)


def _blur(picture: Image.Image, region: Region) -> None:
    """Pixelate to about 6 blocks on the short side, then smooth: no face or name survives."""
    box = _box(picture, region)
    patch = picture.crop(box)
    w, h = patch.size
    block = max(8, min(w, h) // 6)
    small = patch.resize(
        (max(1, w // block), max(1, h // block)), Image.Resampling.BOX, reducing_gap=None
    )
    coarse = small.resize((w, h), Image.Resampling.NEAREST)
    picture.paste(coarse.filter(ImageFilter.GaussianBlur(block / 2)), box[:2])


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _draw(picture: Image.Image, shapes: Sequence[Shape]) -> None:
    width, height = picture.size
    side = min(width, height)
    stroke = max(3, round(side / 160))
    font = _font(max(14, round(side / 24)))
    pen = ImageDraw.Draw(picture)
    for shape in shapes:
        x1, y1 = shape.x1 * width, shape.y1 * height
        x2, y2 = shape.x2 * width, shape.y2 * height
        if shape.kind == "circle":
            radius = max(stroke * 2.0, math.hypot(x2 - x1, y2 - y1))
            pen.ellipse(
                (x1 - radius, y1 - radius, x1 + radius, y1 + radius), outline=RED, width=stroke
            )
            anchor = (x1, min(height - 1.0, y1 + radius + stroke))
        else:
            _arrow(pen, (x1, y1), (x2, y2), stroke)
            anchor = (x1, y1 + stroke)
        if shape.label:
            pen.text(
                anchor,
                shape.label,
                fill=RED,
                font=font,
                anchor="mt",
                stroke_width=max(2, stroke // 2),
                stroke_fill=(255, 255, 255),
            )


def _arrow(
    pen: ImageDraw.ImageDraw, tail: tuple[float, float], head: tuple[float, float], stroke: int
) -> None:
    pen.line([tail, head], fill=RED, width=stroke)
    angle = math.atan2(head[1] - tail[1], head[0] - tail[0])
    length = stroke * 5
    wings = [
        (
            head[0] - length * math.cos(angle + turn),
            head[1] - length * math.sin(angle + turn),
        )
        for turn in (math.pi / 7, -math.pi / 7)
    ]
    pen.polygon([head, wings[0], wings[1]], fill=RED)


def display_image(display: bytes) -> Image.Image:
    """A stored display copy (our own JPEG, already upright) when its original is gone."""
    image = Image.open(io.BytesIO(display), formats=["JPEG"])
    image.load()
    return image.convert("RGB")

"""The evidence pipeline: check an upload by its content, keep the original, derive two JPEGs.

Every upload, from any door, goes through `ingest_evidence`. Pillow is only ever allowed
the decoders on our allow-list, and the pixel count is checked from the header before the
image is decoded.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from inspections.errors import DomainError, Problem

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF_TYPE = "application/pdf"
DISPLAY_SIDE = 1600
THUMBNAIL_SIDE = 320


@dataclass(frozen=True)
class ProcessedUpload:
    content_type: str
    sha256: str
    original: bytes
    display: bytes | None
    thumbnail: bytes | None
    width: int | None
    height: int | None
    captured_at: datetime | None
    latitude: Decimal | None
    longitude: Decimal | None


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_PIXELS", 50_000_000))


def _refuse(message: str, problem: Problem, code: str) -> DomainError:
    return DomainError(message, problem=problem, fields={"file": [message]}, code=code)


def process_upload(data: bytes, *, allow_pdf: bool = True) -> ProcessedUpload:
    """Validate and derive; raises DomainError with code too_large / unsupported / invalid."""
    if not data:
        raise _refuse(_("Tệp rỗng."), Problem.INVALID, "empty")
    if len(data) > max_bytes():
        raise _refuse(
            _("Tệp vượt quá giới hạn %(mb)d MB.") % {"mb": max_bytes() // (1024 * 1024)},
            Problem.INVALID,
            "too_large",
        )
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        if not allow_pdf:
            raise _refuse(_("Chỉ nhận ảnh cho minh chứng này."), Problem.INVALID, "unsupported")
        if b"%%EOF" not in data[-1024:]:
            raise _refuse(_("Tệp PDF bị cắt cụt hoặc hỏng."), Problem.INVALID, "corrupt")
        return ProcessedUpload(PDF_TYPE, digest, data, None, None, None, None, None, None, None)
    try:
        image = Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS))
    except UnidentifiedImageError:
        raise _refuse(
            _("Định dạng tệp không được chấp nhận: chỉ nhận JPEG, PNG, WebP hoặc PDF."),
            Problem.INVALID,
            "unsupported",
        ) from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        # A header cut short or garbled fails in open(), before any decoding: a 400, not a 500.
        raise _refuse(_("Ảnh bị hỏng hoặc bị cắt cụt."), Problem.INVALID, "corrupt") from None
    width, height = image.size
    if width * height > max_pixels():
        raise _refuse(
            _("Ảnh quá lớn: %(mp)d megapixel, tối đa %(limit)d.")
            % {"mp": width * height // 1_000_000, "limit": max_pixels() // 1_000_000},
            Problem.INVALID,
            "too_many_pixels",
        )
    captured_at, latitude, longitude = _exif_facts(image)
    try:
        image.draft("RGB", (DISPLAY_SIDE, DISPLAY_SIDE))  # JPEG: decode at a reduced scale
        image.load()  # a full decode catches truncated files, unlike verify()
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("Ảnh bị hỏng hoặc bị cắt cụt."), Problem.INVALID, "corrupt") from None
    display_image = _to_srgb(upright)
    display_image.thumbnail((DISPLAY_SIDE, DISPLAY_SIDE), Image.Resampling.LANCZOS)
    thumb_image = display_image.copy()
    thumb_image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return ProcessedUpload(
        content_type=IMAGE_FORMATS[image.format or "JPEG"],
        sha256=digest,
        original=data,
        display=_jpeg(display_image, quality=82),
        thumbnail=_jpeg(thumb_image, quality=75),
        width=width,
        height=height,
        captured_at=captured_at,
        latitude=latitude,
        longitude=longitude,
    )


def _to_srgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _jpeg(image: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)  # no EXIF kept
    return out.getvalue()


def _exif_facts(image: Image.Image) -> tuple[datetime | None, Decimal | None, Decimal | None]:
    try:
        exif = image.getexif()
    except Exception:
        return None, None, None
    captured_at = None
    raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    if isinstance(raw, str):
        try:
            naive = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            captured_at = timezone.make_aware(naive)
        except ValueError:
            captured_at = None
    gps = exif.get_ifd(0x8825)
    return captured_at, _coordinate(gps.get(2), gps.get(1)), _coordinate(gps.get(4), gps.get(3))


def _coordinate(value: Any, ref: Any) -> Decimal | None:
    try:
        degrees, minutes, seconds = (Decimal(str(float(part))) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if str(ref).upper().startswith(("S", "W")):
        result = -result
    if abs(result) > 180:
        return None
    return result.quantize(Decimal("0.000001"))


def store_processed(upload: ProcessedUpload) -> dict[str, Any]:
    """Save the files under names that reveal nothing; return the photo's file fields."""
    stem = uuid.uuid4().hex
    folder = f"evidence/{stem[:2]}/{stem}"
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        upload.content_type, "pdf"
    )
    fields: dict[str, Any] = {
        "original": default_storage.save(f"{folder}/o.{extension}", ContentFile(upload.original))
    }
    if upload.display is not None and upload.thumbnail is not None:
        fields["display"] = default_storage.save(f"{folder}/d.jpg", ContentFile(upload.display))
        fields["thumbnail"] = default_storage.save(f"{folder}/t.jpg", ContentFile(upload.thumbnail))
    return fields

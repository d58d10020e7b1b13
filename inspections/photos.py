"""The evidence pipeline: check an upload by its content, keep the original, derive two JPEGs.

Every upload, from any door, goes through `process_upload` then `store_processed`. The
format is recognised from the first bytes against our allow-list, Pillow is only ever given
that one decoder, and the pixel count is checked from the header before anything is decoded.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pillow_heif
import pyvips
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, JpegImagePlugin, UnidentifiedImageError

from inspections.errors import DomainError, Problem

# Once, at import: HEIC/HEIF becomes a format Pillow knows; we still name it per upload.
pillow_heif.register_heif_opener()
# libvips only resamples pixels Pillow has decoded: none of its loaders is ever called, and
# those that are not fit for untrusted files are blocked anyway. One thread per resample (two
# cost twice the CPU for a third less wall time, and the server's threads keep the cores
# busy), and no cache of results: each picture is resampled once.
pyvips.block_untrusted_set(True)
pyvips.concurrency_set(1)
pyvips.cache_set_max(0)

IMAGE_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "HEIF": "image/heic",
}
PDF_TYPE = "application/pdf"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}
DISPLAY_SIDE = 1600
THUMBNAIL_SIDE = 320
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# The display copy is resampled by libvips with Lanczos 3: as sharp as Pillow's Lanczos and,
# with the copies in and out, 2.2–2.6 times cheaper than Pillow's bicubic, which it replaces
# (`bench/photos.py --filters`). Pillow's faster filters blur a photographed page's small text.
_RESAMPLE_KERNEL = "lanczos3"
# Modes resampled as they are (one byte per band); the others (alpha, palette, 1-bit, 16-bit)
# become 8-bit sRGB first.
_BANDS = {"RGB": 3, "L": 1, "CMYK": 4}
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError)
# EXIF orientation → the transposition that makes the picture upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


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
    dhash: int | None = None


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_PIXELS", 50_000_000))


def _refuse(message: str, problem: Problem, code: str, field: str = "file") -> DomainError:
    return DomainError(message, problem=problem, fields={field: [message]}, code=code)


def check_upload_size(size: int, *, field: str = "file") -> None:
    """Refuse an upload by its announced size, before a byte of it is read (413 / 400)."""
    if size <= 0:
        raise _refuse(
            _("Tệp rỗng: không có dữ liệu nào được gửi."), Problem.INVALID, "empty", field
        )
    if size > max_bytes():
        limit = max_bytes() / (1024 * 1024)
        raise _refuse(
            _("Tệp vượt quá giới hạn %(limit)s MB.") % {"limit": f"{limit:g}"},
            Problem.INVALID,
            "too_large",
            field,
        )


def _corrupt() -> DomainError:
    return _refuse(
        _("Tệp ảnh bị hỏng hoặc bị cắt cụt: không giải mã được trọn vẹn."),
        Problem.INVALID,
        "corrupt",
    )


def _bomb() -> DomainError:
    return _refuse(
        _("Tệp bị từ chối: dữ liệu giải nén quá lớn (nghi là “bom giải nén”)."),
        Problem.INVALID,
        "decompression_bomb",
    )


def sniff(head: bytes) -> str | None:
    """The accepted format these first bytes announce (JPEG, PNG, WEBP, HEIF, PDF), if any."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    if head.startswith(b"%PDF-"):
        return "PDF"
    return None


def _refused_kind(head: bytes) -> str:
    """A name for a format we refuse, so the message says what was sent."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) or b"<svg" in text:
        return "SVG"
    for magic, name in (
        (b"GIF8", "GIF"),
        (b"II*\x00", "TIFF"),
        (b"MM\x00*", "TIFF"),
        (b"BM", "BMP"),
    ):
        if head.startswith(magic):
            return name
    return _("không phải ảnh")


def _unsupported(head: bytes, *, allow_pdf: bool) -> DomainError:
    accepted = "JPEG, PNG, WebP, HEIC" + (" " + _("hoặc PDF") if allow_pdf else "")
    message = _("Định dạng tệp không được chấp nhận (%(kind)s): chỉ nhận %(accepted)s.") % {
        "kind": _refused_kind(head),
        "accepted": accepted,
    }
    return _refuse(message, Problem.INVALID, "unsupported")


def process_upload(data: bytes, *, allow_pdf: bool = True) -> ProcessedUpload:
    """Validate and derive; raises DomainError coded empty / too_large / too_many_pixels /
    decompression_bomb / unsupported / corrupt. Nothing is stored here."""
    check_upload_size(len(data))
    kind = sniff(data[:16])
    if kind is None:
        raise _unsupported(data[:512], allow_pdf=allow_pdf)
    digest = hashlib.sha256(data).hexdigest()
    if kind == "PDF":
        return _process_pdf(data, digest, allow_pdf=allow_pdf)
    check_integrity(data, kind)  # the structure first: cheap, and its message is exact
    image = _open(data, kind)
    width, height = image.size
    if width * height > max_pixels():
        raise _refuse(
            _("Ảnh quá lớn: %(w)d × %(h)d điểm ảnh, tối đa %(limit)s megapixel.")
            % {"w": width, "h": height, "limit": f"{max_pixels() / 1_000_000:g}"},
            Problem.INVALID,
            "too_many_pixels",
        )
    orientation, captured_at, latitude, longitude = _exif_facts(image)
    display_image = _decode_display(image, orientation)
    thumb_image = display_image.copy()  # a 5× step from 1600 px: Pillow's is as cheap here
    thumb_image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    if orientation in (5, 6, 7, 8):
        width, height = height, width  # recorded as the picture is seen
    return ProcessedUpload(
        content_type=IMAGE_FORMATS[kind],
        sha256=digest,
        original=data,
        display=_jpeg(display_image, quality=82),
        thumbnail=_jpeg(thumb_image, quality=75),
        width=width,
        height=height,
        captured_at=captured_at,
        latitude=latitude,
        longitude=longitude,
        dhash=difference_hash(thumb_image),
    )


def check_integrity(data: bytes, kind: str) -> None:
    """PNG chunks must carry their CRC up to IEND; a JPEG must reach its end marker.

    Pillow forgives both (it skips the CRC of the pixel data, stops without IEND, and takes a
    truncated JPEG as soon as `ImageFile.LOAD_TRUNCATED_IMAGES` is set anywhere), so we walk
    the structure ourselves; it costs one pass over the bytes, in C.
    """
    if kind == "PNG":
        broken = _png_broken_chunk(data)
        if broken == "":
            raise _refuse(
                _("Tệp PNG bị hỏng hoặc bị cắt cụt: thiếu khối kết thúc IEND."),
                Problem.INVALID,
                "corrupt",
            )
        if broken is not None:
            raise _refuse(
                _("Tệp PNG bị hỏng: mã kiểm tra CRC của khối %(chunk)s không khớp.")
                % {"chunk": broken},
                Problem.INVALID,
                "corrupt",
            )
    elif kind == "JPEG" and not _jpeg_reaches_end(data):
        raise _refuse(
            _("Tệp JPEG bị hỏng hoặc bị cắt cụt: không có dấu kết thúc ảnh (EOI)."),
            Problem.INVALID,
            "corrupt",
        )


def _png_broken_chunk(data: bytes) -> str | None:
    """None when every chunk's CRC holds up to IEND; the name of the first chunk whose CRC
    fails; "" when the file ends (or breaks off) before IEND. Bytes after IEND are ignored."""
    view, pos, end = memoryview(data), 8, len(data)
    while pos + 12 <= end:
        length = int.from_bytes(view[pos : pos + 4], "big")
        body_end = pos + 8 + length
        if body_end + 4 > end:
            return ""
        kind = bytes(view[pos + 4 : pos + 8])
        if zlib.crc32(view[pos + 4 : body_end]) != int.from_bytes(view[body_end : body_end + 4]):
            return kind.decode("latin-1")
        if kind == b"IEND":
            return None
        pos = body_end + 4
    return ""


# In entropy-coded data 0xFF is followed by 0x00 (stuffing), a restart marker or more 0xFF
# (fill): anything else is the next marker.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _jpeg_reaches_end(data: bytes) -> bool:
    """Whether the first image's segments lead to its EOI marker. Segments are skipped by
    their length, so an EXIF thumbnail's own EOI does not count; what follows the EOI (a
    phone maker's trailer, MPO's second picture) is allowed."""
    pos, end = 2, len(data)
    while True:
        pos = data.find(b"\xff", pos)  # libjpeg skips stray bytes before a marker too
        while 0 <= pos < end and data[pos] == 0xFF:
            pos += 1
        if pos < 0 or pos >= end:
            return False
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return True
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue  # markers without a length
        if pos + 2 > end:
            return False
        pos += int.from_bytes(data[pos : pos + 2], "big")
        if marker == 0xDA:  # start of scan: the coded data runs up to the next marker
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                return False
            pos = found.start()


def _process_pdf(data: bytes, digest: str, *, allow_pdf: bool) -> ProcessedUpload:
    if not allow_pdf:
        message = _("Tiêu chí này cần ảnh chụp (JPEG, PNG, WebP, HEIC), không nhận PDF.")
        raise _refuse(message, Problem.INVALID, "unsupported")
    if b"%%EOF" not in data[-1024:]:
        raise _refuse(_("Tệp PDF bị cắt cụt hoặc hỏng."), Problem.INVALID, "corrupt")
    return ProcessedUpload(PDF_TYPE, digest, data, None, None, None, None, None, None, None)


def _open(data: bytes, kind: str) -> Image.Image:
    """Open with the one decoder the first bytes named; reads the header only."""
    try:
        return Image.open(io.BytesIO(data), formats=[kind])
    except Image.DecompressionBombError:
        raise _bomb() from None
    except UnidentifiedImageError:
        raise _corrupt() from None  # the magic said `kind`, its decoder disagrees
    except _BROKEN as error:
        raise _bomb() if "Decompressed" in str(error) else _corrupt() from None


def _decode_display(image: Image.Image, orientation: int) -> Image.Image:
    """A full decode (truncation shows here, unlike verify()), reduced cheaply, upright, sRGB.

    JPEG decodes straight at 1/2, 1/4 or 1/8 scale (draft), so a 12 MP photo never exists in
    memory at full size.
    """
    icc = image.info.get("icc_profile")
    target = _fit(image.size, DISPLAY_SIDE)
    try:
        if isinstance(image, JpegImagePlugin.JpegImageFile):  # JPEG and phones' MPO
            image.draft(image.mode if image.mode == "CMYK" else "RGB", target)
        image.load()
        profile = icc if isinstance(icc, bytes) else None
        if image.mode in _BANDS:  # shrink first: colour work on 1600 px, not 12 MP
            work = _to_srgb(_shrunk(image, DISPLAY_SIDE), profile)
        else:  # alpha (flattened on white), palette, 1-bit, 16-bit: 8-bit sRGB, then shrink
            work = _shrunk(_to_srgb(image, profile), DISPLAY_SIDE)
    except Image.DecompressionBombError:
        raise _bomb() from None
    except _BROKEN as error:
        raise _bomb() if "Decompressed" in str(error) else _corrupt() from None
    method = _UPRIGHT.get(orientation)
    return work.transpose(method) if method is not None else work


def _shrunk(image: Image.Image, side: int) -> Image.Image:
    """The picture within side × side px (never enlarged), resampled by libvips."""
    size = _fit(image.size, side)
    if size == image.size:
        return image
    pixels = pyvips.Image.new_from_memory(
        image.tobytes(), image.width, image.height, _BANDS[image.mode], "uchar"
    )
    scaled = pixels.resize(
        size[0] / image.width, vscale=size[1] / image.height, kernel=_RESAMPLE_KERNEL
    )
    return Image.frombytes(image.mode, size, scaled.write_to_memory())


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, side / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """8-bit RGB in sRGB: alpha flattened on white, 16-bit scaled, CMYK and wide gamut mapped."""
    mode = image.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif mode.startswith("I") or mode == "F":
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if icc and image.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode == "CMYK" or "srgb" not in ImageCms.getProfileDescription(source).lower():
                converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: fall back to the plain conversion below
    return image if image.mode == "RGB" else image.convert("RGB")


def _jpeg(image: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)  # no EXIF, no GPS: nothing kept
    return out.getvalue()


def difference_hash(image: Image.Image) -> int:
    """dHash: 64 bits, one per neighbour pair of a 9 × 8 grey copy (brighter left → 1)."""
    small = image.convert("L").resize((9, 8), Image.Resampling.BOX)
    pixels = small.tobytes()  # one byte per pixel in mode L
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (1 if left > right else 0)
    return value


def is_distinctive(value: int) -> bool:
    """A flat or plain-gradient picture (a white wall) hashes to nearly all 0s or 1s: it would
    "match" every other such picture, so it is compared by its SHA-256 only."""
    return 4 <= value.bit_count() <= 60


def hash_bands(value: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands of a 64-bit hash, most significant first."""
    return (
        (value >> 48) & 0xFFFF,
        (value >> 32) & 0xFFFF,
        (value >> 16) & 0xFFFF,
        value & 0xFFFF,
    )


def _exif_facts(
    image: Image.Image,
) -> tuple[int, datetime | None, Decimal | None, Decimal | None]:
    """Orientation, capture time and GPS position; a garbled EXIF block gives nothing."""
    try:
        exif = image.getexif()
        orientation = exif.get(0x0112)
        raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
        gps = exif.get_ifd(0x8825)
        latitude = _coordinate(gps.get(2), gps.get(1), limit=90)
        longitude = _coordinate(gps.get(4), gps.get(3), limit=180)
    except Exception:  # EXIF is the sender's free text: never a reason to refuse
        return 1, None, None, None
    captured_at = None
    if isinstance(raw, str):
        try:
            naive = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            captured_at = timezone.make_aware(naive)
        except (ValueError, OverflowError):
            captured_at = None
    return (orientation if orientation in _UPRIGHT else 1), captured_at, latitude, longitude


def _coordinate(value: Any, ref: Any, *, limit: int) -> Decimal | None:
    try:
        degrees, minutes, seconds = (Decimal(str(float(part))) for part in value)
        result = degrees + minutes / 60 + seconds / 3600
        if not result.is_finite() or abs(result) > limit:
            return None
    except (TypeError, ValueError, ArithmeticError):
        return None
    if str(ref).upper().startswith(("S", "W")):
        result = -result
    return result.quantize(Decimal("0.000001"))


def store_processed(upload: ProcessedUpload) -> dict[str, Any]:
    """Save the files through the storage API under names that reveal nothing; return the
    photo's file fields. A failure part-way removes what was already saved."""
    stem = uuid.uuid4().hex
    folder = f"evidence/{stem[:2]}/{stem}"
    extension = EXTENSIONS.get(upload.content_type, "pdf")
    parts = [("original", f"o.{extension}", upload.original)]
    if upload.display is not None and upload.thumbnail is not None:
        parts += [("display", "d.jpg", upload.display), ("thumbnail", "t.jpg", upload.thumbnail)]
    fields: dict[str, Any] = {}
    try:
        for field, name, content in parts:
            fields[field] = default_storage.save(f"{folder}/{name}", ContentFile(content))
    except BaseException:
        for name in fields.values():
            default_storage.delete(name)
        raise
    return fields


# --- Removing the position from a stored original -------------------------------------------

_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
_GPS_IFD = 0x8825


def without_gps(data: bytes) -> bytes:
    """The same file with its EXIF GPS block emptied in place: same length, same pixels, every
    other tag kept (the file stays the evidence it was, without where it was taken). A file
    without GPS comes back unchanged."""
    kind = sniff(data[:16])
    if kind is None or kind == "PDF":
        return data
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            raw = image.info.get("exif")
            has_gps = bool(image.getexif().get_ifd(_GPS_IFD))
    except Exception:  # unreadable EXIF: nothing Pillow (or we) could read a position from
        return data
    if not raw or not has_gps:
        return data
    tiff = raw[6:] if raw.startswith(b"Exif\x00\x00") else raw
    start = data.find(tiff)
    if start < 0:
        return data
    block = bytearray(tiff)
    try:
        _empty_gps_ifd(block)
    except struct.error:  # offsets past the block: left to the caller's check (has_gps)
        return data
    cleaned = bytearray(data)
    cleaned[start : start + len(block)] = block
    if kind == "PNG":
        _fix_png_crcs(cleaned)
    return bytes(cleaned)


def has_gps(data: bytes) -> bool:
    """Whether an image file still carries an EXIF GPS block with any entry."""
    kind = sniff(data[:16])
    if kind is None or kind == "PDF":
        return False
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            return bool(image.getexif().get_ifd(_GPS_IFD))
    except Exception:
        return False


def _empty_gps_ifd(tiff: bytearray) -> None:
    """Zero every GPS entry's value and leave an empty IFD (0 entries, no next IFD)."""
    order = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack_from(order + "I", tiff, 4)[0]
    pointer = None
    for index in range(struct.unpack_from(order + "H", tiff, ifd0)[0]):
        entry = ifd0 + 2 + 12 * index
        if struct.unpack_from(order + "H", tiff, entry)[0] == _GPS_IFD:
            pointer = struct.unpack_from(order + "I", tiff, entry + 8)[0]
    if pointer is None:
        return
    count = struct.unpack_from(order + "H", tiff, pointer)[0]
    for index in range(count):
        entry = pointer + 2 + 12 * index
        kind, n, offset = struct.unpack_from(order + "HII", tiff, entry + 2)
        size = _TIFF_TYPE_SIZES.get(kind, 1) * n
        if size > 4 and offset + size <= len(tiff):
            tiff[offset : offset + size] = bytes(size)
    end = pointer + 2 + 12 * count + 4
    tiff[pointer:end] = bytes(end - pointer)


def _fix_png_crcs(data: bytearray) -> None:
    position = 8
    while position + 12 <= len(data):
        length = struct.unpack_from(">I", data, position)[0]
        body = bytes(data[position + 4 : position + 8 + length])
        struct.pack_into(">I", data, position + 8 + length, zlib.crc32(body))
        position += 12 + length

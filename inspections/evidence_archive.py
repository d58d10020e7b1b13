"""The evidence archive of a round or a unit: a ZIP streamed straight to the reader.

Never built whole, in memory, on disk or by a task: each file is read from storage in 64 KB
blocks (`default_storage.open`, local or S3 alike) and passed on as it is read (zipstream-ng,
stored, not deflated: JPEGs do not shrink). A manifest (manifest.csv) closes the archive: per
file its criterion, unit, capture time and the SHA-256 of the bytes in the archive, computed
as they went by. Display copies by default; originals (with GPS) for Internal Affairs only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import tempfile
from collections.abc import Generator, Iterable, Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from zipstream import ZIP_STORED, ZipStream

from inspections.photos import EXTENSIONS
from inspections.selectors.archive import EvidenceItem
from inspections.spreadsheets import safe_cell

log = logging.getLogger(__name__)

DISPLAY, ORIGINAL = "display", "original"
VARIANTS = (DISPLAY, ORIGINAL)
BLOCK = 64 * 1024
MANIFEST = "manifest.csv"
ZIP_TYPE = "application/zip"
# The manifest is kept aside until the end: in memory up to this size, then in a temporary file.
_MANIFEST_IN_MEMORY = 1024 * 1024


def stored_name(item: EvidenceItem, variant: str) -> str:
    """The stored file of a variant; a scanned PDF has no copy, so its display is itself."""
    if variant == ORIGINAL or (not item.display and item.content_type == "application/pdf"):
        return item.original
    return item.display


def archive_name(item: EvidenceItem, variant: str, name: str) -> str:
    """dot-12/PANLAC/A3/<id>.jpg; a corrective action's evidence under khac-phuc/."""
    if variant == DISPLAY and item.display and name == item.display:
        extension = "jpg"
    else:
        extension = EXTENSIONS.get(item.content_type, "pdf")
    folder = item.criterion or "chung"
    if item.follow_up:
        folder = f"khac-phuc/{folder}"
    return f"dot-{item.round_id}/{item.unit_code}/{folder}/{item.id}.{extension}"


def _headers() -> list[str]:
    return [
        _("Tệp"),
        _("Đợt kiểm tra"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Tiêu chí"),
        _("Nguồn"),
        _("Thời điểm chụp"),
        _("Bản"),
        _("SHA-256 của tệp"),
        _("SHA-256 ảnh gốc"),
        _("Ghi chú"),
    ]


def _blocks(handle: IO[bytes], digest: hashlib._Hash, failed: list[str]) -> Iterator[bytes]:
    """The file's bytes as read; a read that fails ends the entry and is named in the manifest
    (the archive is already on the wire: it cannot be taken back)."""
    try:
        with handle:
            while block := handle.read(BLOCK):
                digest.update(block)
                yield block
    except Exception as exc:  # storage errors differ by backend (OSError, botocore)
        log.warning("evidence archive: could not read %s: %s", getattr(handle, "name", ""), exc)
        failed.append(_("Không đọc được tệp."))


def add_stored_file(
    stream: ZipStream, name: str, arcname: str, digest: hashlib._Hash, failed: list[str]
) -> Generator[bytes, None, bool]:
    """Add one stored file to `stream` and yield the ZIP's bytes as it is read; False (and a
    reason in `failed`) when storage no longer has it. Shared with the personal-data export."""
    try:
        handle = default_storage.open(name, "rb") if name else None
    except OSError:
        handle = None
    if handle is None:
        failed.append(_("Tệp không còn trong kho lưu trữ."))
        return False
    stream.add(_blocks(handle, digest, failed), arcname)
    yield from stream.all_files()
    return True


def csv_line(row: Iterable[object]) -> bytes:
    """One CSV line, UTF-8, with cells that a spreadsheet would run escaped."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerow([safe_cell(v) for v in row])
    return text.getvalue().encode("utf-8")


def archive_chunks(items: Iterable[EvidenceItem], *, variant: str = DISPLAY) -> Iterator[bytes]:
    """The ZIP, chunk by chunk, as the files are read: one file in flight at a time."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    stream = ZipStream(compress_type=ZIP_STORED)
    manifest = tempfile.SpooledTemporaryFile(max_size=_MANIFEST_IN_MEMORY)  # noqa: SIM115
    with manifest:
        manifest.write("\ufeff".encode() + csv_line(_headers()))
        for item in items:
            name = stored_name(item, variant)
            arcname = archive_name(item, variant, name)
            failed: list[str] = []
            digest = hashlib.sha256()
            found = yield from add_stored_file(stream, name, arcname, digest, failed)
            added = arcname if found else ""
            manifest.write(_manifest_row(item, variant, added, digest, failed))
        manifest.seek(0)
        stream.add(iter(lambda: manifest.read(BLOCK), b""), MANIFEST)
        yield from stream.all_files()
        yield from stream.footer()


def _manifest_row(
    item: EvidenceItem, variant: str, arcname: str, digest: hashlib._Hash, failed: list[str]
) -> bytes:
    """One manifest line; `arcname` is empty when the file could not be added."""
    captured = (
        timezone.localtime(item.captured_at).strftime("%d/%m/%Y %H:%M:%S")
        if item.captured_at
        else ""
    )
    return csv_line(
        [
            arcname,
            item.round_name,
            item.unit_code,
            item.unit_name,
            item.criterion,
            _("Khắc phục") if item.follow_up else _("Phiếu kiểm tra"),
            captured,
            _("Ảnh gốc") if variant == ORIGINAL else _("Bản hiển thị"),
            "" if failed else digest.hexdigest(),
            item.sha256,
            " ".join(failed),
        ]
    )

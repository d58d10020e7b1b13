"""A person's own data as a ZIP streamed to them (tai-khoan/du-lieu-ca-nhan): never built whole.

Photos are read from storage in blocks, one in flight at a time (the evidence archive's
`add_stored_file`); the lists are written row by row from querysets read in batches; the photo
list, which says which files made it in, is kept aside in a spooled temporary file until the
end. Memory stays flat whether the person sent ten photos or ten thousand.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from zipstream import ZIP_DEFLATED, ZIP_STORED, ZipStream

from inspections.evidence_archive import BLOCK, ZIP_TYPE, add_stored_file, csv_line
from inspections.models import RoleKind
from inspections.photos import EXTENSIONS
from inspections.policies import Actor
from inspections.selectors import personal_data as selected
from inspections.selectors.personal_data import PersonalPhoto

_LIST_IN_MEMORY = 1024 * 1024
BOM = "\ufeff".encode()
README, ACCOUNT, ROLES, PHOTOS, EVENTS = (
    "README.txt",
    "tai-khoan.json",
    "vai-tro.csv",
    "anh.csv",
    "nhat-ky.csv",
)
NOTIFICATIONS, TOKENS = "thong-bao.csv", "ma-api.csv"
DISPLAY_DIR, ORIGINAL_DIR = "anh/ban-hien-thi", "anh/ban-goc"


def zip_name(person: Actor) -> str:
    return f"du-lieu-ca-nhan-{person.pk}-{timezone.localdate():%Y%m%d}.zip"


def download_headers(person: Actor) -> dict[str, str]:
    """The headers of the download on both doors (and of the API's HEAD, which has no body)."""
    return {
        "Content-Type": ZIP_TYPE,
        "Content-Disposition": f'attachment; filename="{zip_name(person)}"',
        "Cache-Control": "private, no-store",
    }


def _when(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _owner_label(owner: str) -> str:
    return {
        "inspection": _("Phiếu kiểm tra"),
        "action": _("Khắc phục"),
        "commitment": _("Bản cam kết"),
    }[owner]


def _display_file(photo: PersonalPhoto) -> tuple[str, str]:
    """(stored name, name in the archive) of the display copy; a scanned PDF is its own copy."""
    if photo.display:
        return photo.display, f"{DISPLAY_DIR}/{photo.id}.jpg"
    if photo.content_type == "application/pdf" and photo.original and not photo.original_deleted_at:
        return photo.original, f"{DISPLAY_DIR}/{photo.id}.pdf"
    return "", ""


def _original_file(photo: PersonalPhoto) -> tuple[str, str]:
    if not photo.original or photo.original_deleted_at or photo.content_type == "application/pdf":
        return "", ""  # purged, or a PDF already given as the display copy
    extension = EXTENSIONS.get(photo.content_type, "bin")
    return photo.original, f"{ORIGINAL_DIR}/{photo.id}.{extension}"


def _photo_headers() -> list[str]:
    return [
        _("Mã ảnh"),
        _("Nguồn"),
        _("Phiếu kiểm tra"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Đợt kiểm tra"),
        _("Năm cam kết"),
        _("Tiêu chí"),
        _("Chú thích"),
        _("Thời điểm chụp"),
        _("Thời điểm tải lên"),
        _("SHA-256 ảnh gốc"),
        _("Vĩ độ"),
        _("Kinh độ"),
        _("Máy ảnh"),
        _("Ảnh gốc đã xoá lúc"),
        _("Tệp bản hiển thị"),
        _("Tệp ảnh gốc"),
        _("Ghi chú"),
    ]


def _photo_row(photo: PersonalPhoto, display: str, original: str, failed: list[str]) -> bytes:
    return csv_line(
        [
            photo.id,
            _owner_label(photo.owner),
            photo.inspection_id or "",
            photo.unit_code,
            photo.unit_name,
            photo.round_name,
            photo.year or "",
            photo.criterion,
            photo.caption,
            _when(photo.captured_at),
            _when(photo.uploaded_at),
            photo.sha256,
            "" if photo.latitude is None else photo.latitude,
            "" if photo.longitude is None else photo.longitude,
            photo.camera,
            _when(photo.original_deleted_at),
            display,
            original,
            " ".join(dict.fromkeys(failed)),
        ]
    )


def _photos(stream: ZipStream, person: Actor) -> Iterator[bytes]:
    """Each photo's files, then the list of them all (anh.csv)."""
    listing = tempfile.SpooledTemporaryFile(max_size=_LIST_IN_MEMORY)  # noqa: SIM115
    with listing:
        listing.write(BOM + csv_line(_photo_headers()))
        for photo in selected.photos_uploaded(person):
            failed: list[str] = []
            added: list[str] = []
            for name, arcname in (_display_file(photo), _original_file(photo)):
                if not name:
                    added.append("")
                    continue
                found = yield from add_stored_file(stream, name, arcname, hashlib.sha256(), failed)
                added.append(arcname if found else "")
            listing.write(_photo_row(photo, added[0], added[1], failed))
        listing.seek(0)
        stream.add(iter(lambda: listing.read(BLOCK), b""), PHOTOS)
        yield from stream.all_files()


def _csv(headers: list[str], rows: Iterable[Iterable[object]]) -> Iterator[bytes]:
    yield BOM + csv_line(headers)
    for row in rows:
        yield csv_line(row)


def _roles(person: Actor) -> Iterator[list[object]]:
    for role in selected.roles_held(person):
        unit = role.unit
        yield [
            role.kind,
            RoleKind(role.kind).label,
            unit.code if unit else "",
            unit.name if unit else "",
        ]


def _events(person: Actor) -> Iterator[list[object]]:
    rows = selected.events_naming(person).values_list(
        "at", "actor_id", "actor_name", "action", "object_type", "object_id", "data"
    )
    for at, actor_id, actor_name, action, object_type, object_id, data in rows.iterator(
        chunk_size=selected.BATCH
    ):
        mine = actor_id == person.pk
        yield [
            _when(at),
            _("Người thực hiện") if mine else _("Được nhắc đến"),
            actor_name,
            action,
            object_type,
            object_id,
            json.dumps(data, ensure_ascii=False, sort_keys=True),
        ]


def _notifications(person: Actor) -> Iterator[list[object]]:
    rows = selected.notifications_received(person).values_list(
        "created_at", "category", "kind", "data", "read_at", "email_choice"
    )
    for created, category, kind, data, read_at, email in rows.iterator(chunk_size=selected.BATCH):
        yield [
            _when(created),
            category,
            kind,
            json.dumps(data, ensure_ascii=False, sort_keys=True),
            _when(read_at),
            email,
        ]


def _tokens(person: Actor) -> Iterator[list[object]]:
    for token in selected.tokens_held(person):
        yield [
            token.id,
            token.device,
            _when(token.created),
            _when(token.last_used),
            _when(token.expiry),
        ]


def _account(person: Actor) -> bytes:
    facts: dict[str, Any] = selected.account_facts(person)
    for key in ("date_joined", "last_login"):
        facts[key] = _when(facts[key])
    facts["exported_at"] = _when(timezone.now())
    return json.dumps(facts, ensure_ascii=False, indent=2).encode()


def personal_data_chunks(person: Actor) -> Iterator[bytes]:
    """The ZIP, chunk by chunk: README, account, roles, photos and their list, events,
    notifications, API tokens. Photos are stored (JPEGs do not shrink), text is deflated."""
    stream = ZipStream(compress_type=ZIP_STORED)
    stream.add(readme_text().encode(), README, compress_type=ZIP_DEFLATED)
    stream.add(_account(person), ACCOUNT, compress_type=ZIP_DEFLATED)
    roles = _csv([_("Mã vai trò"), _("Vai trò"), _("Mã đơn vị"), _("Đơn vị")], _roles(person))
    stream.add(roles, ROLES, compress_type=ZIP_DEFLATED)
    yield from stream.all_files()
    yield from _photos(stream, person)
    event_headers = [
        _("Thời điểm"),
        _("Vai trò của bạn"),
        _("Người thực hiện"),
        _("Hành động"),
        _("Đối tượng"),
        _("Mã đối tượng"),
        _("Chi tiết"),
    ]
    stream.add(_csv(event_headers, _events(person)), EVENTS, compress_type=ZIP_DEFLATED)
    notification_headers = [
        _("Thời điểm"),
        _("Nhóm"),
        _("Loại"),
        _("Nội dung"),
        _("Đã đọc lúc"),
        _("Nhận e-mail"),
    ]
    stream.add(
        _csv(notification_headers, _notifications(person)),
        NOTIFICATIONS,
        compress_type=ZIP_DEFLATED,
    )
    token_headers = [
        _("Mã"),
        _("Thiết bị"),
        _("Tạo lúc"),
        _("Dùng gần nhất"),
        _("Hết hạn lúc"),
    ]
    stream.add(_csv(token_headers, _tokens(person)), TOKENS, compress_type=ZIP_DEFLATED)
    yield from stream.all_files()
    yield from stream.footer()


def readme_text() -> str:
    """What each file holds, in the reader's language (Vietnamese by default)."""
    lines = [
        _("DỮ LIỆU CÁ NHÂN CỦA BẠN TRONG CÔNG SỞ XANH"),
        "",
        _(
            "Tệp này gồm những dữ liệu về bạn mà hệ thống đang lưu, theo quyền của chủ thể "
            "dữ liệu (Nghị định 13/2023/NĐ-CP, Luật Bảo vệ dữ liệu cá nhân 2025)."
        ),
        _(
            "Các tệp CSV mở được bằng Excel hoặc LibreOffice (mã hoá UTF-8); "
            "thời điểm theo giờ Việt Nam."
        ),
        "",
        f"{ACCOUNT}: "
        + _(
            "tài khoản: họ và tên, tên đăng nhập, email, ngày tạo, lần đăng nhập gần nhất, "
            "xác thực hai bước bật hay tắt, lựa chọn nhận thông báo. Không có mật khẩu, "
            "khoá xác thực hay mã dự phòng."
        ),
        f"{ROLES}: " + _("các vai trò của bạn và đơn vị của từng vai trò."),
        f"{PHOTOS}: "
        + _(
            "mọi ảnh và bản quét bạn đã tải lên: phiếu kiểm tra, đơn vị, đợt, tiêu chí, thời "
            "điểm chụp, thời điểm tải lên, SHA-256 của ảnh gốc, vị trí GPS nếu còn lưu, máy ảnh "
            "và tên tệp tương ứng trong thư mục anh/."
        ),
        f"{DISPLAY_DIR}/: " + _("bản hiển thị của từng ảnh (đã bỏ GPS và thông tin EXIF khác)."),
        f"{ORIGINAL_DIR}/: "
        + _(
            "ảnh gốc như đã gửi, nếu chưa hết thời hạn lưu giữ (có thể còn GPS; khi kết quả "
            "đợt đã công bố, GPS đã được xoá khỏi ảnh gốc)."
        ),
        f"{EVENTS}: "
        + _(
            "nhật ký các việc bạn đã làm và các việc liên quan đến tài khoản, vai trò, "
            "phân công của bạn hoặc việc bạn tham gia tổ kiểm tra."
        ),
        f"{NOTIFICATIONS}: " + _("các thông báo hệ thống đã gửi cho bạn."),
        f"{TOKENS}: "
        + _(
            "các mã truy cập API của bạn: thiết bị, ngày tạo, lần dùng gần nhất, hạn; "
            "không có mã bí mật."
        ),
        "",
        _(
            "Nếu thấy dữ liệu sai hoặc muốn hỏi về việc xử lý dữ liệu, xem trang “Quyền riêng tư” "
            "của Công Sở Xanh."
        ),
        "",
    ]
    return "\r\n".join(lines)

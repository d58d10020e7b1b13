"""A whole visit, through the services: the record's tests and bench/record.py build it.

The reference catalogue answered with every answer type, N/A with their notes, a failed ★
item and a flagged one; a team of two, two people of the unit present, photos with EXIF
capture times and GPS positions (which the record must never print), both signatures.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw

from inspections.models import Criterion, EvidenceKind, Inspection, RoleKind
from inspections.services import (
    answer_set,
    assignments_create,
    inspection_approve,
    inspection_create,
    inspection_submit,
    load_reference_catalogue,
    photo_attach,
    round_create,
)
from inspections.services.team import (
    representative_add,
    signature_record,
    team_member_add,
    team_note_set,
)
from tests.factories import Org, make_user

# What the tests look for in the PDF (and the bench prints nothing of).
NA_NOTES = {"A7": "Đơn vị không có khu pantry riêng", "D3": "Chưa triển khai dịch vụ công"}
FAILED_STAR = "C6"
FLAGGED = "B4"
GPS = ((21, 1, 42.0), (105, 51, 3.0))  # 21.02833 N, 105.85083 E: never in a record


def photo_jpeg(index: int, *, side: tuple[int, int] = (480, 360), gps: bool = True) -> bytes:
    """A distinct picture with a capture time (and a GPS position) in its EXIF."""
    image = Image.new("RGB", side, (40 + index * 37 % 180, 120 + index * 53 % 120, 90))
    draw = ImageDraw.Draw(image)
    w, h = side
    for k in range(6):
        box = ((k * 61 + index * 17) % (w - 60), (k * 43 + index * 29) % (h - 60))
        draw.rectangle([box, (box[0] + 50, box[1] + 40)], fill=(250 - k * 30, 230, 60 + k * 20))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = f"2026:12:01 09:{index % 60:02d}:00"
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: GPS[0], 3: "E", 4: GPS[1]})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def value_for(criterion: Criterion) -> tuple[object, str | None]:
    if criterion.code in NA_NOTES:
        return "na", NA_NOTES[criterion.code]
    if criterion.code == FAILED_STAR:
        return False, "Phát hiện khói thuốc lá tại cầu thang tầng 2"
    if criterion.answer_type == "level":
        return (3, "Còn tài liệu cũ trên bàn") if criterion.code in ("A2", FLAGGED) else (4, None)
    if criterion.answer_type == "percent":
        return {"D1": "97.5", "D2": "88"}.get(criterion.code, "100"), None
    return True, None


@dataclass
class Visit:
    inspection: Inspection
    internal_affairs: Any
    inspector: Any
    member: Any


def signature_strokes(seed: int) -> list[list[int]]:
    """A handwriting-like scribble in the 600 × 200 box."""
    strokes = []
    for s in range(3):
        points = []
        for i in range(40):
            x = 60 + s * 170 + i * 4
            y = 100 + int(50 * ((i * (seed + 3) + s * 7) % 13 - 6) / 6)
            points += [min(x, 600), max(0, min(y, 200))]
        strokes.append(points)
    return strokes


def build_visit(*, total_photos: int | None = None, signed: bool = True) -> Visit:
    """An approved official inspection of Phường An Lạc with everything the record shows."""
    org = Org.build()
    internal_affairs = make_user(
        "noivu", RoleKind.INTERNAL_AFFAIRS, org.noi_vu, full_name="Lê Thị Mai"
    )
    inspector = make_user("kiemtra1", RoleKind.INSPECTOR, org.noi_vu, full_name="Phạm Quốc Bảo")
    member = make_user("kiemtra2", RoleKind.INSPECTOR, org.tai_chinh, full_name="Đặng Thu Hương")
    version = load_reference_catalogue()
    round_ = round_create(
        by=internal_affairs,
        name="Quý IV/2026",
        version=version,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        open_now=True,
    )
    assignments_create(by=internal_affairs, round=round_, inspector=inspector, units=[org.ward])
    inspection, _created = inspection_create(by=inspector, round=round_, unit=org.ward)
    team_member_add(by=inspector, inspection=inspection, user_id=member.pk)
    representative_add(
        by=inspector, inspection=inspection, name="Nguyễn Thị Hồng Nhung", position="Chủ tịch UBND"
    )
    representative_add(
        by=inspector,
        inspection=inspection,
        name="Trần Văn Đức",
        position="Công chức Văn phòng - Thống kê",
    )
    criteria = list(
        Criterion.objects.filter(version=version).order_by("section__order", "order", "code")
    )
    for criterion in criteria:
        value, note = value_for(criterion)
        answer_set(
            by=inspector,
            inspection=inspection,
            criterion_code=criterion.code,
            value=value,
            note=note,
            flagged=criterion.code == FLAGGED or None,
        )
    index = 0
    for criterion in criteria:
        if criterion.evidence == EvidenceKind.NONE or criterion.code in NA_NOTES:
            continue
        index += 1
        photo_attach(
            by=inspector,
            inspection=inspection,
            data=photo_jpeg(index),
            criterion_code=criterion.code,
            caption=f"Ảnh hiện trạng {criterion.code}",
        )
    extra = max(0, (total_photos or 0) - index - 1)
    for k in range(extra):
        photo_attach(
            by=member, inspection=inspection, data=photo_jpeg(100 + k), criterion_code="A1"
        )
    photo_attach(by=member, inspection=inspection, data=photo_jpeg(99), caption="Toàn cảnh")
    team_note_set(by=member, inspection=inspection, note="Đề nghị đơn vị bố trí thêm thùng rác")
    if signed:
        for role, name in (("unit", "Nguyễn Thị Hồng Nhung"), ("lead", "")):
            signature_record(
                by=inspector,
                inspection=inspection,
                role=role,
                name=name,
                position="Chủ tịch UBND" if role == "unit" else "",
                strokes=signature_strokes(len(name)),
            )
    inspection_submit(by=inspector, inspection=inspection)
    inspection = inspection_approve(by=internal_affairs, inspection=inspection)
    return Visit(inspection, internal_affairs, inspector, member)

"""What a photo's own facts say about it: when and where it was taken, by what, and where else
it was used. Pure: the services gather the facts, store the findings on the photo
(`EvidencePhoto.checks`, a list of {"code": …, and its facts}) and pages read them back.

A finding never holds a coordinate: a position outside the unit's radius is kept as its
distance in metres, so every reader may see the findings.
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from inspections.display import number
from inspections.errors import DomainError
from inspections.numbers import ascii_int
from inspections.photos import sniff

BEFORE_ROUND = "before_round"
AFTER_ROUND = "after_round"
OLD = "old"
BEFORE_ACTION = "before_action"
FAR = "far"
NO_CAMERA = "no_camera"
REUSED = "reused"
FINDING_AS_FIX = "finding_as_fix"
CODES = (BEFORE_ROUND, AFTER_ROUND, OLD, BEFORE_ACTION, FAR, NO_CAMERA, REUSED, FINDING_AS_FIX)

EARTH_RADIUS_M = 6_371_008.8
_EXIF_MAKE, _EXIF_MODEL = 0x010F, 0x0110


@dataclass(frozen=True)
class Place:
    latitude: Decimal
    longitude: Decimal
    radius_m: int


@dataclass(frozen=True)
class Setting:
    """Where the photo belongs: its round's dates, its unit's place, the action it answers."""

    round_dates: tuple[datetime.date, datetime.date] | None
    place: Place | None
    action_opened: datetime.datetime | None
    max_age_days: int


@dataclass(frozen=True)
class Match:
    """Another owner's photo with the same file or a near picture."""

    photo_id: str
    owner: str  # "inspection", "action_response" or "commitment"
    owner_id: str
    unit_name: str
    other_unit: bool
    same_file: bool
    distance: int  # dHash bits apart; 0 for the same file
    is_finding: bool  # the inspector's photo of the finding this response claims to fix


def camera_of(data: bytes) -> str:
    """ "Make Model" from an image's EXIF, or "" (a PDF, a screenshot, a stripped file).
    Reads the header only; EXIF is free text, so nothing in it is a reason to fail."""
    kind = sniff(data[:16])
    if kind is None or kind == "PDF":
        return ""
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            exif = image.getexif()
            parts = [exif.get(_EXIF_MAKE), exif.get(_EXIF_MODEL)]
    except Exception:
        return ""
    words: list[str] = []
    for part in parts:
        text = part.decode("latin-1") if isinstance(part, bytes) else str(part or "")
        text = " ".join("".join(c for c in text if c.isprintable()).split())
        if text and text not in " ".join(words):
            words.append(text)
    return " ".join(words)[:120]


def distance_m(
    latitude: Decimal, longitude: Decimal, other_latitude: Decimal, other_longitude: Decimal
) -> int:
    """Great-circle distance (haversine) in whole metres."""
    phi1, phi2 = math.radians(float(latitude)), math.radians(float(other_latitude))
    dphi = phi2 - phi1
    dlambda = math.radians(float(other_longitude) - float(longitude))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))


def median_position(points: Iterable[tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal] | None:
    """The component-wise median: one photo taken in the car park does not move the unit."""
    pairs = list(points)
    if not pairs:
        return None
    step = Decimal("0.000001")
    latitude = Decimal(str(median(p[0] for p in pairs))).quantize(step)
    longitude = Decimal(str(median(p[1] for p in pairs))).quantize(step)
    return latitude, longitude


def findings(
    *,
    is_image: bool,
    captured_at: datetime.datetime | None,
    uploaded_at: datetime.datetime,
    latitude: Decimal | None,
    longitude: Decimal | None,
    camera: str,
    setting: Setting,
    matches: Sequence[Match],
) -> list[dict[str, Any]]:
    """Every finding on one photo, in a fixed order."""
    found: list[dict[str, Any]] = []
    if captured_at is not None:
        found += _time_findings(captured_at, uploaded_at, setting)
    if setting.place is not None and latitude is not None and longitude is not None:
        apart = distance_m(setting.place.latitude, setting.place.longitude, latitude, longitude)
        if apart > setting.place.radius_m:
            found.append({"code": FAR, "distance_m": apart, "radius_m": setting.place.radius_m})
    if is_image and not camera and captured_at is None and latitude is None:
        found.append({"code": NO_CAMERA})
    for match in matches:
        found.append(
            {
                "code": FINDING_AS_FIX if match.is_finding else REUSED,
                "photo": match.photo_id,
                "owner": match.owner,
                "owner_id": match.owner_id,
                "unit": match.unit_name,
                "other_unit": match.other_unit,
                "same_file": match.same_file,
                "distance": match.distance,
            }
        )
    return found


def _time_findings(
    captured_at: datetime.datetime, uploaded_at: datetime.datetime, setting: Setting
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    taken_on = timezone.localtime(captured_at).date()
    if setting.round_dates is not None:
        starts_on, ends_on = setting.round_dates
        if taken_on < starts_on:
            found.append({"code": BEFORE_ROUND, "days": (starts_on - taken_on).days})
        elif taken_on > ends_on:
            found.append({"code": AFTER_ROUND, "days": (taken_on - ends_on).days})
    if setting.action_opened is not None and captured_at < setting.action_opened:
        found.append({"code": BEFORE_ACTION})
    age = (uploaded_at - captured_at).days
    if age > setting.max_age_days:
        found.append({"code": OLD, "days": age, "limit": setting.max_age_days})
    return found


_OWNERS = {
    "inspection": lambda: _("phiếu kiểm tra"),
    "action_response": lambda: _("báo cáo khắc phục"),
    "commitment": lambda: _("bản cam kết"),
}


def flag_text(flag: dict[str, Any]) -> str:
    """One finding as the reviewer reads it."""
    code = flag.get("code")
    if code == BEFORE_ROUND:
        return _("Chụp trước đợt kiểm tra %(days)s ngày") % {"days": number(flag["days"], 0)}
    if code == AFTER_ROUND:
        return _("Chụp sau khi đợt kiểm tra kết thúc %(days)s ngày") % {
            "days": number(flag["days"], 0)
        }
    if code == OLD:
        return _("Chụp trước khi gửi %(days)s ngày") % {"days": number(flag["days"], 0)}
    if code == BEFORE_ACTION:
        return _("Chụp trước khi có yêu cầu khắc phục")
    if code == FAR:
        return _("Chụp cách đơn vị %(km)s km (bán kính cho phép %(radius)s m)") % {
            "km": number(flag["distance_m"] / 1000, 1),
            "radius": number(flag["radius_m"], 0),
        }
    if code == NO_CAMERA:
        return _("Không có thông tin máy ảnh (có thể là ảnh chụp màn hình hoặc ảnh tải về)")
    if code in (REUSED, FINDING_AS_FIX):
        if code == FINDING_AS_FIX:
            return _("Trùng ảnh phát hiện lỗi của cán bộ kiểm tra: ảnh “khắc phục” là ảnh cũ")
        if flag.get("same_file"):
            text = _("Trùng tệp với ảnh của %(owner)s")
        else:
            text = _("Gần giống ảnh của %(owner)s")
        owner = _OWNERS.get(str(flag.get("owner")), _OWNERS["inspection"])()
        if flag.get("unit"):  # named only to those who may see it (see api/serializers)
            where = f"{text % {'owner': owner}} — {flag['unit']}"
        elif flag.get("other_unit"):
            where = _("%(text)s ở đơn vị khác") % {"text": text % {"owner": owner}}
        else:
            where = _("%(text)s của chính đơn vị") % {"text": text % {"owner": owner}}
        return where
    return str(code)


def summary(photos: Iterable[Any]) -> list[str]:
    """The findings of many photos, counted per kind: "3 ảnh chụp trước đợt kiểm tra"."""
    counts: dict[str, int] = {}
    farthest = 0
    for photo in photos:
        codes: set[str] = set()
        for flag in photo.checks or []:
            code = flag.get("code")
            if code == REUSED:
                code = "reused_other_unit" if flag.get("other_unit") else "reused_same_unit"
            if code == FAR:
                farthest = max(farthest, int(flag.get("distance_m", 0)))
            codes.add(str(code))
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    order = [c for c in CODES if c != REUSED] + ["reused_other_unit", "reused_same_unit"]
    lines = [
        _summary_line(code, number(counts[code], 0), counts[code], farthest)
        for code in order
        if code in counts
    ]
    return [line for line in lines if line]


def _summary_line(code: str, n: str, count: int, farthest: int) -> str:
    km = number(farthest / 1000, 1)
    if code == BEFORE_ROUND:
        return _("%(n)s ảnh chụp trước đợt kiểm tra") % {"n": n}
    if code == AFTER_ROUND:
        return _("%(n)s ảnh chụp sau đợt kiểm tra") % {"n": n}
    if code == OLD:
        return _("%(n)s ảnh chụp quá lâu trước khi gửi") % {"n": n}
    if code == BEFORE_ACTION:
        return _("%(n)s ảnh chụp trước khi có yêu cầu khắc phục") % {"n": n}
    if code == FAR and count == 1:
        return _("%(n)s ảnh chụp cách đơn vị %(km)s km") % {"n": n, "km": km}
    if code == FAR:
        return _("%(n)s ảnh chụp xa đơn vị, xa nhất %(km)s km") % {"n": n, "km": km}
    if code == NO_CAMERA:
        return _("%(n)s ảnh không có thông tin máy ảnh") % {"n": n}
    if code == "reused_other_unit":
        return _("%(n)s ảnh đã dùng ở đơn vị khác") % {"n": n}
    if code == "reused_same_unit":
        return _("%(n)s ảnh đã dùng ở hồ sơ khác của đơn vị") % {"n": n}
    if code == FINDING_AS_FIX:
        return _("%(n)s ảnh khắc phục trùng ảnh phát hiện lỗi") % {"n": n}
    return ""


# --- A unit's place, as typed or read from a workbook -----------------------------------------

MIN_RADIUS_M, MAX_RADIUS_M = 10, 100_000
_STEP = Decimal("0.000001")


def _coordinate(raw: object, limit: int) -> Decimal | None:
    """A decimal in ASCII digits, point or comma, within ±limit; None when it is not one."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        number_ = Decimal(str(raw))
        if not number_.is_finite() or abs(number_) > limit:
            return None
        return number_.quantize(_STEP)
    if isinstance(raw, str):
        text = raw.strip().replace(",", ".")
    else:
        return None
    if not text or not text.isascii() or len(text) > 20:
        return None
    body = text.lstrip("+-")
    if not body or not all(c.isdigit() or c == "." for c in body) or body.count(".") > 1:
        return None
    value = Decimal(text)
    if not value.is_finite() or abs(value) > limit:
        return None
    return value.quantize(_STEP)


def parse_place(
    latitude: object, longitude: object, radius: object
) -> tuple[Decimal | None, Decimal | None, int | None]:
    """The three values of a unit's place, all given or all empty (no place); a problem is a
    DomainError with a message per field, the same for the page, the API and the workbook."""
    given = [v for v in (latitude, longitude, radius) if v is not None and str(v).strip() != ""]
    if not given:
        return None, None, None
    problems: dict[str, list[str]] = {}
    lat = _coordinate(latitude, 90)
    lon = _coordinate(longitude, 180)
    if lat is None:
        problems["latitude"] = [_("Vĩ độ là số thập phân từ −90 đến 90, ví dụ 10,776889.")]
    if lon is None:
        problems["longitude"] = [_("Kinh độ là số thập phân từ −180 đến 180, ví dụ 106,700806.")]
    radius_text = str(int(radius)) if isinstance(radius, float) and radius.is_integer() else radius
    metres = ascii_int(
        str(radius_text).strip() if radius_text is not None else None,
        minimum=MIN_RADIUS_M,
        maximum=MAX_RADIUS_M,
    )
    if metres is None:
        problems["radius_m"] = [
            _("Bán kính là số mét nguyên từ %(low)s đến %(high)s.")
            % {"low": number(MIN_RADIUS_M, 0), "high": number(MAX_RADIUS_M, 0)}
        ]
    if problems:
        raise DomainError(_("Chưa lưu được vị trí đơn vị."), fields=problems, code="invalid_place")
    return lat, lon, metres

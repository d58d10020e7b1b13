"""The checks on every photo, with photos made by Pillow carrying chosen EXIF: capture time,
place, camera, and reuse across every kind of owner (inspection, action response, commitment),
including the inspector's finding photo sent back as the fix."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from inspections import evidence_checks, selectors, services
from inspections.errors import DomainError, Problem
from inspections.evidence_checks import distance_m, summary
from inspections.models import EvidencePhoto, OrgUnit
from tests.inspections.builders import (
    answer_everything,
    assign,
    attach_evidence,
)
from tests.inspections.test_photos import PDF, encode, photo_like

pytestmark = pytest.mark.django_db

# The unit's place in these tests and a point 1,46 km west of it.
HERE = (Decimal("10.775000"), Decimal("106.700000"))
AWAY = ((10.0, 46.0, 30.0), (106.0, 41.0, 12.0))  # 10.775, 106.686667


def shot(
    seed: int = 1,
    *,
    taken: str | None = "2026:11:20 09:30:00",
    gps: tuple[Any, Any] | None = None,
    camera: tuple[str, str] | None = ("Samsung", "SM-A546E"),
) -> bytes:
    """A photo-like JPEG with exactly the EXIF asked for (none at all when nothing is)."""
    image = photo_like((320, 240), seed=seed)
    exif = image.getexif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        latitude, longitude = gps
        exif.get_ifd(0x8825).update({1: "N", 2: latitude, 3: "E", 4: longitude})
    if camera:
        exif[0x010F], exif[0x0110] = camera
    if not (taken or gps or camera):
        return encode(image, "JPEG", quality=92)
    return encode(image, "JPEG", quality=92, exif=exif)


def dms(value: Decimal) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = (value - degrees) * 60
    return float(degrees), float(int(minutes)), float((minutes - int(minutes)) * 60)


AT_UNIT = (dms(HERE[0]), dms(HERE[1]))


def codes(photo: EvidencePhoto) -> list[str]:
    photo.refresh_from_db()
    return [flag["code"] for flag in photo.checks]


@pytest.fixture
def draft(org: Any, cast: Any, open_round: Any) -> Any:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    return inspection


def attach(draft: Any, cast: Any, data: bytes, code: str | None = "A1") -> EvidencePhoto:
    photo, _ = services.photo_attach(
        by=cast.inspector, inspection=draft, data=data, criterion_code=code
    )
    return photo


def place(unit: OrgUnit, by: Any, radius: str = "300") -> None:
    services.unit_place_set(
        by=by, unit=unit, latitude=str(HERE[0]), longitude=str(HERE[1]), radius_m=radius
    )


# --- Time -------------------------------------------------------------------------------------


def test_a_photo_taken_in_the_round_with_a_camera_has_no_finding(draft: Any, cast: Any) -> None:
    photo = attach(draft, cast, shot())
    assert codes(photo) == []
    assert photo.camera == "Samsung SM-A546E" and photo.checked_at is not None


def test_a_photo_taken_before_the_round_is_flagged_with_its_days(draft: Any, cast: Any) -> None:
    photo = attach(draft, cast, shot(taken="2026:09:01 08:00:00"))
    photo.refresh_from_db()
    before = next(f for f in photo.checks if f["code"] == "before_round")
    assert before == {"code": "before_round", "days": 30}  # the round starts on 1 October
    assert "old" in codes(photo)  # and more than 30 days before it was sent


def test_a_photo_dated_after_the_round_is_flagged(draft: Any, cast: Any) -> None:
    photo = attach(draft, cast, shot(taken="2027:01:05 10:00:00"))
    assert photo.refresh_from_db() or photo.checks == [{"code": "after_round", "days": 5}]


def test_a_photo_older_than_the_setting_allows_is_flagged(
    draft: Any, cast: Any, settings: Any
) -> None:
    settings.EVIDENCE_MAX_AGE_DAYS = 5
    photo = attach(draft, cast, shot(taken="2026:10:02 10:00:00"))
    photo.refresh_from_db()
    assert [f["code"] for f in photo.checks] == ["old"]
    assert photo.checks[0]["limit"] == 5 and photo.checks[0]["days"] > 5


# --- Place ------------------------------------------------------------------------------------


def test_a_photo_taken_outside_the_units_radius_keeps_its_distance_not_its_place(
    draft: Any, cast: Any, org: Any
) -> None:
    place(org.ward, cast.internal_affairs)
    near = attach(draft, cast, shot(1, gps=AT_UNIT))
    far = attach(draft, cast, shot(2, gps=AWAY), code="A2")
    assert codes(near) == [] and codes(far) == ["far"]
    flag = far.checks[0]
    expected = distance_m(HERE[0], HERE[1], Decimal("10.775"), Decimal("106.686667"))
    assert flag == {"code": "far", "distance_m": expected, "radius_m": 300}
    assert 1400 < expected < 1500
    assert "latitude" not in str(far.checks) and "10.77" not in str(far.checks)
    with translation.override("vi"):
        assert evidence_checks.flag_text(flag).startswith("Chụp cách đơn vị 1,5 km")


def test_setting_the_units_place_checks_its_photos_again(draft: Any, cast: Any, org: Any) -> None:
    photo = attach(draft, cast, shot(2, gps=AWAY))
    assert codes(photo) == []  # no place yet: nothing to measure against
    place(org.ward, cast.internal_affairs, radius="2000")
    assert codes(photo) == []
    place(org.ward, cast.internal_affairs, radius="500")
    assert codes(photo) == ["far"]
    services.unit_place_set(
        by=cast.internal_affairs, unit=org.ward, latitude="", longitude="", radius_m=""
    )
    assert codes(photo) == []


# --- Camera -----------------------------------------------------------------------------------


def test_a_picture_without_any_camera_metadata_is_flagged(draft: Any, cast: Any) -> None:
    bare = attach(draft, cast, shot(3, taken=None, camera=None))
    timed = attach(draft, cast, shot(4, camera=None), code="A2")
    scan = attach(draft, cast, PDF, code=None)
    assert codes(bare) == ["no_camera"] and bare.camera == ""
    assert codes(timed) == []  # a capture time is camera metadata too
    assert codes(scan) == []  # a PDF scan has no camera to ask about


# --- Reuse, across every owner ----------------------------------------------------------------


def test_the_same_file_in_another_units_commitment_is_flagged_on_both_sides(
    draft: Any, cast: Any, org: Any
) -> None:
    data = shot(5)
    photo = attach(draft, cast, data)
    commitment = services.commitment_record(
        by=cast.department_office, unit=org.tai_chinh, year=2026, signed_on=None, data=data
    )
    scan = commitment.photos.get()
    scan.refresh_from_db()
    (flag,) = scan.checks
    assert flag["code"] == "reused" and flag["owner"] == "inspection"
    assert flag["same_file"] and flag["other_unit"] and flag["photo"] == str(photo.pk)
    assert flag["unit"] == draft.unit_name_snapshot
    photo.refresh_from_db()
    assert [(f["code"], f["owner"], f["other_unit"]) for f in photo.checks] == [
        ("reused", "commitment", True)
    ]


def test_a_near_copy_in_another_inspection_of_another_round_is_flagged(
    draft: Any, cast: Any, org: Any, version: Any
) -> None:
    image = photo_like((640, 480), seed=7)
    first = attach(draft, cast, encode(image, "JPEG", quality=95))
    later = services.round_create(
        by=cast.internal_affairs,
        name="Quý I/2027",
        version=version,
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2027, 3, 31),
        open_now=True,
    )
    assign(later, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    other, _ = services.inspection_create(by=cast.inspector, round=later, unit=org.tai_chinh)
    resized = image.resize((320, 240))
    copy = attach(other, cast, encode(resized, "JPEG", quality=55))
    copy.refresh_from_db()
    (flag,) = [f for f in copy.checks if f["code"] == "reused"]
    assert flag["code"] == "reused" and not flag["same_file"] and flag["distance"] <= 6
    assert flag["owner_id"] == str(draft.pk) and flag["other_unit"]
    assert codes(first) == ["no_camera", "reused"]


def test_a_file_in_three_owners_is_flagged_on_each_with_the_two_others(
    draft: Any, cast: Any, org: Any, version: Any
) -> None:
    """The third copy checks the first two again together (two owners in one look-up): each
    of the two finds the other as well as the new one, and nothing of its own owner."""
    data = shot(9)
    first = attach(draft, cast, data)
    attach(draft, cast, data, code="A2")  # the same owner: never a reuse
    commitment = services.commitment_record(
        by=cast.department_office, unit=org.tai_chinh, year=2026, signed_on=None, data=data
    )
    scan = commitment.photos.get()
    later = services.round_create(
        by=cast.internal_affairs,
        name="Quý I/2027",
        version=version,
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2027, 3, 31),
        open_now=True,
    )
    assign(later, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    other, _ = services.inspection_create(by=cast.inspector, round=later, unit=org.tai_chinh)
    third = attach(other, cast, data)

    def reused(photo: EvidencePhoto) -> list[tuple[str, str]]:
        photo.refresh_from_db()
        return sorted((f["owner"], f["owner_id"]) for f in photo.checks if f["code"] == "reused")

    copies = list(draft.photos.all())
    assert len(copies) == 2
    for copy in copies:
        assert reused(copy) == sorted(
            [("commitment", str(commitment.pk)), ("inspection", str(other.pk))]
        )
    assert reused(scan) == sorted(
        [("inspection", str(draft.pk))] * 2 + [("inspection", str(other.pk))]
    )
    assert reused(third) == sorted(
        [("commitment", str(commitment.pk))] + [("inspection", str(draft.pk))] * 2
    )
    assert first in copies


def test_photos_of_one_owner_are_not_reuses_of_each_other(draft: Any, cast: Any) -> None:
    data = shot(8)
    one = attach(draft, cast, data)
    two = attach(draft, cast, data, code="A2")
    assert codes(one) == codes(two) == []


def _approved_with_finding_photo(org: Any, cast: Any, open_round: Any, finding: bytes) -> Any:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    answer_everything(inspection, cast.inspector, value_for={"A5": (False, "Lối thoát bị chắn")})
    attach_evidence(inspection, cast.inspector)
    attach(inspection, cast, finding, code="A5")
    services.inspection_submit(by=cast.inspector, inspection=inspection)
    return services.inspection_approve(by=cast.internal_affairs, inspection=inspection)


def test_the_inspectors_finding_photo_sent_back_as_the_fix_is_told_apart(
    org: Any, cast: Any, open_round: Any
) -> None:
    finding = shot(9)
    approved = _approved_with_finding_photo(org, cast, open_round, finding)
    action = approved.actions.get(criterion__code="A5")
    response = services.action_respond(
        by=cast.ward_office, action=action, note="Đã dọn lối thoát hiểm.", files=[finding]
    )
    fix = response.photos.get()
    fix.refresh_from_db()
    # Taken at the visit, before the action existed: the problem photo again.
    assert [f["code"] for f in fix.checks] == ["before_action", "finding_as_fix"]
    with translation.override("vi"):
        assert summary([fix]) == [
            "1 ảnh chụp trước khi có yêu cầu khắc phục",
            "1 ảnh khắc phục trùng ảnh phát hiện lỗi",
        ]


def test_a_fix_photo_used_before_by_another_unit_is_flagged_as_reused(
    org: Any, cast: Any, open_round: Any
) -> None:
    borrowed = shot(10)
    services.commitment_record(
        by=cast.department_office, unit=org.tai_chinh, year=2026, signed_on=None, data=borrowed
    )
    approved = _approved_with_finding_photo(org, cast, open_round, shot(11))
    action = approved.actions.get(criterion__code="A5")
    response = services.action_respond(
        by=cast.ward_office, action=action, note="Đã sửa.", files=[borrowed]
    )
    fix = response.photos.get()
    fix.refresh_from_db()
    flags = [f for f in fix.checks if f["code"] == "reused"]
    assert [(f["owner"], f["other_unit"]) for f in flags] == [("commitment", True)]


def test_removing_a_photo_clears_the_reuse_it_caused(draft: Any, cast: Any, org: Any) -> None:
    data = shot(12)
    commitment = services.commitment_record(
        by=cast.department_office, unit=org.tai_chinh, year=2026, signed_on=None, data=data
    )
    photo = attach(draft, cast, data)
    scan = commitment.photos.get()
    assert codes(scan) == ["reused"]
    services.photo_remove(by=cast.inspector, photo=photo)
    assert codes(scan) == []


# --- Summary, command -------------------------------------------------------------------------


def test_the_summary_counts_each_kind_in_vietnamese(
    draft: Any, cast: Any, org: Any, settings: Any
) -> None:
    settings.EVIDENCE_MAX_AGE_DAYS = 365
    place(org.ward, cast.internal_affairs)
    early = [attach(draft, cast, shot(20 + i, taken="2026:09:20 08:00:00")) for i in range(3)]
    far = attach(draft, cast, shot(30, gps=AWAY))
    bare = [attach(draft, cast, shot(40 + i, taken=None, camera=None)) for i in range(2)]
    services.commitment_record(
        by=cast.department_office, unit=org.tai_chinh, year=2026, signed_on=None, data=shot(50)
    )
    used = attach(draft, cast, shot(50))
    with translation.override("vi"):
        lines = summary(EvidencePhoto.objects.filter(inspection=draft))
    assert lines == [
        "3 ảnh chụp trước đợt kiểm tra",
        "1 ảnh chụp cách đơn vị 1,5 km",
        "2 ảnh không có thông tin máy ảnh",
        "1 ảnh đã dùng ở đơn vị khác",
    ]
    assert len(early) + len([far, used]) + len(bare) == 7


def test_the_command_checks_photos_stored_before_the_checks(draft: Any, cast: Any) -> None:
    photo = attach(draft, cast, shot(60, taken="2026:09:01 08:00:00"))
    EvidencePhoto.objects.filter(pk=photo.pk).update(checks=[], checked_at=None, camera="")
    out = io.StringIO()
    call_command("check_evidence", stdout=out)
    photo.refresh_from_db()
    assert "checked 1 photo" in out.getvalue()
    assert photo.camera == "Samsung SM-A546E" and codes(photo) == ["before_round", "old"]
    call_command("check_evidence", stdout=out)  # nothing left unchecked
    assert "checked 0 photo" in out.getvalue()


# --- The unit's place -------------------------------------------------------------------------


def test_only_internal_affairs_set_a_units_place(cast: Any, org: Any) -> None:
    for user in (cast.ward_office, cast.inspector, cast.leader):
        with pytest.raises(DomainError) as refused:
            place(org.ward, user)
        assert refused.value.problem == Problem.FORBIDDEN
    place(org.ward, cast.internal_affairs)
    org.ward.refresh_from_db()
    assert (org.ward.latitude, org.ward.longitude, org.ward.radius_m) == (*HERE, 300)


@pytest.mark.parametrize(
    ("latitude", "longitude", "radius", "field"),
    [
        ("91", "106", "300", "latitude"),
        ("10,5", "-181", "300", "longitude"),
        ("１０", "106", "300", "latitude"),  # full-width digits
        ("10\x00", "106", "300", "latitude"),
        ("1" * 400, "106", "300", "latitude"),
        ("1e3", "106", "300", "latitude"),
        ("10", "106", "5", "radius_m"),
        ("10", "106", "99999999999999999999999", "radius_m"),
        ("10", "", "", "longitude"),
        ("NaN", "106", "300", "latitude"),
    ],
)
def test_a_bad_place_is_refused_on_its_field(
    cast: Any, org: Any, latitude: str, longitude: str, radius: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.unit_place_set(
            by=cast.internal_affairs,
            unit=org.ward,
            latitude=latitude,
            longitude=longitude,
            radius_m=radius,
        )
    assert field in refused.value.fields
    org.ward.refresh_from_db()
    assert org.ward.latitude is None


def test_the_proposed_place_is_the_median_of_photos_in_rounds_not_published(
    draft: Any, cast: Any, org: Any
) -> None:
    assert selectors.unit_photo_position(org.ward) is None
    for seed, gps in ((70, AT_UNIT), (71, AT_UNIT), (72, AWAY)):
        attach(draft, cast, shot(seed, gps=gps))
    latitude, longitude, count = selectors.unit_photo_position(org.ward) or (0, 0, 0)
    assert count == 3
    assert abs(latitude - HERE[0]) < Decimal("0.0001")
    assert abs(longitude - HERE[1]) < Decimal("0.0001")  # the far one does not pull it
    draft.round.status = "published"
    draft.round.save(update_fields=["status"])
    assert selectors.unit_photo_position(org.ward) is None

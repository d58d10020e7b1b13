"""Retention (services/retention.py): positions go at publication, originals 12 months later;
nothing of them stays in storage, in the database or in a backup taken after."""

from __future__ import annotations

import datetime
import io
import tarfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from inspections import selectors, services, tasks
from inspections.backup import media_names
from inspections.backup_archive import DATABASE, MEDIA
from inspections.evidence_checks import FAR, flag_text
from inspections.models import Event, EvidencePhoto, Inspection, Round, YearPolicy
from inspections.photos import has_gps, process_upload, without_gps
from inspections.services.evidence_checks import photos_check
from inspections.services.retention import months_before
from tests.inspections.builders import assign, submitted_inspection
from tests.inspections.test_evidence_checks import dms, place, shot
from tests.production.test_s3_storage import bucket, s3_endpoint  # noqa: F401 (fixtures)

# About 4.8 km from the unit (test_evidence_checks.HERE) and about 100 m from it.
FAR_POINT = (Decimal("10.812000"), Decimal("106.722000"))
NEAR_POINT = (Decimal("10.775900"), Decimal("106.700500"))


@pytest.fixture(params=["filesystem", "s3"])
def storage(request: Any, settings: Any) -> Any:
    """The local disk, then S3 (moto's server standing in for it)."""
    if request.param == "s3":
        request.getfixturevalue("bucket")
    else:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        }
    return default_storage


@pytest.fixture
def draft(org: Any, cast: Any, open_round: Round) -> Inspection:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    place(org.ward, cast.internal_affairs)
    inspection, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    return inspection


def located(seed: int, point: tuple[Decimal, Decimal]) -> bytes:
    return shot(seed, gps=(dms(point[0]), dms(point[1])))


def attach(inspection: Inspection, cast: Any, data: bytes) -> EvidencePhoto:
    photo, _ = services.photo_attach(by=cast.inspector, inspection=inspection, data=data)
    return photo


def publish(round_: Round, cast: Any, capture: Any) -> None:
    """Close and publish, running what waits for the commit (the publication's hook)."""
    with capture(execute=True):
        services.round_close(round=round_, by=cast.internal_affairs, confirmed=True)
        services.round_publish(
            round=round_, by=cast.internal_affairs, reason="Kiểm thử", confirmed=True
        )


def apply(*args: str, capture: Any) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def published_months_ago(round_: Round, months: int) -> None:
    Round.objects.filter(pk=round_.pk).update(
        published_at=months_before(timezone.now(), months) - datetime.timedelta(days=1)
    )


def test_publication_replaces_positions_by_the_distance_flag_and_keeps_the_original(
    storage: Any,
    draft: Inspection,
    cast: Any,
    open_round: Round,
    django_capture_on_commit_callbacks: Any,
) -> None:
    far = attach(draft, cast, located(1, FAR_POINT))
    near = attach(draft, cast, located(2, NEAR_POINT))
    assert far.latitude is not None and has_gps(read(far.original.name))
    uploaded = read(far.original.name)

    publish(open_round, cast, django_capture_on_commit_callbacks)

    for photo in (far, near):
        before = photo.original.name
        photo.refresh_from_db()
        assert photo.latitude is None and photo.longitude is None
        assert photo.original and photo.original_deleted_at is None
        kept = read(photo.original.name)
        assert not has_gps(kept)
        assert not storage.exists(before)  # the file with GPS is gone, not just renamed
    kept = read(far.original.name)
    assert len(kept) == len(uploaded) and kept == without_gps(uploaded)
    with Image.open(io.BytesIO(kept)) as image:
        assert image.getexif()[0x010F] == "Samsung"  # the rest of the EXIF stays
    flags = [f for f in far.checks if f["code"] == FAR]
    assert flags and 4_000 < flags[0]["distance_m"] < 6_000
    assert "cách đơn vị 4,8 km" in flag_text(flags[0])
    assert not [f for f in near.checks if f["code"] == FAR]
    event = Event.objects.get(action="evidence_retention_applied")
    assert event.object_id == str(open_round.pk)
    assert event.data["positions_cleared"] == 2 and event.data["gps_removed"] == 2


def test_the_distance_flag_outlives_the_position_when_the_photo_is_checked_again(
    draft: Inspection, cast: Any, open_round: Round, django_capture_on_commit_callbacks: Any
) -> None:
    far = attach(draft, cast, located(1, FAR_POINT))
    publish(open_round, cast, django_capture_on_commit_callbacks)
    far.refresh_from_db()
    before = far.checks
    assert [f["code"] for f in before] == [FAR]

    photos_check(photos=[far])
    far.refresh_from_db()
    assert far.checks == before  # and no "no camera" flag because the position is gone


def test_originals_go_a_year_after_publication_and_a_backup_after_shows_nothing(
    storage: Any,
    draft: Inspection,
    cast: Any,
    open_round: Round,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.EVIDENCE_POSITION_RETENTION_DAYS = 30  # kept after publication: the command clears
    photos = [
        attach(draft, cast, located(1, FAR_POINT)),
        attach(draft, cast, located(2, NEAR_POINT)),
    ]
    coordinates = {str(v) for p in photos for v in (p.latitude, p.longitude)}
    originals = {p.original.name for p in photos}
    publish(open_round, cast, django_capture_on_commit_callbacks)
    assert all(EvidencePhoto.objects.filter(latitude__isnull=False, pk=p.pk) for p in photos)

    published_months_ago(open_round, 11)
    assert "deleted 0 original(s); positions cleared on 2" in apply(
        capture=django_capture_on_commit_callbacks
    )
    published_months_ago(open_round, 12)
    assert "deleted 2 original(s)" in apply(capture=django_capture_on_commit_callbacks)

    for photo in photos:
        photo.refresh_from_db()
        assert not photo.original and photo.original_deleted_at is not None
        assert photo.latitude is None and photo.longitude is None
        assert storage.exists(photo.display.name) and storage.exists(photo.thumbnail.name)
    assert not any(storage.exists(name) for name in originals)
    remaining = list(media_names())
    assert len(remaining) == 4 and not any(has_gps(read(name)) for name in remaining)
    assert "cách đơn vị 4,8 km" in flag_text(photos[0].checks[0])

    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        database = tar.extractfile(DATABASE).read().decode()  # type: ignore[union-attr]
        media = {
            m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.name.startswith(MEDIA) and m.isfile()
        }
    assert '"model": "inspections.evidencephoto"' in database
    assert not [c for c in coordinates if c in database]
    assert len(media) == 4 and not any(has_gps(data) for data in media.values())
    assert not {MEDIA + name for name in originals} & set(media)


def test_a_photo_of_a_round_not_yet_published_keeps_its_position_and_original(
    storage: Any, draft: Inspection, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    photo = attach(draft, cast, located(1, FAR_POINT))
    EvidencePhoto.objects.filter(pk=photo.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=800)
    )
    assert "deleted 0 original(s); positions cleared on 0" in apply(
        capture=django_capture_on_commit_callbacks
    )
    photo.refresh_from_db()
    assert photo.latitude is not None and photo.longitude is not None
    assert has_gps(read(photo.original.name))
    assert not Event.objects.filter(action="evidence_retention_applied").exists()


def test_the_upload_ceiling_deletes_an_original_whatever_the_round(
    draft: Inspection, cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    photo = attach(draft, cast, located(1, FAR_POINT))
    EvidencePhoto.objects.filter(pk=photo.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=800)
    )
    settings.EVIDENCE_ORIGINAL_RETENTION_DAYS = 730
    assert "deleted 1 original(s)" in apply(capture=django_capture_on_commit_callbacks)
    photo.refresh_from_db()
    assert not photo.original and photo.latitude is None and photo.longitude is None
    event = Event.objects.get(action="evidence_retention_applied")
    assert event.object_type == "evidencephoto" and event.data["originals_deleted"] == 1


def test_a_commitment_scan_and_an_action_response_photo_follow_their_year(
    org: Any, cast: Any, open_round: Round, django_capture_on_commit_callbacks: Any
) -> None:
    commitment = services.commitment_record(
        by=cast.ward_office, unit=org.ward, year=2026, signed_on=None, data=located(3, FAR_POINT)
    )
    inspection = submitted_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A5": (False, "Lối thoát hiểm bị chắn.")},
    )
    services.inspection_approve(by=cast.internal_affairs, inspection=inspection)
    action = inspection.actions.get(criterion__code="A5")
    response = services.action_respond(
        by=cast.ward_office, action=action, note="Đã dọn.", files=[located(4, NEAR_POINT)]
    )
    scan, fix = commitment.photos.get(), response.photos.get()
    assert scan.latitude is not None and fix.latitude is not None
    assert "deleted 0 original(s); positions cleared on 0" in apply(
        capture=django_capture_on_commit_callbacks
    )

    # The year's result published 13 months ago: both positions go, and the scan's original;
    # the fix's original waits for the action's verification.
    YearPolicy.objects.create(
        year=2026,
        status=YearPolicy.Status.PUBLISHED,
        published_at=months_before(timezone.now(), 13),
    )
    assert "deleted 1 original(s); positions cleared on 2" in apply(
        capture=django_capture_on_commit_callbacks
    )
    scan.refresh_from_db()
    fix.refresh_from_db()
    assert not scan.original and scan.latitude is None
    assert fix.original and fix.latitude is None and not has_gps(read(fix.original.name))

    services.action_verify(by=cast.internal_affairs, action=action)
    assert "deleted 1 original(s)" in apply(capture=django_capture_on_commit_callbacks)
    fix.refresh_from_db()
    assert not fix.original and fix.original_deleted_at is not None


def test_a_dry_run_counts_and_changes_nothing(
    storage: Any,
    draft: Inspection,
    cast: Any,
    open_round: Round,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EVIDENCE_POSITION_RETENTION_DAYS = 30
    photo = attach(draft, cast, located(1, FAR_POINT))
    publish(open_round, cast, django_capture_on_commit_callbacks)
    published_months_ago(open_round, 13)
    files = {name: read(name) for name in media_names()}

    out = apply("--dry-run", capture=django_capture_on_commit_callbacks)

    assert "would delete 1 original(s)" in out
    fresh = EvidencePhoto.objects.get(pk=photo.pk)
    assert (fresh.latitude, fresh.longitude) == (photo.latitude, photo.longitude)
    assert fresh.original.name == photo.original.name and fresh.original_deleted_at is None
    assert {name: read(name) for name in media_names()} == files
    assert not Event.objects.filter(action="evidence_retention_applied").exists()


def test_the_old_command_name_still_applies_the_rules(
    draft: Inspection, cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    photo = attach(draft, cast, located(1, NEAR_POINT))
    EvidencePhoto.objects.filter(pk=photo.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=400)
    )
    settings.EVIDENCE_ORIGINAL_RETENTION_DAYS = 365
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_originals", stdout=io.StringIO())
    assert not EvidencePhoto.objects.get(pk=photo.pk).original


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_gps_is_emptied_in_place_in_every_format_and_no_copy_carries_it(kind: str) -> None:
    image = Image.new("RGB", (64, 48), (40, 120, 60))
    exif = image.getexif()
    exif[0x010F] = "Samsung"
    exif.get_ifd(0x8825).update({1: "N", 2: dms(FAR_POINT[0]), 3: "E", 4: dms(FAR_POINT[1])})
    out = io.BytesIO()
    image.save(out, kind, exif=exif)
    data = out.getvalue()
    upload = process_upload(data)
    assert upload.latitude is not None and has_gps(data)
    assert upload.display and upload.thumbnail
    assert not has_gps(upload.display) and not has_gps(upload.thumbnail)

    cleaned = without_gps(data)

    assert len(cleaned) == len(data) and not has_gps(cleaned)
    again = process_upload(cleaned)
    assert again.latitude is None and again.longitude is None
    with Image.open(io.BytesIO(cleaned)) as opened:
        assert opened.getexif()[0x010F] == "Samsung"
        assert (
            opened.convert("RGB").tobytes() == Image.open(io.BytesIO(data)).convert("RGB").tobytes()
        )


def test_the_daily_task_applies_the_rules(
    draft: Inspection, cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    photo = attach(draft, cast, located(1, NEAR_POINT))
    EvidencePhoto.objects.filter(pk=photo.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=400)
    )
    settings.EVIDENCE_ORIGINAL_RETENTION_DAYS = 365
    with django_capture_on_commit_callbacks(execute=True):
        tasks.daily()
    photo.refresh_from_db()
    assert not photo.original and photo.latitude is None
    assert not default_storage.exists(f"{photo.display.name.rpartition('/')[0]}/o.jpg")


def test_the_summary_gives_the_configured_periods(settings: Any) -> None:
    assert selectors.retention_summary() == selectors.RetentionPeriods(12, 0, 0)
    settings.EVIDENCE_ORIGINAL_RETENTION_MONTHS = 0
    settings.EVIDENCE_POSITION_RETENTION_DAYS = 7
    periods = selectors.retention_summary()
    assert (periods.original_months, periods.position_days) == (0, 7)
    assert periods.originals_kept


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month() -> None:
    moment = datetime.datetime(2027, 3, 31, 10, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 12) == datetime.datetime(2026, 3, 31, 10, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 1) == datetime.datetime(2027, 2, 28, 10, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 15).date() == datetime.date(2025, 12, 31)

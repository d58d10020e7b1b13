"""Evidence through the services: stored only through the storage API (on two backends),
nothing left behind by a refusal, originals purged after retention, reuse flagged."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from inspections import selectors, services
from inspections.errors import DomainError
from inspections.models import EvidencePhoto
from tests.inspections.builders import assign
from tests.inspections.test_photos import PDF, bad_inputs, encode, jpeg_with_exif, photo_like

BACKENDS = {
    "filesystem": "django.core.files.storage.FileSystemStorage",
    "memory": "django.core.files.storage.InMemoryStorage",
}


@pytest.fixture(params=list(BACKENDS))
def storage(request: Any, settings: Any) -> Any:
    """Each test that asks runs on the local disk and on a second backend."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": BACKENDS[request.param]}}
    return default_storage


@pytest.fixture
def draft(org: Any, cast: Any, open_round: Any) -> Any:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    return inspection


def stored_names(storage: Any, folder: str = "evidence") -> list[str]:
    if not storage.exists(folder):
        return []
    dirs, files = storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for sub in dirs:
        names += stored_names(storage, f"{folder}/{sub}")
    return names


def test_a_photo_is_stored_through_the_storage_api_under_names_that_reveal_nothing(
    storage: Any, draft: Any, cast: Any
) -> None:
    data = jpeg_with_exif(photo_like((800, 600)), 6, gps=True)
    photo, created = services.photo_attach(
        by=cast.inspector, inspection=draft, data=data, criterion_code="A1"
    )
    photo.refresh_from_db()
    assert created and sorted(stored_names(storage)) == sorted(
        [photo.original.name, photo.display.name, photo.thumbnail.name]
    )
    with storage.open(photo.original.name, "rb") as handle:
        assert handle.read() == data
    assert "kiemtra" not in photo.original.name and str(draft.pk) not in photo.original.name
    assert (photo.width, photo.height, photo.latitude is not None) == (600, 800, True)
    assert len(photo.dhash) == 16 and photo.dhash_band0 is not None


@pytest.mark.parametrize("name", ["empty", "svg", "truncated jpeg", "56 megapixels"])
def test_a_refused_file_leaves_no_row_and_no_file(
    storage: Any, draft: Any, cast: Any, name: str
) -> None:
    data, code, _phrase = bad_inputs()[name]
    with pytest.raises(DomainError) as refused:
        services.photo_attach(by=cast.inspector, inspection=draft, data=data)
    assert refused.value.code == code
    assert not EvidencePhoto.objects.exists() and stored_names(storage) == []


def test_a_failed_save_removes_the_files_already_stored(
    storage: Any, draft: Any, cast: Any
) -> None:
    with pytest.raises(DomainError):
        # Not the inspection's inspector: refused after the files were made, before the row.
        services.photo_attach(
            by=cast.other_inspector, inspection=draft, data=encode(photo_like(), "JPEG")
        )
    assert not EvidencePhoto.objects.exists() and stored_names(storage) == []


def test_a_pdf_is_refused_for_a_photo_criterion_and_kept_for_a_document_one(
    draft: Any, cast: Any
) -> None:
    photo_code, doc_code = _criteria_by_evidence(draft)
    with pytest.raises(DomainError) as refused:
        services.photo_attach(
            by=cast.inspector, inspection=draft, data=PDF, criterion_code=photo_code
        )
    assert refused.value.code == "unsupported"
    photo, _ = services.photo_attach(
        by=cast.inspector, inspection=draft, data=PDF, criterion_code=doc_code
    )
    assert (photo.content_type, photo.display.name, photo.dhash) == ("application/pdf", "", "")


def _criteria_by_evidence(inspection: Any) -> tuple[str, str]:
    from inspections.models import Criterion, EvidenceKind

    criteria = Criterion.objects.filter(version_id=inspection.round.version_id)
    return (
        criteria.filter(evidence=EvidenceKind.PHOTO).values_list("code", flat=True)[0],
        criteria.filter(evidence=EvidenceKind.DOCUMENT).values_list("code", flat=True)[0],
    )


def test_a_commitment_refused_for_its_scan_keeps_nothing(storage: Any, org: Any, cast: Any) -> None:
    with pytest.raises(DomainError):
        services.commitment_record(
            by=cast.ward_office, unit=org.ward, year=2026, signed_on=None, data=b"GIF89a..."
        )
    assert not EvidencePhoto.objects.exists() and stored_names(storage) == []
    commitment = services.commitment_record(
        by=cast.ward_office, unit=org.ward, year=2026, signed_on=None, data=PDF
    )
    assert commitment.photos.get().content_type == "application/pdf"


def test_purge_deletes_old_originals_and_keeps_the_copies(
    storage: Any, draft: Any, cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    old, _ = services.photo_attach(
        by=cast.inspector, inspection=draft, data=encode(photo_like(seed=2), "JPEG")
    )
    new, _ = services.photo_attach(
        by=cast.inspector, inspection=draft, data=encode(photo_like(seed=3), "JPEG")
    )
    EvidencePhoto.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=400)
    )
    settings.EVIDENCE_ORIGINAL_RETENTION_DAYS = 0
    call_command("apply_retention", stdout=io.StringIO())
    assert storage.exists(old.original.name)  # 0 keeps originals forever
    settings.EVIDENCE_ORIGINAL_RETENTION_DAYS = 365
    call_command("apply_retention", "--dry-run", stdout=io.StringIO())
    assert storage.exists(old.original.name)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are saved
        call_command("apply_retention", stdout=out)
    assert "deleted 1" in out.getvalue()
    assert not storage.exists(old.original.name) and storage.exists(old.display.name)
    assert storage.exists(new.original.name)
    old.refresh_from_db()
    assert old.original_deleted_at is not None and not old.original


def test_reuse_is_found_for_the_same_file_and_for_a_resized_copy_in_another_inspection(
    draft: Any, org: Any, cast: Any, open_round: Any
) -> None:
    assign(open_round, org.school, cast.inspector, by=cast.internal_affairs)
    other, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.school)
    picture = photo_like((900, 675), seed=5)
    first, _ = services.photo_attach(
        by=cast.inspector, inspection=draft, data=encode(picture, "JPEG")
    )
    again, _ = services.photo_attach(  # the same inspection: not a reuse of each other
        by=cast.inspector, inspection=draft, data=encode(picture, "JPEG", quality=60)
    )
    unrelated, _ = services.photo_attach(
        by=cast.inspector, inspection=other, data=encode(photo_like((900, 675), seed=6), "JPEG")
    )
    copy, _ = services.photo_attach(
        by=cast.inspector,
        inspection=other,
        data=encode(picture.resize((600, 450)).crop((6, 4, 594, 446)), "JPEG", quality=70),
    )
    same, _ = services.photo_attach(
        by=cast.inspector, inspection=other, data=encode(picture, "JPEG")
    )
    warnings = selectors.reuse_warnings_for(other)
    assert unrelated.pk not in warnings
    assert {w.other_photo_id for w in warnings[copy.pk]} == {first.pk, again.pk}
    assert {(w.other_photo_id, w.same_file) for w in warnings[same.pk]} == {
        (first.pk, True),
        (again.pk, False),
    }
    from_first = selectors.reuse_warnings_for(first.inspection)[first.pk]
    assert {w.other_inspection_id for w in from_first} == {other.pk}
    assert {w.other_photo_id for w in from_first} == {copy.pk, same.pk}


def test_flat_pictures_are_compared_by_file_only(
    draft: Any, org: Any, cast: Any, open_round: Any
) -> None:
    assign(open_round, org.school, cast.inspector, by=cast.internal_affairs)
    other, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.school)
    services.photo_attach(
        by=cast.inspector,
        inspection=draft,
        data=encode(Image.new("RGB", (64, 48), "white"), "JPEG"),
    )
    grey, _ = services.photo_attach(
        by=cast.inspector, inspection=other, data=encode(Image.new("RGB", (64, 48), "grey"), "JPEG")
    )
    assert grey.pk not in selectors.reuse_warnings_for(other)

"""Blur and annotation of a photo: the data is saved, the copies rendered again, the original
never touched. While the original is kept every change is rendered from it (so a blur can be
taken back); once it is purged, a new blur or drawing goes onto the current display copy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import EvidencePhoto
from inspections.photo_overlays import (
    Region,
    Shape,
    clean_regions,
    clean_shapes,
    display_image,
    render_copies,
    upright_display,
)
from inspections.policies import Actor
from inspections.services.audit import record_event
from inspections.services.evidence import delete_files
from inspections.services.inspections import lock_editable


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def original_kept(photo: EvidencePhoto) -> bool:
    return bool(photo.original) and photo.original_deleted_at is None


def _store_copies(photo: EvidencePhoto, display: bytes, thumbnail: bytes) -> list[str]:
    """Save new copies beside the original under new names; returns the old names."""
    folder = photo.display.name.rsplit("/", 1)[0]
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    old = [photo.display.name, photo.thumbnail.name]
    saved: list[str] = []
    try:
        saved.append(default_storage.save(f"{folder}/d-{stamp}.jpg", ContentFile(display)))
        saved.append(default_storage.save(f"{folder}/t-{stamp}.jpg", ContentFile(thumbnail)))
    except BaseException:
        delete_files(saved)
        raise
    photo.display.name, photo.thumbnail.name = saved
    # The new names replace the old once the row is saved; a rollback removes the new files.
    transaction.on_commit(lambda: delete_files(old))
    return saved


def _render(
    photo: EvidencePhoto, *, regions: Sequence[Region], shapes: Sequence[Shape]
) -> tuple[bytes, bytes]:
    base: Image.Image
    if original_kept(photo):
        base = upright_display(_read(photo.original.name))
        return render_copies(base, regions=regions, shapes=shapes)
    # The original is gone: only what is new can still be added, onto the copy as it is.
    return render_copies(display_image(_read(photo.display.name)), regions=regions, shapes=shapes)


def _save_rendered(
    photo: EvidencePhoto, *, regions: Sequence[Region], shapes: Sequence[Shape], fields: list[str]
) -> None:
    display, thumbnail = _render(photo, regions=regions, shapes=shapes)
    saved = _store_copies(photo, display, thumbnail)
    try:
        photo.save(update_fields=[*fields, "display", "thumbnail"])
    except BaseException:
        delete_files(saved)
        raise


def _lock(photo: EvidencePhoto) -> EvidencePhoto:
    return (
        EvidencePhoto.objects.select_for_update(of=("self",))
        .select_related("inspection")
        .get(pk=photo.pk)
    )


def _data(items: Sequence[Shape] | Sequence[Region]) -> list[dict[str, Any]]:
    return [item.as_data() for item in items]


@transaction.atomic
def photo_annotate(*, by: Actor, photo: EvidencePhoto, annotations: Any) -> EvidencePhoto:
    """Replace the photo's drawn shapes (an empty list removes them). Returns the photo."""
    if photo.inspection is None:
        raise DomainError(_("Ảnh này không thuộc phiếu kiểm tra."), problem=Problem.WRONG_STATE)
    lock_editable(photo.inspection, by, team=True)  # the rule of attaching photos
    shapes = clean_shapes(annotations)
    locked = _lock(photo)
    if not locked.display:
        raise DomainError(_("Tệp này không phải ảnh: không vẽ được."), problem=Problem.WRONG_STATE)
    if _data(shapes) == locked.annotations:
        return locked  # nothing changed: no new copies
    kept = original_kept(locked)
    regions = clean_regions(locked.blur_regions) if kept else []
    # Without the original, shapes drawn before are part of the copy: only new ones are drawn.
    drawn = shapes if kept else [s for s in shapes if s.as_data() not in locked.annotations]
    locked.annotations = _data(shapes)
    locked.annotated_at, locked.annotated_by = timezone.now(), by
    _save_rendered(
        locked,
        regions=regions,
        shapes=drawn,
        fields=["annotations", "annotated_at", "annotated_by"],
    )
    record_event(
        actor=by,
        action="photo_annotated",
        target=locked.inspection or locked,
        photo=str(locked.pk),
        shapes=len(locked.annotations),
    )
    return locked


@transaction.atomic
def photo_blur(*, by: Actor, photo: EvidencePhoto, regions: Any) -> EvidencePhoto:
    """Replace the photo's blurred regions. While the original is kept, the copies are rendered
    from it (a region taken away shows again); after, a region can only be added."""
    locked = _lock(photo)
    if not policies.may_blur_photo(by, locked):
        raise DomainError(
            _("Chỉ Phòng Nội vụ được làm mờ ảnh minh chứng."), problem=Problem.FORBIDDEN
        )
    wanted = clean_regions(regions)
    before = locked.blur_regions or []
    if _data(wanted) == before:
        return locked
    kept = original_kept(locked)
    if not kept and _data(wanted)[: len(before)] != before:
        raise DomainError(
            _("Ảnh gốc đã bị xóa: vùng đã làm mờ không bỏ được nữa."),
            problem=Problem.WRONG_STATE,
            fields={"regions": [_("Chỉ thêm được vùng mới sau các vùng đã có.")]},
            code="blur_irreversible",
        )
    shapes = clean_shapes(locked.annotations) if kept else []
    locked.blur_regions = _data(wanted)
    locked.blurred_at, locked.blurred_by = timezone.now(), by
    _save_rendered(
        locked,
        regions=wanted if kept else wanted[len(before) :],
        shapes=shapes,
        fields=["blur_regions", "blurred_at", "blurred_by"],
    )
    record_event(
        actor=by,
        action="photo_blurred",
        target=locked.inspection or locked,
        photo=str(locked.pk),
        regions=len(wanted),
        before=len(before),
        from_original=kept,
    )
    return locked


# The photo page adds or takes away one region or shape at a time: read under the row's lock,
# so two people editing at once do not drop each other's change.


@transaction.atomic
def photo_blur_add(*, by: Actor, photo: EvidencePhoto, region: Any) -> EvidencePhoto:
    locked = _lock(photo)
    return photo_blur(by=by, photo=locked, regions=[*(locked.blur_regions or []), region])


@transaction.atomic
def photo_blur_remove(*, by: Actor, photo: EvidencePhoto, index: int) -> EvidencePhoto:
    locked = _lock(photo)
    regions = _without(locked.blur_regions, index, _("Không có vùng này."))
    return photo_blur(by=by, photo=locked, regions=regions)


@transaction.atomic
def photo_shape_add(*, by: Actor, photo: EvidencePhoto, shape: Any) -> EvidencePhoto:
    locked = _lock(photo)
    shapes = [*(locked.annotations or []), shape]
    return photo_annotate(by=by, photo=locked, annotations=shapes)


@transaction.atomic
def photo_shape_remove(*, by: Actor, photo: EvidencePhoto, index: int) -> EvidencePhoto:
    locked = _lock(photo)
    shapes = _without(locked.annotations, index, _("Không có hình này."))
    return photo_annotate(by=by, photo=locked, annotations=shapes)


def _without(items: list[Any] | None, index: int, missing: str) -> list[Any]:
    kept = list(items or [])
    if not 0 <= index < len(kept):
        raise DomainError(missing, problem=Problem.NOT_FOUND)
    del kept[index]
    return kept

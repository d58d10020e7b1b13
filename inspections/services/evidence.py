"""Evidence for every owner (an inspection, an action's response, a commitment): one path.

Each upload is checked and derived in full (`process_upload`) before anything is saved; the
files are stored only then, and removed again if the database write that follows fails, so a
refused or failed upload leaves no row and no file behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inspections import notices, policies
from inspections.errors import DomainError, Problem
from inspections.evidence_checks import camera_of
from inspections.models import (
    ActionResponse,
    CorrectiveAction,
    EvidenceKind,
    EvidencePhoto,
    Inspection,
)
from inspections.photos import (
    ProcessedUpload,
    hash_bands,
    is_distinctive,
    process_upload,
    store_processed,
)
from inspections.policies import Actor
from inspections.selectors.evidence import evidence_matches
from inspections.services.actions import action_facts, lock_action
from inspections.services.audit import record_event
from inspections.services.evidence_checks import photos_check
from inspections.services.inspections import criterion_of, lock_editable, require_editor
from inspections.services.notifications import notify


def photo_attach(
    *,
    by: Actor,
    inspection: Inspection,
    data: bytes,
    criterion_code: str | None = None,
    caption: str = "",
    id: uuid.UUID | None = None,
) -> tuple[EvidencePhoto, bool]:
    """Add a photo (or a scanned document) to an inspection; the same client id is a no-op
    for a user who may still add it (a replay is refused exactly as a first upload would be,
    but a state that moved on since, e.g. a submit, does not turn a retry into an error)."""
    if id is not None:
        existing = EvidencePhoto.objects.filter(pk=id).select_related("criterion").first()
        if existing is not None:
            require_editor(inspection, by, team=True)
            return _same_or_conflict(existing, inspection, criterion_code), False
    with transaction.atomic():
        locked = lock_editable(inspection, by, team=True)
        criterion = (
            criterion_of(locked, criterion_code, field="criterion") if criterion_code else None
        )
    allow_pdf = criterion is None or criterion.evidence == EvidenceKind.DOCUMENT
    upload = process_upload(data, allow_pdf=allow_pdf)
    try:
        with stored_evidence([upload], by=by) as (columns,), transaction.atomic():
            lock_editable(inspection, by, team=True)  # still editable after the image work
            photo = EvidencePhoto.objects.create(
                id=id or uuid.uuid4(),
                inspection=inspection,
                criterion=criterion,
                caption=caption.strip()[:300],
                **columns,
            )
            photos_check(photos=[photo])
            record_event(
                actor=by,
                action="photo_added",
                target=inspection,
                photo=str(photo.pk),
                criterion=criterion_code,
            )
    except IntegrityError:
        # The same client id, sent twice at once: the other request won.
        if id is not None and (winner := EvidencePhoto.objects.filter(pk=id).first()):
            return _same_or_conflict(winner, inspection, criterion_code), False
        raise
    return photo, True


def _same_or_conflict(
    existing: EvidencePhoto, inspection: Inspection, criterion_code: str | None
) -> EvidencePhoto:
    existing_code = existing.criterion.code if existing.criterion else None
    if existing.inspection_id != inspection.pk or existing_code != (criterion_code or None):
        raise DomainError(
            _("Mã ảnh này đã được dùng cho một minh chứng khác."),
            problem=Problem.WRONG_STATE,
            fields={"id": [_("Mã đã dùng với phiếu hoặc tiêu chí khác.")]},
            code="id_conflict",
        )
    return existing


@transaction.atomic
def photo_remove(*, by: Actor, photo: EvidencePhoto) -> None:
    if photo.inspection is None:
        raise DomainError(_("Ảnh này không thuộc phiếu kiểm tra."), problem=Problem.WRONG_STATE)
    # A member of the team removes the photos they took; the inspector in charge, any.
    lock_editable(photo.inspection, by, team=photo.uploaded_by_id == by.pk)
    names = [f.name for f in (photo.original, photo.display, photo.thumbnail) if f]
    record_event(actor=by, action="photo_removed", target=photo.inspection, photo=str(photo.pk))
    repeated = evidence_matches([photo]).get(photo.pk, [])
    photo.delete()
    if repeated:  # the photos it repeated no longer repeat it
        photos_check(photos=EvidencePhoto.objects.filter(pk__in=[m.photo_id for m in repeated]))
    transaction.on_commit(lambda: delete_files(names))


def delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def photo_columns(upload: ProcessedUpload, files: dict[str, Any], *, by: Actor) -> dict[str, Any]:
    """The file, EXIF and hash columns of a photo, whatever its owner."""
    bands: dict[str, Any] = {f"dhash_band{i}": None for i in range(4)}
    if upload.dhash is not None and is_distinctive(upload.dhash):
        bands = {f"dhash_band{i}": band for i, band in enumerate(hash_bands(upload.dhash))}
    return {
        "content_type": upload.content_type,
        "size_bytes": len(upload.original),
        "sha256": upload.sha256,
        "width": upload.width,
        "height": upload.height,
        "captured_at": upload.captured_at,
        "latitude": upload.latitude,
        "longitude": upload.longitude,
        "camera": camera_of(upload.original),
        "uploaded_by": by,
        "dhash": f"{upload.dhash:016x}" if upload.dhash is not None else "",
        **bands,
        **files,
    }


@contextmanager
def stored_evidence(
    uploads: Sequence[ProcessedUpload], *, by: Actor
) -> Iterator[list[dict[str, Any]]]:
    """Store checked uploads; yields each one's photo columns. Should the block fail, the
    files are deleted again (the block's own transaction has rolled the rows back)."""
    stored: list[dict[str, Any]] = []
    try:
        for upload in uploads:
            stored.append(store_processed(upload))
        yield [photo_columns(u, f, by=by) for u, f in zip(uploads, stored, strict=True)]
    except BaseException:
        delete_files([name for files in stored for name in files.values()])
        raise


def _check_response(by: Actor, action: CorrectiveAction, note: str, *, files: int) -> None:
    if not policies.may_respond_to_action(by, action):
        raise DomainError(
            _("Chỉ đơn vị được yêu cầu mới báo cáo khắc phục."), problem=Problem.FORBIDDEN
        )
    if action.status not in (CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REOPENED):
        raise DomainError(
            _("Yêu cầu đang ở trạng thái “%(state)s”.") % {"state": action.get_status_display()},
            problem=Problem.WRONG_STATE,
        )
    problems: dict[str, list[str]] = {}
    if not note.strip():
        problems["note"] = [_("Hãy mô tả việc đã khắc phục.")]
    if files == 0 and action.needs_evidence:
        problems["files"] = [_("Tiêu chí này cần ít nhất một ảnh minh chứng sau khắc phục.")]
    if problems:
        raise DomainError(_("Chưa gửi được báo cáo khắc phục."), fields=problems)


def action_respond(
    *, by: Actor, action: CorrectiveAction, note: str, files: Sequence[bytes] = ()
) -> ActionResponse:
    """The unit's report of a fix with its photos; a criterion that needs evidence needs at
    least one. Every check runs before a file is read, and again under the row's lock."""
    _check_response(by, action, note, files=len(files))
    allow_pdf = action.criterion.evidence != EvidenceKind.PHOTO
    uploads = [process_upload(data, allow_pdf=allow_pdf) for data in files]
    with stored_evidence(uploads, by=by) as columns, transaction.atomic():
        action = lock_action(action)
        _check_response(by, action, note, files=len(columns))
        response = ActionResponse.objects.create(action=action, note=note.strip(), created_by=by)
        photos_check(
            photos=[
                EvidencePhoto.objects.create(action_response=response, **photo) for photo in columns
            ]
        )
        action.status = CorrectiveAction.Status.RESPONDED
        action.save(update_fields=["status"])
        record_event(
            actor=by,
            action="action_responded",
            target=action,
            note=response.note,
            photos=len(columns),
        )
        notify(
            recipients=[action.inspection.inspector],
            kind="action_responded",
            key=f"action_responded:{response.pk}",
            data=action_facts(action, note=response.note, page=notices.page("action", action.pk)),
        )
    return response

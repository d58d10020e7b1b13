"""The biên bản: its number at approval, its PDF made once per revision and kept."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import policies
from inspections.documents.record import record_pdf
from inspections.errors import DomainError, Problem
from inspections.models import Inspection, InspectionRecord, RecordCounter
from inspections.policies import Actor
from inspections.selectors.records import record_data_for, signatures_for, stored_record
from inspections.services.audit import record_event

log = logging.getLogger(__name__)


def record_number_allocate(inspection: Inspection) -> None:
    """Give the record its number, once: the next of the agency in the year of approval.
    Called inside the approval's transaction; a revision keeps the number."""
    if inspection.record_number is not None:
        return
    year = timezone.localdate(inspection.approved_at).year
    agency = settings.RECORD_AGENCY
    try:
        with transaction.atomic():  # a savepoint: a concurrent first row of the year may win
            RecordCounter.objects.get_or_create(agency=agency, year=year)
    except IntegrityError:
        pass
    counter = RecordCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    inspection.record_agency, inspection.record_year = agency, year
    inspection.record_number = counter.last
    inspection.save(update_fields=["record_agency", "record_year", "record_number"])


def record_prepare_after_commit(inspection: Inspection) -> None:
    """Once the approval (or revision) commits, ask a worker to render its record."""
    if not settings.RECORDS_PREPARE_ON_APPROVAL or not policies.has_record(inspection):
        return
    pk, revision = inspection.pk, inspection.revision
    transaction.on_commit(lambda: _queue_record(pk, revision))


def _queue_record(inspection_id: Any, revision: int) -> None:
    from inspections.tasks import make_record  # the tasks call the services: imported late

    try:
        make_record(str(inspection_id), revision)
    except Exception:  # the approval is committed; the first download renders the record
        log.warning("task queue unreachable: record left for its first request", exc_info=True)


def record_content_changed(inspection: Inspection) -> None:
    """A signature, a person present or a member added after the record was rendered: a
    record nobody has downloaded yet is rendered again; a downloaded one stays as it was."""
    stale = InspectionRecord.objects.filter(
        inspection_id=inspection.pk, revision=inspection.revision, first_downloaded_at=None
    ).first()
    if stale is None:
        return
    name = stale.file.name
    stale.delete()
    transaction.on_commit(lambda: default_storage.delete(name))
    record_prepare_after_commit(inspection)


def record_prepare(*, inspection_id: Any, revision: int) -> InspectionRecord | None:
    """The worker's half: render a revision's record unless it is stored or superseded."""
    inspection = Inspection.objects.filter(pk=inspection_id).first()
    if inspection is None or not policies.has_record(inspection):
        return None
    if revision != inspection.revision:
        return None  # a later revision came first: its own task renders it
    return stored_record(inspection, revision) or _generate(
        by=None, inspection=inspection, revision=revision
    )


def record_file(
    *, by: Actor, inspection: Inspection, revision: int | None = None
) -> InspectionRecord:
    """The stored PDF of a revision's record, made on its first request and kept for ever
    after: what someone downloaded is what the verification page vouches for."""
    if not policies.has_record(inspection):
        raise DomainError(
            _("Biên bản có sau khi phiếu kiểm tra chính thức được duyệt."),
            problem=Problem.WRONG_STATE,
        )
    revision = inspection.revision if revision is None else revision
    if not 1 <= revision <= inspection.revision:
        raise DomainError(
            _("Không có biên bản của lần sửa %(revision)s.") % {"revision": revision},
            problem=Problem.NOT_FOUND,
        )
    found = stored_record(inspection, revision)
    if found is None:
        found = _generate(by=by, inspection=inspection, revision=revision)
    if found.first_downloaded_at is None:
        InspectionRecord.objects.filter(pk=found.pk, first_downloaded_at=None).update(
            first_downloaded_at=timezone.now()
        )
    return found


def record_for_mail(*, recipient: Actor, record: Mapping[str, Any]) -> InspectionRecord | None:
    """The record an approval or revision e-mail carries, rendered now if no worker has yet.

    None when there is nothing to attach: the inspection is gone, a later revision superseded
    this one (its own e-mail carries it), or the recipient may no longer see it. A mailed
    record counts as handed out, like a download, so it is never regenerated afterwards."""
    inspection_id, revision = record.get("inspection"), record.get("revision")
    if not settings.RECORD_MAIL_MAX_BYTES or not isinstance(revision, int):
        return None
    if not isinstance(inspection_id, str):
        return None
    inspection = policies.inspections_for(recipient).filter(pk=inspection_id).first()
    if inspection is None or not policies.has_record(inspection):
        return None
    if revision != inspection.revision:
        return None
    found = stored_record(inspection, revision) or _generate(
        by=None, inspection=inspection, revision=revision
    )
    if found.size_bytes > settings.RECORD_MAIL_MAX_BYTES:
        return None  # the e-mail's link downloads it instead
    if found.first_downloaded_at is None:
        InspectionRecord.objects.filter(pk=found.pk, first_downloaded_at=None).update(
            first_downloaded_at=timezone.now()
        )
    return found


def _generate(*, by: Actor | None, inspection: Inspection, revision: int) -> InspectionRecord:
    data = record_data_for(inspection, revision)
    signatures = signatures_for(inspection, revision=revision, covering=data["answers_hash"])
    pdf, signed = record_pdf(data, signatures)
    digest = hashlib.sha256(pdf).hexdigest()
    name = default_storage.save(
        f"records/{inspection.pk}/bien-ban-r{revision}-{digest[:12]}.pdf", ContentFile(pdf)
    )
    try:
        with transaction.atomic():
            record = InspectionRecord.objects.create(
                inspection=inspection,
                revision=revision,
                file=name,
                sha256=digest,
                size_bytes=len(pdf),
                digitally_signed=signed,
            )
            record_event(actor=by, action="record_generated", target=inspection, revision=revision)
    except IntegrityError:
        # Two first requests at once: the other one's file is the record; ours goes.
        default_storage.delete(name)
        winner = stored_record(inspection, revision)
        if winner is None:
            raise
        return winner
    return record

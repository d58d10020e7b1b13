"""The retention rules for evidence photos, in one place (docs/deploy.md §Retention).

- A photo's *publication* is its owner's: for an inspection photo, its round published; for an
  action response's photo, the year of the action's round published (its year result); for a
  commitment's scan, its year published.
- Positions go EVIDENCE_POSITION_RETENTION_DAYS after publication (0: at publication): the
  checks are computed first, so the distance flag ("cách đơn vị 4,8 km") stays, then the
  coordinates leave the row and the GPS block leaves the stored original (emptied in place,
  every other byte kept). An original whose GPS cannot be removed is deleted.
- Originals go EVIDENCE_ORIGINAL_RETENTION_MONTHS after publication (0: kept), and in any state
  EVIDENCE_ORIGINAL_RETENTION_DAYS after upload (0: no ceiling); an action response's original
  is kept while its action awaits verification. Deleting an original clears the position too.
  Display copies and thumbnails (no EXIF: inspections/photos.py) and a PDF (it has no copy, it
  is the evidence) stay.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from inspections.models import CorrectiveAction, EvidencePhoto, Round, YearPolicy
from inspections.photos import PDF_TYPE, has_gps, without_gps
from inspections.selectors.retention import retention_summary
from inspections.services.audit import record_event
from inspections.services.evidence_checks import photos_check, stored_camera

log = logging.getLogger(__name__)
CHUNK = 200


@dataclass(frozen=True)
class RetentionRun:
    """What one run did (or, with dry_run, would do)."""

    positions_cleared: int  # rows whose coordinates were removed
    gps_removed: int  # kept originals whose EXIF GPS block was emptied
    originals_deleted: int
    dry_run: bool

    @property
    def changed(self) -> bool:
        return bool(self.positions_cleared or self.gps_removed or self.originals_deleted)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the 31st → the month's last)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def published_before(cutoff: datetime.datetime) -> Q:
    """Photos whose owner was published at or before `cutoff`."""
    years = list(
        YearPolicy.objects.filter(
            status=YearPolicy.Status.PUBLISHED, published_at__lte=cutoff
        ).values_list("year", flat=True)
    )
    return (
        Q(
            inspection__round__status=Round.Status.PUBLISHED,
            inspection__round__published_at__lte=cutoff,
        )
        | Q(action_response__action__inspection__round__ends_on__year__in=years)
        | Q(commitment__year__in=years)
    )


def positions_due(*, now: datetime.datetime, round: Round | None = None) -> QuerySet[EvidencePhoto]:
    days = retention_summary().position_days
    rows = EvidencePhoto.objects.filter(
        published_before(now - datetime.timedelta(days=days)),
        Q(latitude__isnull=False) | Q(longitude__isnull=False),
    )
    return rows.filter(inspection__round=round) if round is not None else rows


def originals_due(*, now: datetime.datetime) -> QuerySet[EvidencePhoto]:
    periods = retention_summary()
    due: list[Q] = []
    if periods.original_months > 0:
        due.append(published_before(months_before(now, periods.original_months)))
    if periods.original_max_days > 0:
        due.append(Q(uploaded_at__lt=now - datetime.timedelta(days=periods.original_max_days)))
    if not due:
        return EvidencePhoto.objects.none()
    return (
        EvidencePhoto.objects.filter(reduce(or_, due), original_deleted_at__isnull=True)
        .exclude(original="")
        .exclude(display="")  # a PDF: the original is the evidence
        .exclude(action_response__action__status=CorrectiveAction.Status.RESPONDED)
    )


def retention_apply(
    *, now: datetime.datetime | None = None, dry_run: bool = False, round: Round | None = None
) -> RetentionRun:
    """Apply the rules to every photo due (or, with `round`, remove the positions of that
    round's photos only: the publication hook). Idempotent; records one audit event."""
    now = now or timezone.now()
    deleting = originals_due(now=now) if round is None else EvidencePhoto.objects.none()
    delete_ids = list(deleting.order_by("pk").values_list("pk", flat=True))
    clear_ids = list(
        positions_due(now=now, round=round)
        .exclude(pk__in=delete_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if dry_run:
        return RetentionRun(len(clear_ids), 0, len(delete_ids), dry_run=True)
    deleted = cleared = gps_removed = 0
    for start in range(0, len(delete_ids), CHUNK):
        photos = _checked(delete_ids[start : start + CHUNK])
        for photo in photos:
            cleared += photo.latitude is not None or photo.longitude is not None
            _delete_original(photo, now)
            deleted += 1
    for start in range(0, len(clear_ids), CHUNK):
        for photo in _checked(clear_ids[start : start + CHUNK]):
            outcome = _forget_position(photo, now)
            cleared += 1
            gps_removed += outcome == "cleaned"
            deleted += outcome == "deleted"
    run = RetentionRun(cleared, gps_removed, deleted, dry_run=False)
    if run.changed:
        record_event(
            actor=None,
            action="evidence_retention_applied",
            target=round if round is not None else EvidencePhoto,
            positions_cleared=run.positions_cleared,
            gps_removed=run.gps_removed,
            originals_deleted=run.originals_deleted,
            periods=retention_summary().__dict__,
        )
    return run


def _checked(ids: Sequence[object]) -> list[EvidencePhoto]:
    """The photos with their checks computed now, while their position and original remain:
    the distance flag is what stays of the position."""
    photos = list(EvidencePhoto.objects.filter(pk__in=ids).order_by("pk"))
    unread = [p for p in photos if p.checked_at is None and not p.camera]
    for photo in unread:
        photo.camera = stored_camera(photo)
    EvidencePhoto.objects.bulk_update(unread, ["camera"])
    located = [p for p in photos if p.latitude is not None or p.longitude is not None]
    if located or unread:
        photos_check(photos=located + unread, related=False)
    return list(EvidencePhoto.objects.filter(pk__in=ids).order_by("pk"))


def _delete_original(photo: EvidencePhoto, now: datetime.datetime) -> None:
    name = photo.original.name or ""
    with transaction.atomic():
        EvidencePhoto.objects.filter(pk=photo.pk).update(
            original="", original_deleted_at=now, latitude=None, longitude=None
        )
        transaction.on_commit(lambda: default_storage.delete(name))  # gone already: no error


def _forget_position(photo: EvidencePhoto, now: datetime.datetime) -> str:
    """Coordinates out of the row, GPS out of the kept original: "cleaned", "deleted" (the
    GPS could not be removed, so the original went) or "" (no original, or no GPS in it)."""
    name = photo.original.name or ""
    if not name or photo.original_deleted_at is not None or photo.content_type == PDF_TYPE:
        EvidencePhoto.objects.filter(pk=photo.pk).update(latitude=None, longitude=None)
        return ""
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
    except OSError:
        log.warning("retention: original %s of photo %s unreadable", name, photo.pk)
        EvidencePhoto.objects.filter(pk=photo.pk).update(latitude=None, longitude=None)
        return ""
    cleaned = without_gps(data)
    if has_gps(cleaned) and photo.display:
        _delete_original(photo, now)
        return "deleted"
    if cleaned == data:
        EvidencePhoto.objects.filter(pk=photo.pk).update(latitude=None, longitude=None)
        return ""
    folder, _, base = name.rpartition("/")
    new_name = default_storage.save(f"{folder}/{base}", ContentFile(cleaned))
    try:
        with transaction.atomic():
            EvidencePhoto.objects.filter(pk=photo.pk).update(
                original=new_name, latitude=None, longitude=None
            )
            transaction.on_commit(lambda: default_storage.delete(name))
    except BaseException:
        default_storage.delete(new_name)
        raise
    return "cleaned"

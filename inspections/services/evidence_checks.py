"""Store the checks' findings on photos: at ingest, when a unit's place changes, by command."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from inspections.evidence_checks import (
    AFTER_ROUND,
    BEFORE_ACTION,
    BEFORE_ROUND,
    FAR,
    NO_CAMERA,
    OLD,
    Place,
    Setting,
    camera_of,
    findings,
)
from inspections.models import EvidencePhoto, OrgUnit
from inspections.photos import PDF_TYPE
from inspections.selectors.evidence import evidence_matches, owner_of, with_owners

_TIME_CODES = {BEFORE_ROUND, AFTER_ROUND, BEFORE_ACTION, OLD}


def max_age_days() -> int:
    return max(1, int(getattr(settings, "EVIDENCE_MAX_AGE_DAYS", 30)))


def place_of(unit: OrgUnit) -> Place | None:
    if unit.latitude is None or unit.longitude is None or not unit.radius_m:
        return None
    return Place(unit.latitude, unit.longitude, unit.radius_m)


def _setting(photo: EvidencePhoto) -> Setting:
    if photo.inspection is not None:
        round_ = photo.inspection.round
        return Setting(
            round_dates=(round_.starts_on, round_.ends_on),
            place=place_of(photo.inspection.unit),
            action_opened=None,
            max_age_days=max_age_days(),
        )
    if photo.action_response is not None:
        action = photo.action_response.action
        return Setting(None, place_of(action.unit), action.opened_at, max_age_days())
    assert photo.commitment is not None
    return Setting(None, place_of(photo.commitment.unit), None, max_age_days())


@transaction.atomic
def photos_check(*, photos: Iterable[EvidencePhoto], related: bool = True) -> list[EvidencePhoto]:
    """Compute and store every photo's findings. With `related`, the photos they repeat are
    checked again too, so a reuse shows on both sides. Returns the photos checked."""
    kinds = {photo.pk: owner_of(photo)[0] for photo in photos}
    ids = list(kinds)
    fresh = with_owners(kinds, key=attrgetter("pk"))
    by_owner: dict[tuple[str, Any], list[EvidencePhoto]] = {}
    for photo in fresh:
        by_owner.setdefault(owner_of(photo), []).append(photo)
    now = timezone.now()
    touched: set[Any] = set()
    for group in _batches(list(by_owner.values())):
        # The photos of several owners looked up together: a file reused by k inspections
        # makes each new copy check the k others again, in two queries rather than 2k.
        matches = evidence_matches(group)
        for photo in group:
            found = matches.get(photo.pk, [])
            touched |= {m.photo_id for m in found}
            previous = list(photo.checks or [])
            photo.checks = findings(
                is_image=photo.content_type != PDF_TYPE,
                captured_at=photo.captured_at,
                uploaded_at=photo.uploaded_at,
                latitude=photo.latitude,
                longitude=photo.longitude,
                camera=photo.camera,
                setting=_setting(photo),
                matches=found,
            )
            if photo.checked_at is not None and (photo.latitude is None or photo.longitude is None):
                photo.checks = _position_flags_kept(photo.checks, previous)
            photo.checked_at = now
    EvidencePhoto.objects.bulk_update(fresh, ["checks", "checked_at"])
    others = touched - {str(pk) for pk in ids}
    if related and others:
        photos_check(photos=list(EvidencePhoto.objects.filter(pk__in=others)), related=False)
    return fresh


def _batches(groups: list[list[EvidencePhoto]], size: int = 50) -> list[list[EvidencePhoto]]:
    """Whole owner groups gathered into lists of about `size` photos (each photo adds its hash
    probes to the candidates' query)."""
    batches: list[list[EvidencePhoto]] = []
    for group in groups:
        if batches and len(batches[-1]) + len(group) <= size:
            batches[-1].extend(group)
        else:
            batches.append(list(group))
    return batches


def _position_flags_kept(
    found: list[dict[str, Any]], previous: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A photo checked before, now without a position: the position may have been removed
    (services/retention.py), so the flags it decided stay as they were: the distance flag,
    and no "no camera" flag that a missing position alone would now raise."""
    kept = {FAR, NO_CAMERA}
    found = [f for f in found if f.get("code") not in kept]
    before = [f for f in previous if f.get("code") in kept]
    at = next((i for i, f in enumerate(found) if f.get("code") not in _TIME_CODES), len(found))
    return found[:at] + before + found[at:]


def unit_photos_recheck(*, unit: OrgUnit) -> int:
    """After the unit's place changed: its photos' distances are checked again."""
    from django.db.models import Q

    photos = list(
        EvidencePhoto.objects.filter(
            Q(inspection__unit=unit)
            | Q(action_response__action__unit=unit)
            | Q(commitment__unit=unit)
        ).only("pk")
    )
    for start in range(0, len(photos), 500):
        photos_check(photos=photos[start : start + 500], related=False)
    return len(photos)


def stored_camera(photo: EvidencePhoto) -> str:
    """The camera read again from a stored original (photos stored before the checks)."""
    if not photo.original or photo.original_deleted_at is not None:
        return photo.camera
    try:
        with default_storage.open(photo.original.name, "rb") as handle:
            return camera_of(handle.read())
    except OSError:
        return photo.camera


def stored_photos_check(*, everything: bool = False, chunk: int = 500) -> int:
    """Check photos stored before the checks existed (or, with `everything`, all photos again,
    e.g. after EVIDENCE_MAX_AGE_DAYS changed). A photo never checked has its camera read from
    its original first, while the original is still kept. Returns how many were checked."""
    rows = EvidencePhoto.objects.order_by("pk")
    if not everything:
        rows = rows.filter(checked_at__isnull=True)
    ids = list(rows.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        photos = list(EvidencePhoto.objects.filter(pk__in=ids[start : start + chunk]))
        read = [p for p in photos if p.checked_at is None and not p.camera]
        for photo in read:
            photo.camera = stored_camera(photo)
        EvidencePhoto.objects.bulk_update(read, ["camera"])
        # Related photos are in the same run (or were checked at their own upload).
        photos_check(photos=photos, related=False)
    return len(ids)

"""Reused evidence: a photo whose file or picture repeats a photo of another inspection."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.conf import settings
from django.db.models import Q

from inspections.models import EvidencePhoto

# --- Reused evidence ------------------------------------------------------------------------
# A photo whose file (SHA-256) or picture (dHash within EVIDENCE_REUSE_DISTANCE bits) matches
# a photo of another inspection. The 64-bit hash is indexed as four 16-bit bands: two hashes
# within d bits differ by at most d // 4 bits in some band (pigeonhole), so probing each band
# with every value within d // 4 bits (17 values per band for d ≤ 7) finds every match through
# the band indexes, while a random photo shares a probed band with ~68/65,536 of the others.


@dataclass(frozen=True)
class ReusedEvidence:
    photo_id: Any  # the photo under review
    other_photo_id: Any
    other_inspection_id: Any
    other_unit_name: str
    distance: int  # bits apart in dHash; 0 for the same file
    same_file: bool


def reuse_warnings_for(inspection: Any) -> dict[Any, list[ReusedEvidence]]:
    """photo id → its matches in other inspections, for every photo of `inspection`.
    Two queries whatever the number of photos."""
    photos = list(inspection.photos.all())
    found: dict[Any, list[ReusedEvidence]] = {}
    for match in _reuse_matches(photos, exclude_inspection=inspection.pk):
        found.setdefault(match.photo_id, []).append(match)
    return found


def _reuse_distance() -> int:
    return max(0, min(int(getattr(settings, "EVIDENCE_REUSE_DISTANCE", 6)), 11))


def _within_bits(value: int, radius: int) -> set[int]:
    found = {value}
    for bits in range(1, radius + 1):
        for flips in combinations(range(16), bits):
            flipped = value
            for bit in flips:
                flipped ^= 1 << bit
            found.add(flipped)
    return found


def _reuse_matches(photos: list[Any], *, exclude_inspection: Any) -> list[ReusedEvidence]:
    distance = _reuse_distance()
    radius = distance // 4
    condition = Q(sha256__in={p.sha256 for p in photos if p.sha256})
    for band in range(4):
        probes: set[int] = set()
        for photo in photos:
            value = getattr(photo, f"dhash_band{band}")
            if value is not None:
                probes |= _within_bits(value, radius)
        if probes:
            condition |= Q(**{f"dhash_band{band}__in": sorted(probes)})
    candidates = (
        EvidencePhoto.objects.filter(condition, inspection__isnull=False)
        .exclude(inspection_id=exclude_inspection)
        .select_related("inspection")
        .order_by("uploaded_at")
    )
    matches: list[ReusedEvidence] = []
    for other in candidates:
        if other.inspection is None:
            continue
        for photo in photos:
            same_file = bool(photo.sha256) and photo.sha256 == other.sha256
            apart = (
                (int(photo.dhash, 16) ^ int(other.dhash, 16)).bit_count()
                if photo.dhash_band0 is not None and other.dhash_band0 is not None
                else 64  # no distinctive picture hash on one side: the same file only
            )
            if same_file or apart <= distance:
                matches.append(
                    ReusedEvidence(
                        photo_id=photo.pk,
                        other_photo_id=other.pk,
                        other_inspection_id=other.inspection_id,
                        other_unit_name=other.inspection.unit_name_snapshot,
                        distance=0 if same_file else apart,
                        same_file=same_file,
                    )
                )
    return matches

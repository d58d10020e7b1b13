"""Reused evidence: a photo whose file or picture repeats a photo of another owner."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db.models import Q

from inspections.evidence_checks import Match, median_position
from inspections.models import EvidencePhoto, Round

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


def _candidates(photos: list[Any], *, exclude: Q) -> list[Any]:
    """Stored photos with the same file or a picture within the distance, read through the
    SHA-256 and band indexes whatever the number of stored photos: the first query reads
    three columns of the rows a band probe finds (about 68 / 65,536 of them), the distance is
    measured here, and only real matches are read in full, with their owners."""
    radius = _reuse_distance() // 4
    condition = Q(sha256__in={p.sha256 for p in photos if p.sha256})
    for band in range(4):
        probes: set[int] = set()
        for photo in photos:
            value = getattr(photo, f"dhash_band{band}")
            if value is not None:
                probes |= _within_bits(value, radius)
        if probes:
            condition |= Q(**{f"dhash_band{band}__in": sorted(probes)})
    rows = EvidencePhoto.objects.filter(condition).exclude(exclude).order_by()  # no sort
    columns = ("pk", "sha256", "dhash", "dhash_band0", "inspection_id", "action_response_id")
    hits = {
        pk: _owner_kind(inspection_id, response_id)
        for pk, sha256, dhash, band, inspection_id, response_id in rows.values_list(*columns)
        if any(_matches(photo, sha256, dhash, band) for photo in photos)
    }
    if not hits:
        return []
    return with_owners(hits, key=attrgetter("uploaded_at"))


def _matches(photo: Any, sha256: str, dhash: str, band: int | None) -> bool:
    return _compare(photo, sha256, dhash, band) is not None


def _compare(photo: Any, sha256: str, dhash: str, band: int | None) -> tuple[bool, int] | None:
    """(same file, bits apart) when `photo` matches a stored file or picture; None if not."""
    if photo.sha256 and photo.sha256 == sha256:
        return True, 0
    if photo.dhash_band0 is None or band is None:
        return None  # no distinctive picture hash on one side: the same file only
    apart = (int(photo.dhash, 16) ^ int(dhash, 16)).bit_count()
    return (False, apart) if apart <= _reuse_distance() else None


def _pairs(photos: list[Any], others: list[Any]) -> list[tuple[Any, Any, bool, int]]:
    """(photo, other, same file, bits apart) for every pair that matches."""
    found = []
    for other in others:
        for photo in photos:
            compared = _compare(photo, other.sha256, other.dhash, other.dhash_band0)
            if compared is not None:
                found.append((photo, other, *compared))
    return found


def _reuse_matches(photos: list[Any], *, exclude_inspection: Any) -> list[ReusedEvidence]:
    others = _candidates(
        photos, exclude=Q(inspection__isnull=True) | Q(inspection_id=exclude_inspection)
    )
    return [
        ReusedEvidence(
            photo_id=photo.pk,
            other_photo_id=other.pk,
            other_inspection_id=other.inspection_id,
            other_unit_name=other.inspection.unit_name_snapshot,
            distance=apart,
            same_file=same_file,
        )
        for photo, other, same_file, apart in _pairs(photos, others)
    ]


# --- Every owner ----------------------------------------------------------------------------
# The checks on a photo look for its file or picture among the photos of every other owner
# (an inspection, an action's response, a commitment), in any unit or round.

# What the checks read of each kind of owner (the round's dates, the unit's place).
_OWNER_RELATED = {
    "inspection": ("inspection__round", "inspection__unit"),
    "action_response": ("action_response__action__unit", "action_response__action__inspection"),
    "commitment": ("commitment__unit",),
}


def with_owners(kinds: Mapping[Any, str], *, key: Callable[[Any], Any]) -> list[Any]:
    """The photos (id → owner kind) read again with their owners, only the kinds of owner
    present joined, sorted by `key` here rather than by the database: an ORDER BY beside many
    tables' columns makes Django hash every selected column (cProfile of the photo upload)."""
    related = [path for kind in sorted(set(kinds.values())) for path in _OWNER_RELATED[kind]]
    found = EvidencePhoto.objects.filter(pk__in=list(kinds)).select_related(*related)
    return sorted(found.order_by(), key=key)


def owner_of(photo: Any) -> tuple[str, Any]:
    kind = _owner_kind(photo.inspection_id, photo.action_response_id)
    return kind, getattr(photo, f"{kind}_id")


def _owner_kind(inspection_id: Any, action_response_id: Any) -> str:
    if inspection_id is not None:
        return "inspection"
    if action_response_id is not None:
        return "action_response"
    return "commitment"


def unit_of(photo: Any) -> tuple[Any, str]:
    """The unit a photo is evidence about: (its id, its name as the owner records it)."""
    if photo.inspection_id is not None:
        return photo.inspection.unit_id, photo.inspection.unit_name_snapshot
    if photo.action_response_id is not None:
        action = photo.action_response.action
        return action.unit_id, action.unit.name
    return photo.commitment.unit_id, photo.commitment.unit.name


def evidence_matches(photos: list[Any]) -> dict[Any, list[Match]]:
    """photo id → the photos of other owners it repeats (two queries whatever the number of
    photos and owners: keep it to a few dozen photos, each brings its band probes).
    A response's photo that repeats the inspector's photo of the same criterion in the
    inspection the action came from is told apart: the "fix" is the problem photo again."""
    if not photos:
        return {}
    owners = {owner_of(photo) for photo in photos}
    if len(owners) == 1:  # the other photos of the owner are never candidates: not read
        ((kind, owner_id),) = owners
        exclude = Q(pk__in=[p.pk for p in photos]) | Q(**{f"{kind}_id": owner_id})
    else:  # a photo of one owner may repeat a photo of another in the same list
        exclude = Q()
    found: dict[Any, list[Match]] = {}
    for photo, other, same_file, apart in _pairs(photos, _candidates(photos, exclude=exclude)):
        other_kind, other_owner = owner_of(other)
        if (other_kind, other_owner) == owner_of(photo):
            continue  # the same owner's photos repeat each other freely
        other_unit, other_name = unit_of(other)
        action = photo.action_response.action if photo.action_response_id else None
        is_finding = (
            action is not None
            and other.inspection_id == action.inspection_id
            and other.criterion_id == action.criterion_id
        )
        found.setdefault(photo.pk, []).append(
            Match(
                photo_id=str(other.pk),
                owner=other_kind,
                owner_id=str(other_owner),
                unit_name=other_name,
                other_unit=other_unit != unit_of(photo)[0],
                same_file=same_file,
                distance=apart,
                is_finding=is_finding,
            )
        )
    return found


def unit_photo_position(unit: Any) -> tuple[Decimal, Decimal, int] | None:
    """The median position of the photos of the unit's inspections in rounds not yet
    published, and how many photos it comes from; None when no photo has a position."""
    rows = (
        EvidencePhoto.objects.filter(
            inspection__unit=unit, latitude__isnull=False, longitude__isnull=False
        )
        .exclude(inspection__round__status=Round.Status.PUBLISHED)
        .values_list("latitude", "longitude")
    )
    points = [(lat, lon) for lat, lon in rows if lat is not None and lon is not None]
    middle = median_position(points)
    if middle is None:
        return None
    return middle[0], middle[1], len(points)

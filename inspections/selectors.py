"""Reads that several doors share, written to run a fixed number of queries."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import Any

from django.conf import settings
from django.db.models import Q

from inspections import scoring
from inspections.models import (
    ClassificationLevel,
    EvidencePhoto,
    Group,
    OrgUnit,
    RankingSnapshot,
    Round,
    UnitResult,
)
from inspections.services.catalogue import rules_for_version


@dataclass
class RankingRow:
    unit_id: int
    unit_code: str
    unit_name: str
    rank: int | None
    classification: str
    classification_name: str
    score: Decimal | None
    provisional: bool
    previous_rank: int | None
    movement: int | None  # previous rank minus this rank; None = "mới" (new) or unranked

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = str(self.score) if self.score is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RankingRow:
        score = data.get("score")
        return cls(**{**data, "score": Decimal(score) if score is not None else None})


@dataclass
class GroupRanking:
    group_id: int
    group_code: str
    group_name: str
    rows: list[RankingRow] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "group_id": self.group_id,
            "group_code": self.group_code,
            "group_name": self.group_name,
            "rows": [row.as_json() for row in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GroupRanking:
        return cls(
            group_id=data["group_id"],
            group_code=data["group_code"],
            group_name=data["group_name"],
            rows=[RankingRow.from_json(row) for row in data["rows"]],
        )


def ranking_for_round(*, round: Round, group: Group | None = None) -> list[GroupRanking]:
    """The published snapshot of a published round; the live ranking otherwise."""
    snapshot = latest_snapshot(round)
    if snapshot is not None:
        groups = [GroupRanking.from_json(g) for g in snapshot.data.get("groups", [])]
        return [g for g in groups if group is None or g.group_id == group.pk]
    return ranking_compute(round=round, group=group)


def latest_snapshot(round: Round) -> RankingSnapshot | None:
    """The ranking as last published; None while the round has never been published."""
    return RankingSnapshot.objects.filter(round=round).order_by("-number").first()


def ranking_compute(*, round: Round, group: Group | None = None) -> list[GroupRanking]:
    """Rule 7 over the stored unit results of a round, per group."""
    rules = rules_for_version(round.version)
    class_names = dict(
        ClassificationLevel.objects.filter(version_id=round.version_id).values_list("code", "name")
    )
    groups = Group.objects.all() if group is None else Group.objects.filter(pk=group.pk)
    rankings = {g.pk: GroupRanking(g.pk, g.code, g.name) for g in groups}

    live_units = OrgUnit.objects.filter(
        group_id__in=rankings,
        merged_into__isnull=True,
        valid_from__lte=round.ends_on,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=round.starts_on))
    units: dict[int, dict[str, Any]] = {
        u["id"]: dict(u) for u in live_units.values("id", "code", "name", "sort_key", "group_id")
    }
    results: dict[int, dict[str, Any]] = {}
    for r in UnitResult.objects.filter(round=round).values(
        "unit_id",
        "unit__code",
        "unit__name",
        "unit__sort_key",
        "unit__group_id",
        "score",
        "classification",
        "provisional",
    ):
        results[r["unit_id"]] = dict(r)
        units.setdefault(
            r["unit_id"],
            {
                "id": r["unit_id"],
                "code": r["unit__code"],
                "name": r["unit__name"],
                "sort_key": r["unit__sort_key"],
                "group_id": r["unit__group_id"],
            },
        )
    previous = _previous_ranks(round)
    class_order = [rule.code for rule in rules.classes]
    for group_id, ranking in rankings.items():
        members = [u for u in units.values() if u["group_id"] == group_id]
        entries = []
        for unit in members:
            result = results.get(unit["id"], {})
            entries.append(
                scoring.RankingEntry(
                    unit_id=unit["id"],
                    classification=result.get("classification") or None,
                    rounded_score=result.get("score"),
                    order_key=unit["sort_key"],
                )
            )
        by_id = {u["id"]: u for u in members}
        for ranked in scoring.rank_units(class_order, entries):
            unit = by_id[ranked.unit_id]
            result = results.get(ranked.unit_id, {})
            before = previous.get((ranked.unit_id, group_id))
            classification = result.get("classification") or ""
            ranking.rows.append(
                RankingRow(
                    unit_id=ranked.unit_id,
                    unit_code=unit["code"],
                    unit_name=unit["name"],
                    rank=ranked.rank,
                    classification=classification,
                    classification_name=class_names.get(classification, ""),
                    score=result.get("score"),
                    provisional=bool(result.get("provisional")),
                    previous_rank=before,
                    movement=scoring.movement(ranked.rank, before),
                )
            )
    return [r for r in rankings.values() if r.rows or group is not None]


def _previous_ranks(round: Round) -> dict[tuple[int, int], int]:
    """(unit, group) → rank in the latest earlier round (by end date) where it was ranked."""
    found: dict[tuple[int, int], int] = {}
    earlier = (
        UnitResult.objects.filter(
            rank__isnull=False,
            group__isnull=False,
            round__status=Round.Status.PUBLISHED,
            round__ends_on__lt=round.ends_on,
        )
        .order_by("-round__ends_on", "-round_id")
        .values_list("unit_id", "group_id", "rank")
    )
    for unit_id, group_id, rank in earlier.iterator(chunk_size=5000):
        if group_id is not None and rank is not None:
            found.setdefault((unit_id, group_id), rank)
    return found


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


def reused_evidence(photo: Any) -> list[ReusedEvidence]:
    """Photos of other inspections that this photo repeats (same file or near copy)."""
    if photo.inspection_id is None:
        return []
    return _reuse_matches([photo], exclude_inspection=photo.inspection_id)


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

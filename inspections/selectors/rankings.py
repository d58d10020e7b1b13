"""Rankings of a round per group (rule 7), live or from the published snapshot."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections import scoring
from inspections.models import (
    ClassificationLevel,
    Group,
    Inspection,
    OrgUnit,
    RankingSnapshot,
    Round,
    UnitResult,
)
from inspections.models.catalogue import in_language
from inspections.selectors.catalogue import rules_for_version


def cap_note(class_name: str, codes: list[str]) -> str:
    """ "giới hạn ở Đạt do A5 không đạt": why a ★ failure holds a unit at the cap."""
    if not codes:
        return ""
    return _("giới hạn ở %(class)s do %(codes)s không đạt") % {
        "class": class_name,
        "codes": ", ".join(codes),
    }


def unranked_note(reason: str) -> str:
    return {
        "no_result": _("Chưa có phiếu kiểm tra được duyệt"),
        "no_basis": _("Quá ít tiêu chí áp dụng để xếp loại"),
        "unclassified": _("Điểm dưới mức của mọi xếp loại"),
    }.get(reason, "")


def provisional_note(awaiting: int) -> str:
    if not awaiting:
        return _("Tạm tính: còn phiếu kiểm tra chưa được duyệt")
    return ngettext(
        "Tạm tính: còn %(n)d phiếu kiểm tra chưa được duyệt",
        "Tạm tính: còn %(n)d phiếu kiểm tra chưa được duyệt",
        awaiting,
    ) % {"n": awaiting}


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
    # "Họ và tên" of the inspectors whose approved inspections count, in Vietnamese order.
    inspectors: list[str] = field(default_factory=list)
    # The ★ criteria that lowered the class to the cap, as the unit result stored them.
    capped_by: list[str] = field(default_factory=list)
    # Why a row has no rank: "no_result" (no approved inspection), "no_basis" (too little
    # applies to classify) or "unclassified" (below every class); "" when ranked.
    unranked_reason: str = ""
    # Official inspections of the unit not yet approved: why a row is provisional.
    awaiting: int = 0

    @property
    def cap_note(self) -> str:
        return cap_note(self.classification_name or self.classification, self.capped_by)

    @property
    def unranked_note(self) -> str:
        return unranked_note(self.unranked_reason) if self.rank is None else ""

    @property
    def provisional_note(self) -> str:
        return provisional_note(self.awaiting) if self.provisional else ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = str(self.score) if self.score is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RankingRow:
        score = data.get("score")
        row = cls(**{**data, "score": Decimal(score) if score is not None else None})
        if row.rank is None and not row.unranked_reason:  # published before reasons were kept
            row.unranked_reason = "no_result" if score is None else "no_basis"
        return row


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
        groups = [g for g in groups if group is None or g.group_id == group.pk]
    else:
        groups = ranking_compute(round=round, group=group)
    return _in_reader_language(round, groups)


def _in_reader_language(round: Round, groups: list[GroupRanking]) -> list[GroupRanking]:
    """Class and group names in the active language (two queries): a snapshot keeps the
    Vietnamese names it was published with, an English reader gets the English ones."""
    classes = {
        level.code: level.display_name
        for level in ClassificationLevel.objects.filter(version_id=round.version_id)
    }
    wanted = [g.group_id for g in groups]
    names = {g.pk: in_language(g.name, g.name_en) for g in Group.objects.filter(pk__in=wanted)}
    for ranking in groups:
        ranking.group_name = names.get(ranking.group_id, ranking.group_name)
        for row in ranking.rows:
            row.classification_name = classes.get(row.classification, row.classification_name)
    return groups


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
        "capped_by",
        "enough_basis",
        "inspection_count",
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
    inspectors = _inspectors(round)
    awaiting = _awaiting(round)
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
                    inspectors=inspectors.get(ranked.unit_id, []),
                    capped_by=list(result.get("capped_by") or []),
                    unranked_reason="" if ranked.rank is not None else _unranked_reason(result),
                    awaiting=awaiting.get(ranked.unit_id, 0),
                )
            )
    return [r for r in rankings.values() if r.rows or group is not None]


def _unranked_reason(result: dict[str, Any]) -> str:
    if not result or not result.get("inspection_count") or result.get("score") is None:
        return "no_result"
    if not result.get("enough_basis"):
        return "no_basis"
    return "unclassified"


def _awaiting(round: Round) -> dict[int, int]:
    """unit → its official inspections of the round not approved yet (one query)."""
    rows = (
        Inspection.objects.filter(round=round, kind=Inspection.Kind.OFFICIAL)
        .exclude(state=Inspection.State.APPROVED)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return dict(rows)


def class_order_names(round: Round) -> list[str]:
    """The names of the round's classes, best first: the first key of the ranking order."""
    return [
        level.display_name
        for level in ClassificationLevel.objects.filter(version_id=round.version_id).order_by(
            "order"
        )
    ]


def _inspectors(round: Round) -> dict[int, list[str]]:
    """unit → the names of the inspectors of its approved official inspections (one query)."""
    rows = (
        Inspection.objects.filter(
            round=round, kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED
        )
        .order_by("unit_id", "inspector__profile__sort_key", "inspector__username")
        .values_list("unit_id", "inspector__profile__full_name", "inspector__username")
    )
    found: dict[int, list[str]] = {}
    for unit_id, full_name, username in rows:
        names = found.setdefault(unit_id, [])
        if (full_name or username) not in names:
            names.append(full_name or username)
    return found


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

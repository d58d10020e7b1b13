"""Stored scores: an inspection's running score, and a unit's result in a round (rule 6)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from inspections import scoring
from inspections.models import (
    Answer,
    ClassificationLevel,
    Inspection,
    OrgUnit,
    RankingSnapshot,
    RankingSnapshotRow,
    Round,
    UnitResult,
)
from inspections.selectors.catalogue import rules_for_version
from inspections.selectors.rankings import GroupRanking

# Enough places that the stored exact score orders and displays like the exact fraction.
_EXACT_PLACES = Decimal("1e-15")


def as_stored_decimal(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_EXACT_PLACES)


def criterion_score_json(result: scoring.CriterionResult) -> dict[str, object]:
    return {
        "code": result.code,
        "earned": str(result.earned) if result.earned is not None else None,
        "possible": str(result.possible) if result.possible is not None else None,
        "critical_failed": result.critical_failed,
    }


def answers_of(inspection: Inspection) -> dict[str, scoring.AnswerValue]:
    answers = Answer.objects.filter(inspection=inspection).select_related("criterion")
    return {a.criterion.code: a.value for a in answers}  # type: ignore[misc]


def score_of(inspection: Inspection) -> scoring.InspectionScore:
    return scoring.score_inspection(
        rules_for_version(inspection.round.version), answers_of(inspection)
    )


def rescore_inspection(inspection: Inspection, *, fields: list[str] | None = None) -> None:
    """Store the scores of the inspection's answers as they stand, plus any other `fields`."""
    store_score(inspection, score_of(inspection), fields=fields)


def stored_score(
    inspection: Inspection, rules: scoring.ModelRules
) -> scoring.InspectionScore | None:
    """The score as stored with the inspection, for one answer to move it; None when what is
    stored is not of these rules (scores stored before they were kept per criterion)."""
    criteria = inspection.criterion_scores or []
    sections = inspection.section_scores or []
    section_codes = list(dict.fromkeys(rule.section for rule in rules.criteria))
    if [c.get("code") for c in criteria] != [rule.code for rule in rules.criteria] or [
        s.get("section") for s in sections
    ] != section_codes:
        return None
    results = tuple(
        scoring.CriterionResult(
            code=c["code"],
            earned=_decimal(c["earned"]),
            possible=_decimal(c["possible"]),
            critical_failed=bool(c["critical_failed"]),
        )
        for c in criteria
    )
    by_section = tuple(
        scoring.section_of_sums(s["section"], Decimal(s["earned"]), Decimal(s["possible"]))
        for s in sections
    )
    return scoring.InspectionScore(
        earned=sum((s.earned for s in by_section), Decimal(0)),
        possible=sum((s.possible for s in by_section), Decimal(0)),
        exact=None,  # rescore_one works from the sums; nothing reads these three
        rounded=None,
        sections=by_section,
        criteria=results,
        critical_failures=(),
        classification=None,
        enough_basis=False,
    )


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def store_score(
    inspection: Inspection, result: scoring.InspectionScore, *, fields: list[str] | None = None
) -> None:
    inspection.earned_points = result.earned
    inspection.possible_points = result.possible
    inspection.score_exact = as_stored_decimal(result.exact)
    inspection.score = result.rounded
    inspection.classification = result.classification or ""
    inspection.enough_basis = result.enough_basis
    inspection.critical_failures = list(result.critical_failures)
    inspection.section_scores = [
        {
            "section": s.section,
            "earned": str(s.earned),
            "possible": str(s.possible),
            "exact": str(as_stored_decimal(s.exact)) if s.exact is not None else None,
            "score": str(s.rounded) if s.rounded is not None else None,
        }
        for s in result.sections
    ]
    inspection.criterion_scores = [criterion_score_json(c) for c in result.criteria]
    inspection.save(
        update_fields=[
            "earned_points",
            "possible_points",
            "score_exact",
            "score",
            "classification",
            "enough_basis",
            "critical_failures",
            "section_scores",
            "criterion_scores",
            "updated_at",
            *(fields or []),
        ]
    )


@transaction.atomic
def unit_result_recompute(*, unit: OrgUnit, round: Round) -> UnitResult | None:
    """Recompute and store the unit's result from its approved official inspections."""
    official = list(
        Inspection.objects.filter(unit=unit, round=round, kind=Inspection.Kind.OFFICIAL)
    )
    approved = [i for i in official if i.state == Inspection.State.APPROVED]
    existing = UnitResult.objects.filter(unit=unit, round=round).first()
    if not official and existing is None:
        return None
    rules = rules_for_version(round.version)
    combined = scoring.unit_score(rules, [score_of(i) for i in approved])
    class_order = {rule.code: i for i, rule in enumerate(rules.classes, start=1)}
    result = existing or UnitResult(unit=unit, round=round)
    result.group_id = unit.group_id
    result.score_exact = as_stored_decimal(combined.exact)
    result.score = combined.rounded
    result.classification = combined.classification or ""
    result.class_order = class_order.get(combined.classification or "")
    result.critical_failed = combined.critical_failed
    result.capped_by = list(combined.capped_by)
    result.enough_basis = combined.enough_basis
    result.sections = {k: str(v) if v is not None else None for k, v in combined.sections.items()}
    result.inspection_count = len(approved)
    result.provisional = len(approved) < len(official)
    result.save()
    return result


def snapshot_store(*, snapshot: RankingSnapshot, groups: list[GroupRanking]) -> None:
    """Keep the ranking as published, one line per unit (the one record of published ranks),
    and give each of the round's results its published group (one UPDATE; a result the
    ranking does not list keeps its group)."""
    levels = ClassificationLevel.objects.filter(version_id=snapshot.round.version_id)
    names = {code: (vi, en) for code, vi, en in levels.values_list("code", "name", "name_en")}
    lines = []
    position = 0
    for ranking in groups:
        for row in ranking.rows:
            vi, en = names.get(row.classification, (row.classification_name, ""))
            position += 1
            lines.append(
                RankingSnapshotRow(
                    snapshot=snapshot,
                    position=position,
                    group_id=ranking.group_id,
                    group_code=ranking.group_code,
                    group_name=ranking.group_name,
                    unit_id=row.unit_id,
                    unit_code=row.unit_code,
                    unit_name=row.unit_name,
                    rank=row.rank,
                    classification=row.classification,
                    classification_name=vi,
                    classification_name_en=en,
                    score=row.score,
                    provisional=row.provisional,
                    previous_rank=row.previous_rank,
                    movement=row.movement,
                    inspectors=row.inspectors,
                    capped_by=row.capped_by,
                    unranked_reason=row.unranked_reason,
                    awaiting=row.awaiting,
                )
            )
    RankingSnapshotRow.objects.bulk_create(lines, batch_size=2000)
    line = RankingSnapshotRow.objects.filter(snapshot=snapshot, unit_id=OuterRef("unit_id"))
    UnitResult.objects.filter(round_id=snapshot.round_id).update(
        group_id=Coalesce(Subquery(line.values("group_id")[:1]), F("group_id")),
    )

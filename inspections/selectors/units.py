"""A unit's page: its results over time, its inspections and self-assessments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from inspections.answers import as_form_text
from inspections.models import (
    Answer,
    ClassificationLevel,
    Criterion,
    Inspection,
    OrgUnit,
    Round,
    Section,
    UnitResult,
)
from inspections.policies import Viewer, inspections_for
from inspections.selectors.checklist import CriterionRow
from inspections.selectors.filters import UnitFilter, filtered
from inspections.selectors.rankings import published_rank


@dataclass
class ChartPoint:
    x: int
    y: int
    label: str
    score: Decimal


def unit_history(unit: OrgUnit) -> list[UnitResult]:
    """The unit's results with a score, oldest round first, each with its `rank` as the round
    last published it (None before publication or when unranked) (one query)."""
    return list(
        UnitResult.objects.filter(unit=unit, inspection_count__gt=0)
        .annotate(rank=published_rank())
        .select_related("round")
        .order_by("round__ends_on", "round_id")
    )


def history_chart(
    results: list[UnitResult], *, width: int = 320, height: int = 120, pad: int = 20
) -> list[ChartPoint]:
    """Points of the score line, 0–100 mapped to the chart's height (SVG y grows down)."""
    scored = [r for r in results if r.score is not None]
    if not scored:
        return []
    step = (width - 2 * pad) // max(len(scored) - 1, 1)
    points = []
    for index, result in enumerate(scored):
        score = result.score or Decimal(0)
        y = height - pad - int(score * (height - 2 * pad) / 100)
        points.append(ChartPoint(x=pad + index * step, y=y, label=result.round.name, score=score))
    return points


def unit_inspections(user: Viewer, unit: OrgUnit, round: Round) -> list[Inspection]:
    """The approved official inspections of a unit in a round that this user may see."""
    return list(
        inspections_for(user)
        .filter(
            unit=unit, round=round, kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED
        )
        .select_related("round__version", "unit")
    )


def self_assessments(user: Viewer, unit: OrgUnit) -> list[Inspection]:
    return list(
        inspections_for(user)
        .filter(unit=unit, kind=Inspection.Kind.SELF)
        .select_related("round")
        .order_by("-round__ends_on", "-created_at")
    )


def unit_list(*, query: Mapping[str, Any] | None = None) -> QuerySet[OrgUnit]:
    """The organisation tree, flat; every signed-in user may read the names of units."""
    return filtered(UnitFilter, query, OrgUnit.objects.order_by("sort_key", "id"))


@dataclass
class ComparedRow:
    """One criterion: the unit's own answer beside each official inspection's."""

    own: CriterionRow
    official: list[CriterionRow]

    @property
    def differs(self) -> bool:
        return any(o.value != self.own.value or o.earned != self.own.earned for o in self.official)


@dataclass
class SelfComparison:
    round: Round
    own: Inspection
    official: list[Inspection]
    result: UnitResult | None
    sections: list[tuple[Section, list[ComparedRow]]]
    own_class: str = ""
    official_class: str = ""

    @property
    def differences(self) -> int:
        return sum(row.differs for _section, rows in self.sections for row in rows)


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _row(criterion: Criterion, inspection: Inspection, answer: Answer | None) -> CriterionRow:
    stored = {c["code"]: c for c in inspection.criterion_scores or []}.get(criterion.code, {})
    return CriterionRow(
        criterion=criterion,
        answer=answer,
        value=as_form_text(answer.value) if answer else "",
        note=answer.note if answer else "",
        earned=_decimal(stored.get("earned")),
        possible=_decimal(stored.get("possible")),
        critical_failed=bool(stored.get("critical_failed")),
    )


def self_comparison(user: Viewer, unit: OrgUnit, round: Round) -> SelfComparison | None:
    """The unit's self-assessment of a round beside the approved official inspections,
    criterion by criterion, as stored (four queries); None when either side is missing."""
    seen = list(
        inspections_for(user)
        .filter(unit=unit, round=round)
        .filter(
            Q(kind=Inspection.Kind.SELF)
            | Q(kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED)
        )
        .order_by("-updated_at", "pk")
    )
    own = next((i for i in seen if i.kind == Inspection.Kind.SELF), None)
    official = [i for i in seen if i.kind == Inspection.Kind.OFFICIAL]
    if own is None or not official:
        return None
    answers = {
        (a.inspection_id, a.criterion_id): a
        for a in Answer.objects.filter(inspection__in=[own, *official])
    }
    blocks: dict[int, tuple[Section, list[ComparedRow]]] = {}
    for criterion in (
        Criterion.objects.filter(version_id=round.version_id)
        .select_related("section")
        .order_by("section__order", "section__code", "order", "code")
    ):
        row = ComparedRow(
            own=_row(criterion, own, answers.get((own.pk, criterion.pk))),
            official=[_row(criterion, i, answers.get((i.pk, criterion.pk))) for i in official],
        )
        blocks.setdefault(criterion.section_id, (criterion.section, []))[1].append(row)
    result = UnitResult.objects.filter(unit=unit, round=round).first()
    names = {
        level.code: level.display_name
        for level in ClassificationLevel.objects.filter(version_id=round.version_id)
    }
    return SelfComparison(
        round,
        own,
        official,
        result,
        list(blocks.values()),
        own_class=names.get(own.classification, ""),
        official_class=names.get(result.classification, "") if result else "",
    )

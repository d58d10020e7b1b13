"""A unit's page: its results over time, its inspections and self-assessments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from inspections.models import Inspection, OrgUnit, Round, UnitResult
from inspections.policies import Viewer, inspections_for
from inspections.selectors.filters import UnitFilter, filtered


@dataclass
class ChartPoint:
    x: int
    y: int
    label: str
    score: Decimal


def unit_history(unit: OrgUnit) -> list[UnitResult]:
    """The unit's results with a score, oldest round first (one query)."""
    return list(
        UnitResult.objects.filter(unit=unit, inspection_count__gt=0)
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

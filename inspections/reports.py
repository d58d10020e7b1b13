"""Reads for the unit's pages and the rounds' boards, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from inspections.models import (
    Assignment,
    ClassificationLevel,
    CorrectiveAction,
    Inspection,
    OrgUnit,
    Round,
    UnitResult,
)
from inspections.visibility import actions_for, inspections_for

OPEN_ACTION_STATES = (CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REOPENED)
NOT_STARTED = "not_started"


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


def class_names(version_ids: set[int]) -> dict[tuple[int, str], str]:
    """(version, class code) → the class's name, for every version asked (one query)."""
    rows = ClassificationLevel.objects.filter(version_id__in=version_ids)
    return {(level.version_id, level.code): level.display_name for level in rows}


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


def unit_inspections(user: Any, unit: OrgUnit, round: Round) -> list[Inspection]:
    """The approved official inspections of a unit in a round that this user may see."""
    return list(
        inspections_for(user)
        .filter(
            unit=unit, round=round, kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED
        )
        .select_related("round__version", "unit")
    )


def self_assessments(user: Any, unit: OrgUnit) -> list[Inspection]:
    return list(
        inspections_for(user)
        .filter(unit=unit, kind=Inspection.Kind.SELF)
        .select_related("round")
        .order_by("-round__ends_on", "-created_at")
    )


def open_actions(user: Any, unit: OrgUnit) -> QuerySet[CorrectiveAction]:
    return (
        actions_for(user)
        .filter(unit=unit, status__in=OPEN_ACTION_STATES)
        .select_related("criterion", "inspection__round")
        .order_by("due_on", "pk")
    )


@dataclass
class BoardRow:
    assignment: Assignment
    inspection: Inspection | None
    late: bool

    @property
    def state(self) -> str:
        return self.inspection.state if self.inspection else NOT_STARTED


def progress_board(round: Round) -> list[BoardRow]:
    """Every assignment of a round with its inspection's state; late ones marked (two queries)."""
    assignments = list(
        Assignment.objects.filter(round=round)
        .select_related("round", "unit", "inspector")
        .order_by("unit__sort_key", "inspector__username")
    )
    inspections = {
        (i.unit_id, i.inspector_id): i
        for i in Inspection.objects.filter(round=round, kind=Inspection.Kind.OFFICIAL)
    }
    today = timezone.localdate()
    done = (Inspection.State.SUBMITTED, Inspection.State.APPROVED)
    rows = []
    for assignment in assignments:
        inspection = inspections.get((assignment.unit_id, assignment.inspector_id))
        finished = inspection is not None and inspection.state in done
        late = not finished and assignment.effective_due_on < today
        rows.append(BoardRow(assignment=assignment, inspection=inspection, late=late))
    return rows


def board_counts(rows: list[BoardRow]) -> dict[str, int]:
    counts = {NOT_STARTED: 0, **dict.fromkeys(Inspection.State.values, 0)}
    for row in rows:
        counts[row.state] += 1
    return counts


def overdue_on(action: CorrectiveAction, today: datetime.date | None = None) -> bool:
    return action.due_on < (today or timezone.localdate())


@dataclass
class RoundProgress:
    round: Round
    assigned: int
    states: dict[str, int]

    @property
    def approved_share(self) -> int:
        if not self.assigned:
            return 0
        return round(100 * self.states.get(Inspection.State.APPROVED, 0) / self.assigned)


def rounds_progress() -> list[RoundProgress]:
    """Open and closed rounds with their assignment and inspection counts (three queries)."""
    rounds = list(
        Round.objects.filter(status__in=[Round.Status.OPEN, Round.Status.CLOSED]).order_by(
            "-ends_on"
        )
    )
    ids = [r.pk for r in rounds]
    assigned = dict(
        Assignment.objects.filter(round_id__in=ids)
        .values("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )
    states: dict[int, dict[str, int]] = {}
    for round_id, state, n in (
        Inspection.objects.filter(round_id__in=ids, kind=Inspection.Kind.OFFICIAL)
        .values("round_id", "state")
        .annotate(n=Count("id"))
        .values_list("round_id", "state", "n")
    ):
        states.setdefault(round_id, {})[state] = n
    return [RoundProgress(r, assigned.get(r.pk, 0), states.get(r.pk, {})) for r in rounds]


def class_distribution(round: Round) -> list[tuple[str, str, int]]:
    """(group name, class code, units) for a round's results, best class first (one query)."""
    rows = (
        UnitResult.objects.filter(round=round)
        .exclude(classification="")
        .values("group__name", "classification", "class_order")
        .annotate(n=Count("id"))
        .order_by("group__name", "class_order")
    )
    return [(r["group__name"] or "", r["classification"], r["n"]) for r in rows]


def top_and_bottom(round: Round, size: int = 5) -> tuple[list[UnitResult], list[UnitResult]]:
    scored = UnitResult.objects.filter(round=round, score__isnull=False).select_related("unit")
    top = list(scored.order_by("class_order", "-score")[:size])
    bottom = list(scored.order_by("-class_order", "score")[:size])
    return top, bottom


def units_with_overdue_actions() -> list[dict[str, Any]]:
    """Units with open actions past their due date, most first (one query)."""
    return list(
        CorrectiveAction.objects.filter(
            status__in=OPEN_ACTION_STATES, due_on__lt=timezone.localdate()
        )
        .values("unit__code", "unit__name")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__name")
    )

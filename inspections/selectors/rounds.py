"""Rounds' progress boards and the leaders' overview, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspections.models import Assignment, CorrectiveAction, Inspection, Round, UnitResult
from inspections.models.catalogue import in_language
from inspections.policies import Viewer, assignments_for
from inspections.selectors.filters import AssignmentFilter, RoundFilter, filtered

NOT_STARTED = "not_started"


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
        .select_related("round", "unit", "inspector__profile")
        .order_by("unit__sort_key", "inspector__profile__sort_key", "inspector__username")
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
        .values("group__name", "group__name_en", "classification", "class_order")
        .annotate(n=Count("id"))
        .order_by("group__name", "class_order")
    )
    return [
        (
            in_language(r["group__name"] or "", r["group__name_en"] or ""),
            r["classification"],
            r["n"],
        )
        for r in rows
    ]


def top_and_bottom(round: Round, size: int = 5) -> tuple[list[UnitResult], list[UnitResult]]:
    scored = UnitResult.objects.filter(round=round, score__isnull=False).select_related("unit")
    top = list(scored.order_by("class_order", "-score")[:size])
    bottom = list(scored.order_by("-class_order", "score")[:size])
    return top, bottom


def round_list(*, query: Mapping[str, Any] | None = None) -> QuerySet[Round]:
    rows = Round.objects.select_related("version").order_by("-ends_on", "-id")
    return filtered(RoundFilter, query, rows)


def assignment_list(
    *, user: Viewer, query: Mapping[str, Any] | None = None
) -> QuerySet[Assignment]:
    rows = assignments_for(user).select_related("round", "unit", "inspector__profile")
    return filtered(AssignmentFilter, query, rows.order_by("round_id", "unit__sort_key", "id"))


@dataclass
class Waiting:
    """What waits for Internal Affairs, counted for its home page."""

    submitted: int
    responded_actions: int
    late_assignments: int


def waiting_for_internal_affairs() -> Waiting:
    """Inspections to review, fixes to verify, and late assignments in open rounds (3 queries)."""
    today = timezone.localdate()
    finished = Inspection.objects.filter(
        round_id=OuterRef("round_id"),
        unit_id=OuterRef("unit_id"),
        inspector_id=OuterRef("inspector_id"),
        kind=Inspection.Kind.OFFICIAL,
        state__in=[Inspection.State.SUBMITTED, Inspection.State.APPROVED],
    )
    late = (
        Assignment.objects.filter(round__status=Round.Status.OPEN)
        .annotate(due=Coalesce("due_on", "round__ends_on"))
        .filter(due__lt=today)
        .exclude(Exists(finished))
    )
    return Waiting(
        submitted=Inspection.objects.filter(
            kind=Inspection.Kind.OFFICIAL, state=Inspection.State.SUBMITTED
        ).count(),
        responded_actions=CorrectiveAction.objects.filter(
            status=CorrectiveAction.Status.RESPONDED
        ).count(),
        late_assignments=late.count(),
    )

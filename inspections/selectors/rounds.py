"""Rounds' progress boards and the leaders' overview, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspections.models import Assignment, CorrectiveAction, Inspection, Round, UnitResult
from inspections.models.catalogue import in_language
from inspections.policies import Viewer, assignments_for
from inspections.selectors.filters import NOT_STARTED, AssignmentFilter, RoundFilter, filtered


@dataclass
class BoardRow:
    assignment: Assignment
    inspection: Inspection | None
    late: bool

    @property
    def state(self) -> str:
        return self.inspection.state if self.inspection else NOT_STARTED


def with_progress(rows: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Assignments with `progress` (their official inspection's state, or "not_started") and
    `due` (their own due date, else the round's end): what AssignmentFilter filters and sorts."""
    official = Inspection.objects.filter(
        round_id=OuterRef("round_id"),
        unit_id=OuterRef("unit_id"),
        inspector_id=OuterRef("inspector_id"),
        kind=Inspection.Kind.OFFICIAL,
    )
    rows = rows.annotate(
        progress=Coalesce(Subquery(official.values("state")[:1]), Value(NOT_STARTED)),
        due=Coalesce("due_on", "round__ends_on"),
    )
    # The board's states in the order work moves through them, for sorting.
    return rows.annotate(
        progress_order=Case(
            *[When(progress=state, then=Value(i)) for i, state in enumerate(_STEPS)],
            default=Value(len(_STEPS)),
            output_field=IntegerField(),
        )
    )


_STEPS = (
    NOT_STARTED,
    Inspection.State.DRAFT,
    Inspection.State.RETURNED,
    Inspection.State.SUBMITTED,
    Inspection.State.APPROVED,
)


def progress_board(round: Round, query: Mapping[str, Any] | None = None) -> list[BoardRow]:
    """A round's assignments with their inspection's state, late ones marked, filtered and
    sorted by `query` (two queries)."""
    ordered = with_progress(
        Assignment.objects.filter(round=round)
        .select_related("round", "unit", "inspector__profile")
        .order_by("unit__sort_key", "inspector__profile__sort_key", "inspector__username", "id")
    )
    assignments = list(filtered(AssignmentFilter, query, ordered))
    inspections = {
        (i.unit_id, i.inspector_id): i
        for i in Inspection.objects.filter(round=round, kind=Inspection.Kind.OFFICIAL)
    }
    today = timezone.localdate()
    done = (Inspection.State.SUBMITTED, Inspection.State.APPROVED)
    rows: list[BoardRow] = []
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


@dataclass
class GroupEnds:
    """A group's best and worst units in a round, each in ranking order (rule 7)."""

    group_name: str
    top: list[UnitResult]
    bottom: list[UnitResult]


def top_and_bottom(round: Round, size: int = 5) -> list[GroupEnds]:
    """Per group, the `size` best units and the `size` last, never mixing groups (one query).

    Units without a class come last, by score; both lists keep the ranking's order."""
    scored = (
        UnitResult.objects.filter(round=round, score__isnull=False)
        .select_related("unit", "group")
        .order_by("group__sort_key", "group_id")
    )
    groups: dict[int | None, GroupEnds] = {}
    members: dict[int | None, list[UnitResult]] = {}
    for result in scored:
        name = result.group.name if result.group else ""
        groups.setdefault(result.group_id, GroupEnds(name, [], []))
        members.setdefault(result.group_id, []).append(result)
    for group_id, results in members.items():
        results.sort(key=lambda r: (r.class_order or 99, -(r.score or 0), r.unit.sort_key))
        ends = groups[group_id]
        ends.top = results[:size]
        # The last units past the top, in ranking order: no unit is in both lists.
        ends.bottom = results[max(size, len(results) - size) :]
    return list(groups.values())


def round_list(*, query: Mapping[str, Any] | None = None) -> QuerySet[Round]:
    rows = Round.objects.select_related("version").order_by("-ends_on", "-id")
    return filtered(RoundFilter, query, rows)


def assignment_list(
    *, user: Viewer, query: Mapping[str, Any] | None = None
) -> QuerySet[Assignment]:
    rows = assignments_for(user).select_related("round", "unit", "inspector__profile")
    ordered = with_progress(rows.order_by("round_id", "unit__sort_key", "id"))
    return filtered(AssignmentFilter, query, ordered)


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

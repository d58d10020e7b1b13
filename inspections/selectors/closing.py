"""What is still open in a round before it is locked or published, per inspector and unit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from inspections.models import Inspection, Round
from inspections.selectors.filters import NOT_STARTED
from inspections.selectors.rounds import BoardRow, progress_board

# The order the confirmation page lists them in: what Internal Affairs can still act on first.
PENDING_STATES = (
    Inspection.State.SUBMITTED,
    Inspection.State.RETURNED,
    Inspection.State.DRAFT,
    NOT_STARTED,
)
# Inspections whose review is not finished: publishing without them needs a reason.
UNREVIEWED_STATES = (Inspection.State.SUBMITTED, Inspection.State.RETURNED)


@dataclass
class PendingWork:
    round: Round
    rows: dict[str, list[BoardRow]] = field(default_factory=dict)
    early: bool = False  # today is before the round's end date

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    @property
    def unreviewed(self) -> int:
        return sum(len(self.rows.get(state, [])) for state in UNREVIEWED_STATES)

    def counts(self) -> dict[str, int]:
        return {state: len(self.rows.get(state, [])) for state in PENDING_STATES}

    @property
    def counts_map(self) -> dict[str, int]:
        return self.counts()

    @property
    def all_rows(self) -> list[BoardRow]:
        return [row for _state, rows in self.groups() for row in rows]

    def groups(self) -> list[tuple[str, list[BoardRow]]]:
        """(state, rows) for each state with rows, in PENDING_STATES order."""
        return [(state, self.rows[state]) for state in PENDING_STATES if self.rows.get(state)]

    def drafts_by_inspector(self) -> dict[int, list[BoardRow]]:
        found: dict[int, list[BoardRow]] = {}
        for row in self.rows.get(Inspection.State.DRAFT, []):
            found.setdefault(row.assignment.inspector_id, []).append(row)
        return found


def round_pending(round: Round) -> PendingWork:
    """Every assignment of the round whose official inspection is not approved (two queries)."""
    pending = PendingWork(round=round, early=timezone.localdate() < round.ends_on)
    for row in progress_board(round):
        if row.state != Inspection.State.APPROVED:
            pending.rows.setdefault(row.state, []).append(row)
    return pending

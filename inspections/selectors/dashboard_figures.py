"""What the dashboard shows, as plain data: the page draws it, the API serializes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from inspections.models import Round


@dataclass
class GroupRef:
    id: int
    code: str
    name: str


@dataclass
class ClassCount:
    code: str  # NO_CLASS for units without a class
    name: str
    units: int


@dataclass
class GroupClasses:
    group: GroupRef
    classes: list[ClassCount]

    @property
    def units(self) -> int:
        return sum(c.units for c in self.classes)


@dataclass
class TrendPoint:
    round_id: int
    mean: Decimal | None  # the mean of the units' rounded scores, two decimals
    units: int


@dataclass
class GroupTrend:
    group: GroupRef
    points: list[TrendPoint]  # one per round of `Dashboard.trend_rounds`, same order


@dataclass
class HeatCell:
    group_id: int
    failing: int  # units failing the criterion or below half its points
    assessed: int  # units with an answer that counts (not N/A, not unanswered)

    @property
    def share(self) -> Decimal | None:
        if not self.assessed:
            return None
        return (Decimal(100 * self.failing) / self.assessed).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass
class HeatRow:
    code: str
    text: str
    critical: bool
    cells: list[HeatCell]  # one per group of `Dashboard.groups`, same order


@dataclass
class CriticalFailure:
    code: str
    text: str
    units: int
    by_group: dict[int, int]


@dataclass
class Mover:
    unit_id: int
    unit_code: str
    unit_name: str
    group_id: int | None
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass
class OverdueUnit:
    unit_id: int
    unit_code: str
    unit_name: str
    actions: int


@dataclass
class Coverage:
    group: GroupRef
    units: int
    signed: int


@dataclass
class Progress:
    round: Round
    group: GroupRef
    assigned: int  # units with an inspector assigned
    approved: int
    submitted: int
    started: int  # being scored or returned for corrections

    @property
    def not_started(self) -> int:
        return max(0, self.assigned - self.approved - self.submitted - self.started)


@dataclass
class Dashboard:
    year: int
    years: list[int]
    rounds: list[Round]  # the year's rounds, earliest first
    round: Round | None  # the round the per-round figures read
    previous: Round | None  # the round the movers compare with
    group: GroupRef | None
    groups: list[GroupRef]  # the groups shown (one when filtered)
    all_groups: list[GroupRef]
    classes: list[GroupClasses] = field(default_factory=list)
    trend_rounds: list[Round] = field(default_factory=list)
    trends: list[GroupTrend] = field(default_factory=list)
    heat: list[HeatRow] = field(default_factory=list)
    critical: list[CriticalFailure] = field(default_factory=list)
    critical_units: int = 0  # units with at least one ★ failure
    up: list[Mover] = field(default_factory=list)
    down: list[Mover] = field(default_factory=list)
    compared: int = 0  # units with a score in both rounds
    overdue: list[OverdueUnit] = field(default_factory=list)
    overdue_units: int = 0
    overdue_actions: int = 0
    coverage: list[Coverage] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)

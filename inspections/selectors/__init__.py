"""Every read that more than one view needs, by subject; each runs a fixed number of queries.

Services write, selectors read; the web pages and the API call the same ones.
"""

from inspections.selectors.actions import (
    OPEN_ACTION_STATES,
    open_actions,
    overdue_on,
    units_with_overdue_actions,
)
from inspections.selectors.catalogue import class_names, rules_for_version
from inspections.selectors.checklist import (
    Checklist,
    CriterionRow,
    SectionBlock,
    build_checklist,
    form_value,
    visible_inspection,
)
from inspections.selectors.evidence import ReusedEvidence, reuse_warnings_for, reused_evidence
from inspections.selectors.rankings import (
    GroupRanking,
    RankingRow,
    latest_snapshot,
    ranking_compute,
    ranking_for_round,
)
from inspections.selectors.rounds import (
    NOT_STARTED,
    BoardRow,
    RoundProgress,
    board_counts,
    class_distribution,
    progress_board,
    rounds_progress,
    top_and_bottom,
)
from inspections.selectors.tasks import Task, my_tasks, offline_inspection_ids, thumbnail_ids
from inspections.selectors.units import (
    ChartPoint,
    history_chart,
    self_assessments,
    unit_history,
    unit_inspections,
)

__all__ = [
    "NOT_STARTED",
    "OPEN_ACTION_STATES",
    "BoardRow",
    "ChartPoint",
    "Checklist",
    "CriterionRow",
    "GroupRanking",
    "RankingRow",
    "ReusedEvidence",
    "RoundProgress",
    "SectionBlock",
    "Task",
    "board_counts",
    "build_checklist",
    "class_distribution",
    "class_names",
    "form_value",
    "history_chart",
    "latest_snapshot",
    "my_tasks",
    "offline_inspection_ids",
    "open_actions",
    "overdue_on",
    "progress_board",
    "ranking_compute",
    "ranking_for_round",
    "reuse_warnings_for",
    "reused_evidence",
    "rounds_progress",
    "rules_for_version",
    "self_assessments",
    "thumbnail_ids",
    "top_and_bottom",
    "unit_history",
    "unit_inspections",
    "units_with_overdue_actions",
    "visible_inspection",
]

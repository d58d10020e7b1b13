"""Every read that more than one view needs, by subject; each runs a fixed number of queries.

Services write, selectors read; the web pages and the API call the same ones.
"""

from inspections.selectors.accounts import live_tokens
from inspections.selectors.actions import (
    FOLLOW_UP_CRITERION,
    LIVE_ACTION_STATES,
    OPEN_ACTION_STATES,
    ActionStory,
    action_filter_choices,
    action_list,
    action_stories,
    action_story,
    earlier_round_actions,
    open_actions,
    overdue_on,
    unit_live_actions,
    units_with_overdue_actions,
)
from inspections.selectors.catalogue import class_names, rules_for_version
from inspections.selectors.checklist import (
    Checklist,
    CriterionRow,
    SectionBlock,
    build_checklist,
    visible_inspection,
)
from inspections.selectors.closing import PendingWork, round_pending
from inspections.selectors.commitments import CommitmentBoard, commitment_board, commitment_list
from inspections.selectors.dashboard import dashboard_data
from inspections.selectors.dashboard_figures import Dashboard
from inspections.selectors.editions import (
    EditionDiff,
    edition_diff,
    edition_list,
    edition_outline,
    edition_preview,
)
from inspections.selectors.evidence import ReusedEvidence, reuse_warnings_for
from inspections.selectors.filters import NOT_STARTED
from inspections.selectors.history import (
    RevisionDiff,
    TimelineEntry,
    approved_by_round,
    approved_by_unit,
    inspection_timeline,
    revision_diff,
)
from inspections.selectors.inspections import inspection_list, review_queue
from inspections.selectors.notifications import (
    email_choices,
    internal_affairs_people,
    notification_list,
    office_people,
    unread_count,
)
from inspections.selectors.people import people_list
from inspections.selectors.rankings import (
    GroupRanking,
    RankingRow,
    class_order_names,
    latest_snapshot,
    ranking_compute,
    ranking_for_round,
)
from inspections.selectors.rounds import (
    BoardRow,
    GroupEnds,
    RoundProgress,
    assignment_list,
    board_counts,
    class_distribution,
    progress_board,
    round_list,
    rounds_progress,
    top_and_bottom,
    waiting_for_internal_affairs,
)
from inspections.selectors.tasks import Task, my_tasks, offline_inspection_ids, thumbnail_ids
from inspections.selectors.units import (
    ChartPoint,
    SelfComparison,
    history_chart,
    self_assessments,
    self_comparison,
    unit_history,
    unit_inspections,
    unit_list,
)

__all__ = [
    "FOLLOW_UP_CRITERION",
    "LIVE_ACTION_STATES",
    "NOT_STARTED",
    "OPEN_ACTION_STATES",
    "ActionStory",
    "BoardRow",
    "ChartPoint",
    "Checklist",
    "CommitmentBoard",
    "CriterionRow",
    "Dashboard",
    "EditionDiff",
    "GroupEnds",
    "GroupRanking",
    "PendingWork",
    "RankingRow",
    "ReusedEvidence",
    "RevisionDiff",
    "RoundProgress",
    "SectionBlock",
    "SelfComparison",
    "Task",
    "TimelineEntry",
    "action_filter_choices",
    "action_list",
    "action_stories",
    "action_story",
    "approved_by_round",
    "approved_by_unit",
    "assignment_list",
    "board_counts",
    "build_checklist",
    "class_distribution",
    "class_names",
    "class_order_names",
    "commitment_board",
    "commitment_list",
    "dashboard_data",
    "earlier_round_actions",
    "edition_diff",
    "edition_list",
    "edition_outline",
    "edition_preview",
    "email_choices",
    "history_chart",
    "inspection_list",
    "inspection_timeline",
    "internal_affairs_people",
    "latest_snapshot",
    "live_tokens",
    "my_tasks",
    "notification_list",
    "office_people",
    "offline_inspection_ids",
    "open_actions",
    "overdue_on",
    "people_list",
    "progress_board",
    "ranking_compute",
    "ranking_for_round",
    "reuse_warnings_for",
    "review_queue",
    "revision_diff",
    "round_list",
    "round_pending",
    "rounds_progress",
    "rules_for_version",
    "self_assessments",
    "self_comparison",
    "thumbnail_ids",
    "top_and_bottom",
    "unit_history",
    "unit_inspections",
    "unit_list",
    "unit_live_actions",
    "units_with_overdue_actions",
    "unread_count",
    "visible_inspection",
    "waiting_for_internal_affairs",
]

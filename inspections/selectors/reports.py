"""What the round's official report says: a summary and the published ranking per group."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count

from inspections.models import ClassificationLevel, CorrectiveAction, Inspection, Round
from inspections.selectors.rankings import latest_snapshot, ranking_for_round


def round_report_data(*, round: Round) -> dict[str, Any]:
    """Units inspected, classes per group, ★ failures, actions opened and the ranking, as
    published (the snapshot), in a fixed number of queries."""
    snapshot = latest_snapshot(round)
    groups = ranking_for_round(round=round)
    levels = list(ClassificationLevel.objects.filter(version_id=round.version_id).order_by("order"))
    approved = Inspection.objects.filter(
        round=round, kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED
    )
    failures: Counter[str] = Counter()
    failed_inspections = 0
    for codes in approved.values_list("critical_failures", flat=True):
        if codes:
            failed_inspections += 1
            failures.update(codes)
    actions = CorrectiveAction.objects.filter(inspection__round=round).exclude(
        status=CorrectiveAction.Status.SUPERSEDED
    )
    per_group = []
    for group in groups:
        counts = Counter(row.classification for row in group.rows if row.rank is not None)
        per_group.append(
            {
                "name": group.group_name,
                "units": len(group.rows),
                "ranked": sum(1 for row in group.rows if row.rank is not None),
                "classes": [(level.name, counts.get(level.code, 0)) for level in levels],
                "rows": group.rows,
            }
        )
    return {
        "round": round,
        "published_at": snapshot.published_at if snapshot else round.published_at,
        "snapshot_number": snapshot.number if snapshot else None,
        "reason": snapshot.reason if snapshot else "",
        "units_inspected": approved.values("unit").distinct().count(),
        "inspections": approved.count(),
        "levels": [level.name for level in levels],
        "groups": per_group,
        "critical_failed_inspections": failed_inspections,
        "critical_failures": sorted(failures.items()),
        "actions_opened": actions.count(),
        "actions_by_reason": dict(
            actions.values_list("reason").annotate(n=Count("id")).values_list("reason", "n")
        ),
    }

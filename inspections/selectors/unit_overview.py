"""What a unit's page shows, read in one place: its latest result with its sections, its
history with class names and cap notes, the checklists behind the latest result, its live
actions, its self-assessments beside the official result, and what the reader may do."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inspections import policies
from inspections.models import Inspection, OrgUnit, Round, Section, UnitResult
from inspections.policies import Viewer
from inspections.selectors.actions import ActionStory, unit_live_actions
from inspections.selectors.catalogue import class_names
from inspections.selectors.checklist import Checklist, build_checklist
from inspections.selectors.history import approved_by_round
from inspections.selectors.rankings import cap_note
from inspections.selectors.units import (
    SelfComparison,
    history_chart,
    self_assessments,
    self_comparison,
    unit_history,
    unit_inspections,
)


@dataclass
class UnitOverview:
    unit: OrgUnit
    latest: UnitResult | None
    latest_class: str
    # (result, its class name), oldest round first; each result carries its `cap_note`.
    history: list[tuple[UnitResult, str]]
    sections: list[tuple[Section, Decimal | None]]
    chart: Any
    checklists: list[Checklist]
    approved: dict[int, list[Inspection]]
    actions: list[ActionStory]
    self_assessments: list[Inspection]
    scored_rounds: set[int]
    comparison: SelfComparison | None
    open_rounds: list[Round]
    is_office: bool
    may_export_evidence: bool
    may_export_originals: bool


def unit_overview(viewer: Viewer, unit: OrgUnit) -> UnitOverview:
    history = unit_history(unit)
    latest = history[-1] if history else None
    names = class_names({r.round.version_id for r in history})
    for result in history:  # "giới hạn ở Đạt do A5 không đạt", from the stored result
        name = names.get((result.round.version_id, result.classification), "")
        result.cap_note = cap_note(name, result.capped_by)  # type: ignore[attr-defined]
    checklists: list[Checklist] = []
    sections: list[tuple[Section, Decimal | None]] = []
    if latest is not None:
        checklists = [
            build_checklist(inspection, with_levels=True)
            for inspection in unit_inspections(viewer, unit, latest.round)
        ]
        stored = latest.sections or {}
        for section in Section.objects.filter(version_id=latest.round.version_id).order_by(
            "order", "code"
        ):
            score = stored.get(section.code)
            sections.append((section, Decimal(score) if score is not None else None))
    own = self_assessments(viewer, unit)
    scored_rounds = {r.round_id for r in history}
    compared = next((i.round for i in own if i.round_id in scored_rounds), None)
    is_office = policies.is_office_of(viewer, unit)
    return UnitOverview(
        unit=unit,
        latest=latest,
        latest_class=names.get((latest.round.version_id, latest.classification), "")
        if latest
        else "",
        history=[(r, names.get((r.round.version_id, r.classification), "")) for r in history],
        sections=sections,
        chart=history_chart(history),
        checklists=checklists,
        approved=approved_by_round(viewer, unit),
        actions=unit_live_actions(viewer, unit),
        self_assessments=own,
        scored_rounds=scored_rounds,
        comparison=self_comparison(viewer, unit, compared) if compared else None,
        open_rounds=list(Round.objects.filter(status=Round.Status.OPEN)) if is_office else [],
        is_office=is_office,
        may_export_evidence=policies.may_export_evidence(viewer, unit),
        may_export_originals=policies.may_export_originals(viewer),
    )

"""Corrective actions: what is open, what is late, and one action's whole story."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Prefetch,
    QuerySet,
    Value,
    When,
)

from inspections.models import (
    ActionResponse,
    Answer,
    CorrectiveAction,
    Event,
    EvidencePhoto,
    Inspection,
    OrgUnit,
    Round,
)
from inspections.policies import Viewer, actions_for
from inspections.selectors.filters import ActionFilter, filtered

OPEN_ACTION_STATES = CorrectiveAction.still_with_unit()
# Still in the loop: waiting for the unit (open, reopened) or for its verifier (responded).
LIVE_ACTION_STATES = (*OPEN_ACTION_STATES, CorrectiveAction.Status.RESPONDED)
# The reference catalogue's "lỗi kỳ trước đã khắc phục": its checklist shows last round's actions.
FOLLOW_UP_CRITERION = "A10"


def open_actions(user: Viewer, unit: OrgUnit) -> QuerySet[CorrectiveAction]:
    return (
        actions_for(user)
        .filter(unit=unit, status__in=OPEN_ACTION_STATES)
        .select_related("criterion", "inspection__round")
        .order_by("due_on", "pk")
    )


def overdue_on(action: CorrectiveAction, today: datetime.date | None = None) -> bool:
    return action.is_overdue(today)


def units_with_overdue_actions() -> list[dict[str, Any]]:
    """Units with open actions past their due date, most first (one query)."""
    return list(
        CorrectiveAction.objects.filter(CorrectiveAction.overdue_condition())
        .values("unit__code", "unit__name")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__name")
    )


def with_overdue(rows: QuerySet[CorrectiveAction]) -> QuerySet[CorrectiveAction]:
    """`overdue` on each row: still with the unit (open, reopened) after its due date."""
    return rows.annotate(
        overdue=Case(
            When(CorrectiveAction.overdue_condition(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def action_list(
    *, user: Viewer, query: Mapping[str, Any] | None = None
) -> QuerySet[CorrectiveAction]:
    """The actions this user may see, filtered by the query; overdue first, then by due date."""
    rows = actions_for(user).select_related("unit", "criterion", "inspection__round")
    rows = filtered(ActionFilter, query, with_overdue(rows))
    return rows.order_by("-overdue", "due_on", "unit__sort_key", "criterion__code", "id")


def action_filter_choices(user: Viewer) -> tuple[list[OrgUnit], list[Round]]:
    """The units and rounds the user's actions belong to, for the list's filters (two queries)."""
    mine = actions_for(user)
    units = OrgUnit.objects.filter(pk__in=mine.values("unit_id")).order_by("sort_key")
    rounds = Round.objects.filter(pk__in=mine.values("inspection__round_id"))
    return list(units), list(rounds.order_by("-starts_on", "-pk"))


@dataclass
class ActionStory:
    """One action as its page shows it: the finding (answer, note, the inspector's photos),
    the unit's responses with theirs, and every change of state from the event log."""

    action: CorrectiveAction
    answer: Answer | None
    before: list[EvidencePhoto]
    responses: list[ActionResponse]
    timeline: list[Event] = field(default_factory=list)

    @property
    def answer_label(self) -> str:
        # The checklist module imports this one: its row says an answer in words.
        from inspections.selectors.checklist import CriterionRow

        return CriterionRow(criterion=self.action.criterion, answer=self.answer).value_label

    @property
    def latest_response(self) -> ActionResponse | None:
        return self.responses[-1] if self.responses else None

    @property
    def after(self) -> list[EvidencePhoto]:
        latest = self.latest_response
        return list(latest.photos.all()) if latest is not None else []


def _responses() -> Prefetch[Any]:
    rows = ActionResponse.objects.select_related("created_by__profile").prefetch_related("photos")
    return Prefetch("responses", queryset=rows.order_by("created_at", "pk"))


def action_stories(actions: list[CorrectiveAction]) -> list[ActionStory]:
    """Answers and the inspector's photos of many actions, in two queries whatever their number
    (the actions come with their responses prefetched, see `unit_live_actions`)."""
    inspections = {a.inspection_id for a in actions}
    criteria = {a.criterion_id for a in actions}
    answers = {
        (a.inspection_id, a.criterion_id): a
        for a in Answer.objects.filter(inspection_id__in=inspections, criterion_id__in=criteria)
    }
    photos: dict[tuple[Any, Any], list[EvidencePhoto]] = {}
    for photo in EvidencePhoto.objects.filter(
        inspection_id__in=inspections, criterion_id__in=criteria
    ).order_by("uploaded_at"):
        photos.setdefault((photo.inspection_id, photo.criterion_id), []).append(photo)
    return [
        ActionStory(
            action=a,
            answer=answers.get((a.inspection_id, a.criterion_id)),
            before=photos.get((a.inspection_id, a.criterion_id), []),
            responses=list(a.responses.all()),
        )
        for a in actions
    ]


def action_story(user: Viewer, pk: int) -> ActionStory | None:
    """The action if this user may see it, with its finding, responses and timeline."""
    rows = actions_for(user).select_related(
        "unit", "criterion__section", "inspection__round", "inspection__inspector__profile"
    )
    action = with_overdue(rows).prefetch_related(_responses()).filter(pk=pk).first()
    if action is None:
        return None
    (story,) = action_stories([action])
    story.timeline = list(
        Event.objects.filter(object_type="correctiveaction", object_id=str(action.pk)).order_by(
            "at", "id"
        )
    )
    return story


def unit_live_actions(user: Viewer, unit: OrgUnit) -> list[ActionStory]:
    """The unit's actions still in the loop, with what was found and what it answered."""
    rows = (
        actions_for(user)
        .filter(unit=unit, status__in=LIVE_ACTION_STATES)
        .select_related("criterion", "inspection__round")
        .prefetch_related(_responses())
    )
    return action_stories(list(with_overdue(rows).order_by("-overdue", "due_on", "pk")))


def earlier_round_actions(inspection: Inspection) -> list[CorrectiveAction]:
    """The unit's actions of the latest earlier round that had any (withdrawn ones aside):
    what the follow-up criterion asks the inspector to check. The round first, a small query,
    then its actions only when there is one: building the ORM's single query with the round
    as a subquery cost more than both (it ran on every checklist, mostly to find nothing)."""
    earlier = CorrectiveAction.objects.filter(
        unit_id=inspection.unit_id,
        inspection__kind=Inspection.Kind.OFFICIAL,
        inspection__round__starts_on__lt=inspection.round.starts_on,
    ).exclude(status=CorrectiveAction.Status.SUPERSEDED)
    latest = (
        earlier.order_by("-inspection__round__starts_on", "-inspection__round_id")
        .values_list("inspection__round_id", flat=True)
        .first()
    )
    if latest is None:
        return []
    rows = earlier.filter(inspection__round_id=latest).select_related(
        "criterion", "inspection__round"
    )
    return list(with_overdue(rows).order_by("criterion__section__order", "criterion__order"))

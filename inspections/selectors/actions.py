"""Corrective actions: what is open, what is late."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from inspections.models import CorrectiveAction, OrgUnit
from inspections.policies import Viewer, actions_for
from inspections.selectors.filters import ActionFilter, filtered

OPEN_ACTION_STATES = (CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REOPENED)


def open_actions(user: Viewer, unit: OrgUnit) -> QuerySet[CorrectiveAction]:
    return (
        actions_for(user)
        .filter(unit=unit, status__in=OPEN_ACTION_STATES)
        .select_related("criterion", "inspection__round")
        .order_by("due_on", "pk")
    )


def overdue_on(action: CorrectiveAction, today: datetime.date | None = None) -> bool:
    return action.due_on < (today or timezone.localdate())


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


def action_list(
    *, user: Viewer, query: Mapping[str, Any] | None = None
) -> QuerySet[CorrectiveAction]:
    rows = actions_for(user).select_related("unit", "criterion", "inspection__round")
    return filtered(ActionFilter, query, rows.order_by("due_on", "id"))

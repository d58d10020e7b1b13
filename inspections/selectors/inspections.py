"""Lists of inspections: what a user may see, and Internal Affairs' review queue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from inspections.models import Inspection
from inspections.policies import Viewer, inspections_for
from inspections.selectors.filters import InspectionFilter, filtered


def inspection_list(
    *, user: Viewer, query: Mapping[str, Any] | None = None
) -> QuerySet[Inspection]:
    rows = inspections_for(user).select_related("unit", "inspector__profile", "round")
    return filtered(InspectionFilter, query, rows.order_by("-created_at", "id"))


def review_queue(*, user: Viewer, query: Mapping[str, Any] | None = None) -> QuerySet[Inspection]:
    """Official inspections waiting for review, the longest waiting first unless sorted."""
    rows = (
        inspections_for(user)
        .filter(kind=Inspection.Kind.OFFICIAL, state=Inspection.State.SUBMITTED)
        .select_related("unit", "inspector__profile", "round")
        .order_by("submitted_at", "id")
    )
    return filtered(InspectionFilter, query, rows)

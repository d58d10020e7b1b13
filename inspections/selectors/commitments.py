"""Commitments (bản cam kết) of the units a user may see."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from inspections.models import Commitment
from inspections.policies import Viewer, commitments_for
from inspections.selectors.filters import CommitmentFilter, filtered


def commitment_list(
    *, user: Viewer, query: Mapping[str, Any] | None = None
) -> QuerySet[Commitment]:
    rows = commitments_for(user).select_related("unit").prefetch_related("photos")
    return filtered(CommitmentFilter, query, rows.order_by("-year", "unit__sort_key", "id"))

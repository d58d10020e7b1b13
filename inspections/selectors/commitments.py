"""Commitments (bản cam kết) of the units a user may see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from inspections.models import Commitment, EvidencePhoto, OrgUnit
from inspections.policies import Viewer, commitments_for, visible_units
from inspections.selectors.filters import CommitmentBoardFilter, CommitmentFilter, filtered


def commitment_list(
    *, user: Viewer, query: Mapping[str, Any] | None = None
) -> QuerySet[Commitment]:
    rows = commitments_for(user).select_related("unit").prefetch_related("photos")
    return filtered(CommitmentFilter, query, rows.order_by("-year", "unit__sort_key", "id"))


@dataclass
class CommitmentRow:
    unit: OrgUnit
    commitment: Commitment | None
    scan: EvidencePhoto | None


@dataclass
class CommitmentBoard:
    rows: list[CommitmentRow]  # as filtered and sorted
    units: int  # every current unit the user sees, whatever the filter
    signed: int

    @property
    def share(self) -> int:
        return round(100 * self.signed / self.units) if self.units else 0


def commitment_board(
    *, user: Viewer, year: int, query: Mapping[str, Any] | None = None
) -> CommitmentBoard:
    """The current units a user sees, each with its commitment of `year` (four queries)."""
    of_year = Commitment.objects.filter(unit_id=OuterRef("pk"), year=year)
    units = (
        visible_units(user)
        .filter(valid_to__isnull=True)
        .annotate(signed=Exists(of_year), signed_on=Subquery(of_year.values("signed_on")[:1]))
        .order_by("sort_key", "id")
    )
    total = units.count()
    signed = units.filter(Q(signed=True)).count()
    shown = list(filtered(CommitmentBoardFilter, query, units))
    found = {
        c.unit_id: c for c in Commitment.objects.filter(year=year, unit__in=[u.pk for u in shown])
    }
    scans = {
        p.commitment_id: p
        for p in EvidencePhoto.objects.filter(commitment_id__in=[c.pk for c in found.values()])
    }
    rows = []
    for unit in shown:
        commitment = found.get(unit.pk)
        scan = scans.get(commitment.pk) if commitment else None
        rows.append(CommitmentRow(unit, commitment, scan))
    return CommitmentBoard(rows=rows, units=total, signed=signed)

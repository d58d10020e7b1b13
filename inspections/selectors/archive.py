"""The evidence of a round or a unit for an archive, read as it is streamed."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from inspections.models import EvidencePhoto, Round

BATCH = 500


@dataclass(frozen=True)
class EvidenceItem:
    """One photo or scan in an archive, with what its manifest line says."""

    id: Any
    original: str
    display: str
    content_type: str
    sha256: str
    captured_at: datetime.datetime | None
    criterion: str
    unit_code: str
    unit_name: str
    round_id: int
    round_name: str
    follow_up: bool  # a corrective action's evidence rather than the inspection's


def evidence_items(
    photos: QuerySet[EvidencePhoto], *, round: Round | None = None, unit: Any = None
) -> Iterator[EvidenceItem]:
    """The evidence of a round and/or a unit among `photos` (those the reader may see):
    the inspections' photos by unit and criterion, then the corrective actions'."""
    common = ("pk", "original", "display", "content_type", "sha256", "captured_at")
    sources = ((False, "inspection__"), (True, "action_response__action__inspection__"))
    for follow_up, path in sources:
        rows = photos.filter(**{f"{path}isnull": False})
        if round is not None:
            rows = rows.filter(**{f"{path}round": round})
        if unit is not None:
            rows = rows.filter(**{f"{path}unit": unit})
        criterion = "action_response__action__criterion__code" if follow_up else "criterion__code"
        fields = (
            criterion,
            f"{path}unit__code",
            f"{path}unit_name_snapshot",
            f"{path}round_id",
            f"{path}round__name",
        )
        ordered = rows.order_by(
            f"{path}round__ends_on", f"{path}round_id", f"{path}unit__sort_key", criterion, "pk"
        )
        for row in ordered.values_list(*common, *fields).iterator(chunk_size=BATCH):
            yield EvidenceItem(
                id=row[0],
                original=row[1] or "",
                display=row[2] or "",
                content_type=row[3],
                sha256=row[4],
                captured_at=row[5],
                criterion=row[6] or "",
                unit_code=row[7],
                unit_name=row[8],
                round_id=row[9],
                round_name=row[10],
                follow_up=follow_up,
            )

"""Published rounds of a year with stored unit results, as rule 6 would have left them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from inspections.models import OrgUnit, Round, UnitResult

QUARTERS = [(1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31)]


def published_round(version: Any, year: int, quarter: int, **kwargs: Any) -> Round:
    first, last, day = QUARTERS[quarter - 1]
    return Round.objects.create(
        name=f"Quý {quarter}/{year}",
        version=version,
        starts_on=datetime.date(year, first, 1),
        ends_on=datetime.date(year, last, day),
        status=kwargs.pop("status", Round.Status.PUBLISHED),
        published_at=timezone.now(),
    )


def result(round: Round, unit: OrgUnit, score: str, *, failed: bool = False) -> UnitResult:
    value = Decimal(score)
    return UnitResult.objects.create(
        unit=unit,
        round=round,
        group=unit.group,
        score_exact=value,
        score=value.quantize(Decimal("0.01")),
        classification="tot",
        critical_failed=failed,
        enough_basis=True,
        inspection_count=1,
    )


def year_2026(version: Any, org: Any) -> list[Round]:
    """Three published quarters of 2026 (and a fourth still open):
    - Sở Nội vụ 95, 92, 94: Xuất sắc; Sở Tài chính 91, 93, 92 and Phường An Lạc the same
      (a tie across groups); Ban Thi đua 96,5 in one round only (one too few);
    - Trường An Lạc 96, 95 and a ★ failure at 94 (capped at Đạt)."""
    rounds = [published_round(version, 2026, q) for q in (1, 2, 3)]
    published_round(version, 2026, 4, status=Round.Status.OPEN)
    for round_, noi_vu, tai_chinh, school in zip(
        rounds, ("95", "92", "94"), ("91", "93", "92"), ("96", "95", "94"), strict=True
    ):
        result(round_, org.noi_vu, noi_vu)
        result(round_, org.tai_chinh, tai_chinh)
        result(round_, org.ward, tai_chinh)
        result(round_, org.school, school, failed=round_ is rounds[2])
    result(rounds[0], org.thi_dua, "96.5")
    return rounds

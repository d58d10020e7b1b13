"""The service indicators offered to the inspector: D2 from the citizens' survey, D1 and D3
from the round's one-stop export. Each is a rate with its count, or the reason there is none."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from inspections.models import (
    Answer,
    Event,
    Inspection,
    OneStopDossier,
    OneStopImport,
    SurveyPoint,
)
from inspections.rates import Rate, rate
from inspections.selectors.surveys import SATISFACTION_CODE, unit_satisfaction

ON_TIME_CODE = "D1"
ONLINE_CODE = "D3"
INDICATOR_CODES = frozenset({ON_TIME_CODE, SATISFACTION_CODE, ONLINE_CODE})


@dataclass(frozen=True)
class Proposal:
    """A value offered on D1, D2 or D3, or why there is none."""

    code: str
    rate: Rate
    starts_on: datetime.date
    ends_on: datetime.date
    accepted: bool = False

    @property
    def value(self) -> Decimal | None:
        return self.rate.value

    @property
    def from_survey(self) -> bool:
        return self.code == SATISFACTION_CODE

    @property
    def title(self) -> str:
        if self.from_survey:
            return _("Đề xuất từ khảo sát người dân")
        return _("Đề xuất từ số liệu hệ thống một cửa")

    @property
    def measure(self) -> str:
        """What the part counts: "5/6 hài lòng", "40/42 đúng hạn", "30/42 trực tuyến"."""
        return {
            SATISFACTION_CODE: _("ý kiến hài lòng"),
            ON_TIME_CODE: _("hồ sơ đã giải quyết đúng hạn"),
            ONLINE_CODE: _("hồ sơ nộp trực tuyến"),
        }[self.code]

    @property
    def reason(self) -> str:
        if self.rate.value is not None:
            return ""
        if not self.from_survey:
            if self.code == ON_TIME_CODE:
                return _("Số liệu một cửa của đợt không có hồ sơ nào của đơn vị đã giải quyết.")
            return _("Số liệu một cửa của đợt không có hồ sơ nào của đơn vị.")
        if self.rate.whole == 0:
            return _("Chưa có ý kiến nào của người dân trong thời gian của đợt.")
        return _(
            "Mới có %(count)s ý kiến trong thời gian của đợt, cần ít nhất %(minimum)s "
            "để đề xuất tỷ lệ."
        ) % {"count": self.rate.whole, "minimum": self.rate.minimum}


def indicator_proposals(inspection: Inspection) -> dict[str, Proposal]:
    """Every proposal of an inspection, by criterion code: a desk's answers for D2, the
    round's one-stop export for D1 and D3. Two queries when there is neither, whatever the
    model's criteria (the checklist asks once per page)."""
    round = inspection.round
    found: dict[str, Rate] = {}
    if SurveyPoint.objects.filter(unit__path__startswith=inspection.unit.path).exists():
        found[SATISFACTION_CODE] = unit_satisfaction(
            inspection.unit, round.starts_on, round.ends_on
        )
    source = OneStopImport.objects.filter(round=round).first()
    if source is not None:
        for code in (ON_TIME_CODE, ONLINE_CODE):
            found[code] = onestop_rate(source, inspection, code)
    return {
        code: Proposal(
            code,
            rate_found,
            round.starts_on,
            round.ends_on,
            accepted=_accepted(inspection, code, rate_found.value),
        )
        for code, rate_found in found.items()
    }


def indicator_proposal(inspection: Inspection, code: str) -> Proposal | None:
    """The proposal on one criterion of an inspection, if its source has any data."""
    if code not in INDICATOR_CODES:
        return None
    return indicator_proposals(inspection).get(code)


def unit_dossiers(source: OneStopImport, inspection: Inspection) -> list[OneStopDossier]:
    return list(
        OneStopDossier.objects.filter(source=source, unit__path__startswith=inspection.unit.path)
        .select_related("unit")
        .order_by("line")
    )


def onestop_rate(source: OneStopImport, inspection: Inspection, code: str) -> Rate:
    """D1: resolved on or before the due date among those resolved. D3: filed online among
    all received."""
    counts = OneStopDossier.objects.filter(
        source=source, unit__path__startswith=inspection.unit.path
    ).aggregate(
        total=Count("pk"),
        online=Count("pk", filter=Q(online=True)),
        resolved=Count("pk", filter=Q(resolved_on__isnull=False)),
        on_time=Count("pk", filter=Q(resolved_on__isnull=False, resolved_on__lte=F("due_on"))),
    )
    if code == ON_TIME_CODE:
        return rate(counts["on_time"], counts["resolved"])
    return rate(counts["online"], counts["total"])


def _accepted(inspection: Inspection, code: str, value: Decimal | None) -> bool:
    """The answer holds the value last accepted from the proposal."""
    if value is None:
        return False
    event = (
        Event.objects.filter(
            object_type="inspection",
            object_id=str(inspection.pk),
            action="indicator_accepted",
            data__criterion=code,
        )
        .order_by("-at", "-id")
        .first()
    )
    if event is None or event.data.get("value") != str(value):
        return False
    answer = Answer.objects.filter(inspection=inspection, criterion__code=code).first()
    return answer is not None and answer.number == value

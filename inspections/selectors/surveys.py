"""Reads of the citizens' survey: a unit's satisfaction rate for a round (the D2 proposal),
the summary attached as its evidence, the desks' lists and the overview over time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import policies
from inspections.models import (
    OrgUnit,
    SurveyBurst,
    SurveyPoint,
    SurveyResponse,
)
from inspections.policies import Viewer
from inspections.rates import Rate, rate

SATISFACTION_CODE = "D2"
SATISFIED = Q(satisfaction__gte=SurveyResponse.Satisfaction.SATISFIED)


def day_bounds(
    starts_on: datetime.date, ends_on: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[first day 00:00, the day after the last 00:00) in the site's time zone."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(starts_on, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time.min)
    return start, end.replace(tzinfo=zone)


def unit_responses(
    unit: OrgUnit, starts_on: datetime.date, ends_on: datetime.date
) -> QuerySet[SurveyResponse]:
    """Counted answers at the desks of the unit (and of the units below it) in the dates."""
    start, end = day_bounds(starts_on, ends_on)
    return SurveyResponse.objects.filter(
        point__unit__path__startswith=unit.path,
        submitted_at__gte=start,
        submitted_at__lt=end,
        counted=True,
    )


def unit_satisfaction(unit: OrgUnit, starts_on: datetime.date, ends_on: datetime.date) -> Rate:
    """The share of satisfied and very satisfied answers, under the minimum: no value."""
    counts = unit_responses(unit, starts_on, ends_on).aggregate(
        total=Count("pk"), satisfied=Count("pk", filter=SATISFIED)
    )
    return rate(counts["satisfied"], counts["total"], minimum=settings.SURVEY_MIN_RESPONSES)


# --- The summary attached as evidence ---------------------------------------------------------


@dataclass
class DeskSummary:
    desk: str
    total: int = 0
    satisfied: int = 0
    on_time: int = 0
    levels: dict[int, int] = field(default_factory=dict)
    attitudes: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> Rate:
        return rate(self.satisfied, self.total)


@dataclass
class SurveySummary:
    unit: OrgUnit
    starts_on: datetime.date
    ends_on: datetime.date
    rate: Rate
    desks: list[DeskSummary]
    levels: list[tuple[str, int]]
    attitudes: list[tuple[str, int]]
    on_time: int
    repeats: int
    refused: int


def survey_summary(
    unit: OrgUnit, starts_on: datetime.date, ends_on: datetime.date
) -> SurveySummary:
    """Counts per desk, level and attitude, the repeats left out and the answers refused."""
    start, end = day_bounds(starts_on, ends_on)
    points = SurveyPoint.objects.filter(unit__path__startswith=unit.path).select_related("unit")
    desks = {
        p.pk: DeskSummary(f"{p.desk} ({p.unit.name})" if p.unit_id != unit.pk else p.desk)
        for p in points
    }
    rows = (
        unit_responses(unit, starts_on, ends_on)
        .values("point_id", "satisfaction", "attitude", "on_time")
        .annotate(n=Count("pk"))
    )
    levels: dict[int, int] = {}
    attitudes: dict[int, int] = {}
    for row in rows:
        desk = desks[row["point_id"]]
        n = row["n"]
        desk.total += n
        desk.satisfied += n if row["satisfaction"] >= SurveyResponse.Satisfaction.SATISFIED else 0
        desk.on_time += n if row["on_time"] else 0
        levels[row["satisfaction"]] = levels.get(row["satisfaction"], 0) + n
        attitudes[row["attitude"]] = attitudes.get(row["attitude"], 0) + n
    in_dates = SurveyResponse.objects.filter(
        point__in=points, submitted_at__gte=start, submitted_at__lt=end
    )
    refused = sum(
        SurveyBurst.objects.filter(
            point__in=points, day__gte=starts_on, day__lte=ends_on
        ).values_list("refused", flat=True)
    )
    return SurveySummary(
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        rate=unit_satisfaction(unit, starts_on, ends_on),
        desks=list(desks.values()),
        levels=[
            (str(label), levels.get(value, 0))
            for value, label in SurveyResponse.Satisfaction.choices
        ],
        attitudes=[
            (str(label), attitudes.get(value, 0))
            for value, label in SurveyResponse.Attitude.choices
        ],
        on_time=sum(d.on_time for d in desks.values()),
        repeats=in_dates.filter(counted=False).count(),
        refused=refused,
    )


# --- Desks, comments and the overview ---------------------------------------------------------


def visible_point(user: Viewer, pk: Any) -> SurveyPoint:
    point = policies.survey_points_for(user).select_related("unit").filter(pk=pk).first()
    if point is None:
        raise Http404(_("Không tìm thấy điểm khảo sát."))
    return point


def active_point(token: str) -> SurveyPoint:
    """The desk of a public address; a closed desk or a wrong address is a 404."""
    point = SurveyPoint.objects.select_related("unit").filter(token=token, active=True).first()
    if point is None:
        raise Http404(_("Không tìm thấy điểm khảo sát."))
    return point


def survey_point_list(user: Viewer) -> list[SurveyPoint]:
    """The desks this user may manage or read, each with its counted answers (all time and
    the last 30 days), in one query."""
    since = timezone.now() - datetime.timedelta(days=30)
    return list(
        policies.survey_points_for(user)
        .select_related("unit")
        .annotate(
            answers=Count("responses", filter=Q(responses__counted=True)),
            recent=Count(
                "responses", filter=Q(responses__counted=True, responses__submitted_at__gte=since)
            ),
            recent_satisfied=Count(
                "responses",
                filter=Q(
                    responses__counted=True,
                    responses__submitted_at__gte=since,
                    responses__satisfaction__gte=SurveyResponse.Satisfaction.SATISFIED,
                ),
            ),
        )
    )


def point_comments(user: Viewer, point: SurveyPoint, *, limit: int = 100) -> list[SurveyResponse]:
    """Comments the office may read (those past the filter) and, for Internal Affairs, the
    held ones too; hidden ones keep their place with the reason, never their text."""
    statuses = [SurveyResponse.Comment.SHOWN, SurveyResponse.Comment.HIDDEN]
    if policies.is_internal_affairs(user):
        statuses.append(SurveyResponse.Comment.HELD)
    return list(
        SurveyResponse.objects.filter(point=point, comment_status__in=statuses)
        .select_related("hidden_by")
        .order_by("-submitted_at", "-id")[:limit]
    )


def visible_response(user: Viewer, pk: Any) -> SurveyResponse:
    response = (
        policies.survey_responses_for(user).select_related("point__unit").filter(pk=pk).first()
    )
    if response is None:
        raise Http404(_("Không tìm thấy ý kiến."))
    return response


@dataclass
class OverviewRow:
    point: SurveyPoint
    months: list[tuple[int, int, Rate]]  # (total, satisfied, rate) per month of the overview


@dataclass
class SurveyOverview:
    months: list[datetime.date]
    rows: list[OverviewRow]
    attention: list[SurveyResponse]
    bursts: list[SurveyBurst]


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _step in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def survey_overview(user: Viewer, *, months: int = 6) -> SurveyOverview:
    """Satisfaction per unit and desk per month, the comments needing attention (held by the
    filter, or from dissatisfied people) and the flagged bursts: five queries."""
    month_starts = _month_starts(timezone.localdate(), months)
    start = datetime.datetime.combine(
        month_starts[0], datetime.time.min, tzinfo=timezone.get_default_timezone()
    )
    points = list(policies.survey_points_for(user).select_related("unit"))
    counts = (
        SurveyResponse.objects.filter(point__in=points, counted=True, submitted_at__gte=start)
        .annotate(month=TruncMonth("submitted_at"))
        .values("point_id", "month")
        .annotate(total=Count("pk"), happy=Count("pk", filter=SATISFIED))
    )
    by_key: dict[tuple[int, datetime.date], tuple[int, int]] = {}
    for row in counts:
        month = row["month"]
        month_day = month.date() if isinstance(month, datetime.datetime) else month
        by_key[(row["point_id"], month_day)] = (row["total"], row["happy"])
    rows = []
    for point in points:
        cells = []
        for month in month_starts:
            total, satisfied = by_key.get((point.pk, month), (0, 0))
            cells.append((total, satisfied, rate(satisfied, total)))
        rows.append(OverviewRow(point, cells))
    since = timezone.now() - datetime.timedelta(days=30)
    attention = list(
        SurveyResponse.objects.filter(point__in=points)
        .filter(
            Q(comment_status=SurveyResponse.Comment.HELD)
            | Q(
                comment_status=SurveyResponse.Comment.SHOWN,
                satisfaction__lte=SurveyResponse.Satisfaction.DISSATISFIED,
                submitted_at__gte=since,
            )
        )
        .select_related("point__unit")
        .order_by("-submitted_at")[:50]
    )
    bursts = list(
        SurveyBurst.objects.filter(point__in=points, day__gte=since.date())
        .select_related("point__unit")
        .order_by("-day", "-refused")[:20]
    )
    return SurveyOverview(month_starts, rows, attention, bursts)

"""The leaders' dashboard: the movement's figures for a year, a round and a group.

Every figure is counted in the database or from one pass over stored rows, so the queries
are a fixed number whatever the number of units (pinned by a test with 2 and 20 units).
Pages and the API read the same `Dashboard`; neither re-derives a point or a class.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.errors import DomainError
from inspections.models import (
    Assignment,
    ClassificationLevel,
    Commitment,
    CorrectiveAction,
    Criterion,
    Group,
    Inspection,
    OrgUnit,
    Round,
    UnitResult,
)
from inspections.models.catalogue import in_language
from inspections.numbers import MAX_ID
from inspections.selectors.actions import OPEN_ACTION_STATES
from inspections.selectors.dashboard_figures import (
    ClassCount,
    Coverage,
    CriticalFailure,
    Dashboard,
    GroupClasses,
    GroupRef,
    GroupTrend,
    HeatCell,
    HeatRow,
    Mover,
    OverdueUnit,
    Progress,
    TrendPoint,
)
from inspections.selectors.filters import AsciiIntegerField

# How many units the movers and the overdue chart name; their tables say how many in all.
TOP = 5
OVERDUE_SHOWN = 10
NO_CLASS = ""  # a unit result without a class (too little basis, or below every class)


class DashboardQuery(forms.Form):
    year = AsciiIntegerField(
        label=gettext_lazy("Năm"), required=False, min_value=2000, max_value=2100
    )
    round = AsciiIntegerField(
        label=gettext_lazy("Đợt kiểm tra"), required=False, min_value=1, max_value=MAX_ID
    )
    group = AsciiIntegerField(
        label=gettext_lazy("Khối thi đua"), required=False, min_value=1, max_value=MAX_ID
    )


def dashboard_query(query: Mapping[str, Any] | None) -> dict[str, int | None]:
    """The year, round and group asked for, or a DomainError naming the field."""
    wanted = {k: query[k] for k in ("year", "round", "group") if query and k in query}
    form = DashboardQuery(wanted)
    if not form.is_valid():
        raise DomainError(
            _("Bộ lọc không hợp lệ."),
            fields={name: [str(m) for m in errors] for name, errors in form.errors.items()},
            code="invalid_filter",
        )
    return {k: form.cleaned_data.get(k) for k in ("year", "round", "group")}


def _refused(field_name: str, message: str) -> DomainError:
    return DomainError(
        _("Bộ lọc không hợp lệ."), fields={field_name: [message]}, code="invalid_filter"
    )


def dashboard_data(*, query: Mapping[str, Any] | None = None) -> Dashboard:
    """Every figure of the dashboard for the year, round and group in `query`: by default the
    year of the latest round that has results, its latest published round, every group."""
    asked = dashboard_query(query)
    rounds = list(
        Round.objects.exclude(status=Round.Status.DRAFT)
        .select_related("version")
        .order_by("ends_on", "id")
    )
    scored = set(
        UnitResult.objects.filter(round__in=rounds).values_list("round_id", flat=True).distinct()
    )
    all_groups = [
        GroupRef(g.pk, g.code, in_language(g.name, g.name_en))
        for g in Group.objects.order_by("sort_key", "id")
    ]
    group = None
    if asked["group"] is not None:
        group = next((g for g in all_groups if g.id == asked["group"]), None)
        if group is None:
            raise _refused("group", _("Không có khối thi đua này."))
    chosen = None
    if asked["round"] is not None:
        chosen = next((r for r in rounds if r.pk == asked["round"]), None)
        if chosen is None:
            raise _refused("round", _("Không có đợt kiểm tra này."))
    years = sorted({r.ends_on.year for r in rounds}, reverse=True)
    year = asked["year"] or (chosen.ends_on.year if chosen else _default_year(rounds, scored))
    if chosen is not None and chosen.ends_on.year != year:
        raise _refused("round", _("Đợt này không thuộc năm đã chọn."))
    of_year = [r for r in rounds if r.ends_on.year == year]
    with_results = [r for r in of_year if r.pk in scored]
    if chosen is None:
        published = [r for r in with_results if r.status == Round.Status.PUBLISHED]
        chosen = _last(published or with_results)
    shown = [group] if group else all_groups
    board = Dashboard(
        year=year,
        years=years or [year],
        rounds=of_year,
        round=chosen,
        previous=_previous([r for r in rounds if r.pk in scored], chosen),
        group=group,
        groups=shown,
        all_groups=all_groups,
    )
    group_ids = [g.id for g in shown]
    if chosen is not None:
        board.classes = _classes(chosen, shown)
        _heat_and_failures(board, chosen, group_ids)
        _movers(board, chosen, board.previous, group_ids)
    board.trend_rounds = [r for r in with_results if r.ends_on <= _end(chosen)]
    board.trends = _trends(board.trend_rounds, shown)
    _overdue(board, of_year, group_ids)
    board.coverage = _coverage(year, shown)
    board.progress = _progress(shown)
    return board


def _last(rounds: list[Round]) -> Round | None:
    return rounds[-1] if rounds else None


def _default_year(rounds: list[Round], scored: set[int]) -> int:
    with_results = [r for r in rounds if r.pk in scored]
    if with_results:
        return with_results[-1].ends_on.year
    return rounds[-1].ends_on.year if rounds else timezone.localdate().year


def _end(round_: Round | None) -> datetime.date:
    return round_.ends_on if round_ is not None else datetime.date.max


def _previous(rounds: list[Round], chosen: Round | None) -> Round | None:
    """The latest round before `chosen` with results (published first): what movers compare."""
    if chosen is None:
        return None
    earlier = [r for r in rounds if r.ends_on < chosen.ends_on]
    published = [r for r in earlier if r.status == Round.Status.PUBLISHED]
    return _last(published or earlier)


def _classes(round_: Round, groups: list[GroupRef]) -> list[GroupClasses]:
    levels = list(
        ClassificationLevel.objects.filter(version_id=round_.version_id).order_by("order")
    )
    counts: dict[tuple[int | None, str], int] = {
        (row["group_id"], row["classification"]): row["n"]
        for row in UnitResult.objects.filter(round=round_, score__isnull=False)
        .values("group_id", "classification")
        .annotate(n=Count("id"))
    }
    found = []
    for group in groups:
        classes = [
            ClassCount(lv.code, lv.display_name, counts.get((group.id, lv.code), 0))
            for lv in levels
        ]
        classes.append(
            ClassCount(NO_CLASS, _("Chưa xếp loại"), counts.get((group.id, NO_CLASS), 0))
        )
        found.append(GroupClasses(group, classes))
    return found


def _failing(entry: Mapping[str, Any]) -> bool | None:
    """None when the criterion does not count (N/A, unanswered); else failing or below half."""
    if entry.get("critical_failed"):
        return True
    earned, possible = entry.get("earned"), entry.get("possible")
    if earned is None or possible is None:
        return None
    return Decimal(str(earned)) * 2 < Decimal(str(possible))


def _heat_and_failures(board: Dashboard, round_: Round, group_ids: list[int]) -> None:
    """Per criterion and group, units failing it or below half its points; the ★ failures.
    A unit with several approved inspections fails a criterion when any of them does."""
    criteria = list(
        Criterion.objects.filter(version_id=round_.version_id)
        .order_by("section__order", "order", "code")
        .values("code", "text", "text_en", "critical")
    )
    failing: dict[tuple[str, int], set[int]] = defaultdict(set)
    assessed: dict[tuple[str, int], set[int]] = defaultdict(set)
    critical: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    critical_units: set[int] = set()
    approved = Inspection.objects.filter(
        round=round_, kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED
    ).filter(
        Q(group_snapshot_id__in=group_ids)
        | Q(group_snapshot__isnull=True, unit__group_id__in=group_ids)
    )
    rows = approved.values_list(
        "unit_id", "group_snapshot_id", "unit__group_id", "criterion_scores"
    )
    for unit_id, snapshot_group, unit_group, scores in rows.iterator(chunk_size=2000):
        group_id = snapshot_group or unit_group
        for entry in scores or []:
            verdict = _failing(entry)
            if verdict is None:
                continue
            key = (entry.get("code", ""), group_id)
            assessed[key].add(unit_id)
            if verdict:
                failing[key].add(unit_id)
            if entry.get("critical_failed"):
                critical[entry.get("code", "")][group_id].add(unit_id)
                critical_units.add(unit_id)
    for c in criteria:
        cells = [
            HeatCell(g, len(failing[(c["code"], g)]), len(assessed[(c["code"], g)]))
            for g in group_ids
        ]
        text = in_language(c["text"], c["text_en"])
        board.heat.append(HeatRow(c["code"], text, c["critical"], cells))
        if c["critical"]:
            by_group = {g: len(critical[c["code"]][g]) for g in group_ids}
            units = len(set().union(*critical[c["code"]].values()))
            board.critical.append(CriticalFailure(c["code"], text, units, by_group))
    board.critical_units = len(critical_units)


def _movers(board: Dashboard, round_: Round, previous: Round | None, group_ids: list[int]) -> None:
    """The units whose score rose or fell most since the previous round (same unit, any group)."""
    if previous is None:
        return
    scores: dict[int, dict[int, Any]] = defaultdict(dict)
    names: dict[int, tuple[str, str, int | None]] = {}
    rows = UnitResult.objects.filter(
        round_id__in=[round_.pk, previous.pk], score__isnull=False
    ).values_list("round_id", "unit_id", "unit__code", "unit__name", "group_id", "score")
    for round_id, unit_id, code, name, group_id, score in rows:
        scores[unit_id][round_id] = score
        if round_id == round_.pk:
            names[unit_id] = (code, name, group_id)
    movers = [
        Mover(unit_id, *names[unit_id], before=s[previous.pk], after=s[round_.pk])
        for unit_id, s in scores.items()
        if len(s) == 2 and names[unit_id][2] in group_ids
    ]
    board.compared = len(movers)
    up = sorted((m for m in movers if m.change > 0), key=lambda m: (-m.change, m.unit_name))
    down = sorted((m for m in movers if m.change < 0), key=lambda m: (m.change, m.unit_name))
    board.up, board.down = up[:TOP], down[:TOP]


def _trends(rounds: list[Round], groups: list[GroupRef]) -> list[GroupTrend]:
    means = (
        {
            (row["round_id"], row["group_id"]): (row["mean"], row["n"])
            for row in UnitResult.objects.filter(
                round__in=rounds, score__isnull=False, group_id__in=[g.id for g in groups]
            )
            .values("round_id", "group_id")
            .annotate(mean=Avg("score"), n=Count("id"))
        }
        if rounds
        else {}
    )
    trends = []
    for group in groups:
        points = []
        for r in rounds:
            mean, n = means.get((r.pk, group.id), (None, 0))
            if mean is not None:
                mean = Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            points.append(TrendPoint(r.pk, mean, n))
        trends.append(GroupTrend(group, points))
    return trends


def _overdue(board: Dashboard, rounds: list[Round], group_ids: list[int]) -> None:
    """Units with actions of the year's rounds still with them after their due date."""
    late = CorrectiveAction.objects.filter(
        status__in=OPEN_ACTION_STATES,
        due_on__lt=timezone.localdate(),
        inspection__round__in=rounds,
    )
    if board.group is not None:
        late = late.filter(unit__group_id__in=group_ids)
    rows = (
        late.values("unit_id", "unit__code", "unit__name", "unit__sort_key")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__sort_key", "unit_id")
    )
    units = [OverdueUnit(r["unit_id"], r["unit__code"], r["unit__name"], r["n"]) for r in rows]
    board.overdue = units[:OVERDUE_SHOWN]
    board.overdue_units = len(units)
    board.overdue_actions = sum(u.actions for u in units)


def _coverage(year: int, groups: list[GroupRef]) -> list[Coverage]:
    """Per group, the current units and those that signed the year's commitment (one query)."""
    signed = Commitment.objects.filter(unit_id=OuterRef("pk"), year=year)
    rows = (
        OrgUnit.objects.filter(
            group_id__in=[g.id for g in groups], valid_to__isnull=True, merged_into__isnull=True
        )
        .annotate(signed=Exists(signed))
        .values("group_id")
        .annotate(n=Count("id"), s=Count("id", filter=Q(signed=True)))
        .order_by()
    )
    counts = {r["group_id"]: (r["n"], r["s"]) for r in rows}
    return [Coverage(g, *counts.get(g.id, (0, 0))) for g in groups]


def _progress(groups: list[GroupRef]) -> list[Progress]:
    """Open rounds, per group: units assigned, and their official inspections by state."""
    rounds = list(Round.objects.filter(status=Round.Status.OPEN).order_by("ends_on", "id"))
    ids, group_ids = [r.pk for r in rounds], [g.id for g in groups]
    if not rounds:
        return []
    assigned = {
        (row["round_id"], row["unit__group_id"]): row["n"]
        for row in Assignment.objects.filter(round_id__in=ids, unit__group_id__in=group_ids)
        .values("round_id", "unit__group_id")
        .annotate(n=Count("unit_id", distinct=True))
    }
    states: Counter[tuple[int, int, str]] = Counter()
    for row in (
        Inspection.objects.filter(
            round_id__in=ids, kind=Inspection.Kind.OFFICIAL, unit__group_id__in=group_ids
        )
        .values("round_id", "unit__group_id", "state")
        .annotate(n=Count("unit_id", distinct=True))
    ):
        states[(row["round_id"], row["unit__group_id"], row["state"])] = row["n"]
    found = []
    for r in rounds:
        for g in groups:
            n = assigned.get((r.pk, g.id), 0)
            if not n:
                continue
            found.append(
                Progress(
                    round=r,
                    group=g,
                    assigned=n,
                    approved=states[(r.pk, g.id, Inspection.State.APPROVED)],
                    submitted=states[(r.pk, g.id, Inspection.State.SUBMITTED)],
                    started=states[(r.pk, g.id, Inspection.State.DRAFT)]
                    + states[(r.pk, g.id, Inspection.State.RETURNED)],
                )
            )
    return found

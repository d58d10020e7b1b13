"""The leaders' dashboard: the movement at a glance, for leaders and Internal Affairs.

The figures come from `selectors.dashboard_data` (the API's `/dashboard/` reads the same);
this module only draws them: an SVG chart, a sentence that says what it shows, a table
behind it and a link to the rows it counts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections import selectors
from inspections.display import number, percent
from inspections.selectors.dashboard import NO_CLASS
from inspections.selectors.dashboard_figures import Dashboard
from inspections.selectors.rankings import cap_note
from web import charts
from web.rounds import require_reader

CLASS_CSS = ["k1", "k2", "k3", "k4", "k5", "k6"]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    # A bad year, round or group is a DomainError naming it: the middleware's 400 page.
    board = selectors.dashboard_data(query=request.GET)
    context: dict[str, Any] = {
        "board": board,
        "classes": _classes(board),
        "trend": _trend(board),
        "heat": _heat(board),
        "critical": _critical(board),
        "movers": _movers(board),
        "overdue": _overdue(board),
        "coverage": _coverage(board),
        "progress": _progress(board),
        "ends": _ends(board),
    }
    return render(request, "web/dashboard/index.html", context)


def _link(name: str, args: list[Any] | None = None, **query: Any) -> str:
    wanted = {k: v for k, v in query.items() if v not in (None, "")}
    url = reverse(name, args=args)
    return f"{url}?{urlencode(wanted)}" if wanted else url


def _group_id(board: Dashboard) -> int | None:
    return board.group.id if board.group else None


def _classes(board: Dashboard) -> dict[str, Any] | None:
    if board.round is None or not board.classes:
        return None
    names = [c.name for c in board.classes[0].classes]
    css = [*CLASS_CSS[: len(names) - 1], "k0"]
    rows = [
        charts.StackRow(
            label=g.group.name,
            note=ngettext("%(n)s đơn vị", "%(n)s đơn vị", g.units) % {"n": g.units},
            segments=[
                charts.Segment(c.units, css[i], f"{c.name}: {c.units}")
                for i, c in enumerate(g.classes)
            ],
        )
        for g in board.classes
    ]
    total = sum(g.units for g in board.classes)
    top = board.classes[0].classes[0]
    best = max(board.classes, key=lambda g: g.classes[0].units / g.units if g.units else 0)
    best_units = sum(g.classes[0].units for g in board.classes)
    if not total:
        fact = _("%(round)s: chưa có đơn vị nào có kết quả.") % {"round": board.round.name}
    elif not best_units:
        counts: dict[str, int] = {}
        for g in board.classes:
            for c in g.classes:
                counts[c.name] = counts.get(c.name, 0) + c.units
        common = max(counts, key=lambda name: counts[name])
        fact = _(
            "%(round)s: không đơn vị nào xếp loại %(class)s; nhiều nhất là %(common)s "
            "(%(n)s/%(total)s đơn vị)."
        ) % {
            "round": board.round.name,
            "class": top.name,
            "common": common,
            "n": counts[common],
            "total": total,
        }
    elif len(board.classes) == 1:
        fact = _("%(round)s, %(group)s: %(n)s/%(total)s đơn vị xếp loại %(class)s.") % {
            "round": board.round.name,
            "group": best.group.name,
            "n": best_units,
            "total": total,
            "class": top.name,
        }
    else:
        fact = _(
            "%(round)s: %(n)s/%(total)s đơn vị xếp loại %(class)s; cao nhất là %(group)s "
            "(%(g_n)s/%(g_total)s)."
        ) % {
            "round": board.round.name,
            "n": best_units,
            "total": total,
            "class": top.name,
            "group": best.group.name,
            "g_n": best.classes[0].units,
            "g_total": best.units,
        }
    return {
        "fact": fact,
        "svg": charts.stacked_bars(rows, labelledby="classes-title classes-fact"),
        "legend": charts.legend(list(zip(css, names, strict=True))),
        "names": names,
        "rows": board.classes,
        "link": _link("round-ranking", [board.round.pk]),
        "unclassified": NO_CLASS,
    }


def _trend(board: Dashboard) -> dict[str, Any] | None:
    if not board.trend_rounds:
        return None
    series = [
        charts.Series(t.group.name, f"s{i % 8 + 1}", [p.mean for p in t.points])
        for i, t in enumerate(board.trends)
    ]
    names = [r.name for r in board.trend_rounds]
    changes = [
        (t.points[-1].mean - t.points[0].mean, t)
        for t in board.trends
        if len(t.points) > 1 and t.points[0].mean is not None and t.points[-1].mean is not None
    ]
    if changes:
        change, t = max(changes, key=lambda c: abs(c[0]))
        fact = _(
            "%(group)s thay đổi nhiều nhất: điểm bình quân từ %(before)s (%(first)s) "
            "%(way)s %(after)s (%(last)s)."
        ) % {
            "group": t.group.name,
            "before": number(t.points[0].mean),
            "after": number(t.points[-1].mean),
            "first": names[0],
            "last": names[-1],
            "way": _("lên") if change > 0 else _("xuống") if change < 0 else _("vẫn là"),
        }
    else:
        means = [(t.points[-1].mean, t) for t in board.trends if t.points[-1].mean is not None]
        if not means:
            return None
        mean, t = max(means, key=lambda m: m[0] or 0)
        fact = _("%(round)s: điểm bình quân cao nhất là %(group)s (%(mean)s).") % {
            "round": names[-1],
            "group": t.group.name,
            "mean": number(mean),
        }
    return {
        "fact": fact,
        "svg": charts.lines(
            series, names, labelledby="trend-title trend-fact", y_label=_("Điểm bình quân")
        ),
        "legend": charts.legend([(s.css, s.label) for s in series]),
        "rounds": board.trend_rounds,
        "rows": board.trends,
    }


def _heat(board: Dashboard) -> dict[str, Any] | None:
    if board.round is None or not board.heat:
        return None
    groups = board.groups
    lines = []
    worst = None
    for row in board.heat:
        cells = []
        for group, cell in zip(groups, row.cells, strict=True):
            share = cell.share
            title = _("%(group)s: %(n)s/%(total)s đơn vị chưa đạt %(code)s") % {
                "group": group.name,
                "n": cell.failing,
                "total": cell.assessed,
                "code": row.code,
            }
            # An empty cell for "nobody": the failing ones stand out.
            text = "—" if share is None else "" if not cell.failing else percent(share, 0)
            cells.append(charts.Cell(share, text, title))
            key = (share or 0, cell.failing)
            if cell.failing and (worst is None or key > worst[0]):
                worst = (key, group, cell, row)
        label = f"{row.code}★" if row.critical else row.code
        lines.append(charts.HeatLine(label, f"{row.code}. {row.text}", cells))
    if worst is None:
        fact = _("%(round)s: không đơn vị nào chưa đạt tiêu chí nào.") % {"round": board.round.name}
    else:
        _key, group, cell, row = worst
        fact = _("%(group)s: %(n)s/%(total)s đơn vị chưa đạt tiêu chí %(code)s") % {
            "group": group.name,
            "n": cell.failing,
            "total": cell.assessed,
            "code": row.code,
        }
    steps = [
        ("h0", _("0 %")),
        ("h1", _("đến 10 %")),
        ("h2", _("đến 25 %")),
        ("h3", _("đến 50 %")),
        ("h4", _("trên 50 %")),
    ]
    return {
        "fact": fact,
        "svg": charts.heatmap(lines, [g.name for g in groups], labelledby="heat-title heat-fact"),
        "legend": charts.legend(steps),
        "rows": board.heat,
        "groups": groups,
        "link": _link("actions", round=board.round.pk, group=_group_id(board)),
        "criterion_link": _link("actions", round=board.round.pk, group=_group_id(board)),
    }


def _critical(board: Dashboard) -> dict[str, Any] | None:
    if board.round is None or not board.critical:
        return None
    bars = [
        charts.Bar(f"{c.code}. {c.text}", c.units, str(c.units), "bar bar--bad")
        for c in board.critical
    ]
    worst = max(board.critical, key=lambda c: c.units)
    if not board.critical_units:
        fact = _("%(round)s: không đơn vị nào không đạt tiêu chí ★.") % {"round": board.round.name}
    else:
        fact = _(
            "%(round)s: %(n)s đơn vị không đạt tiêu chí ★; nhiều nhất là %(code)s "
            "(%(units)s đơn vị)."
        ) % {
            "round": board.round.name,
            "n": board.critical_units,
            "code": worst.code,
            "units": worst.units,
        }
    return {
        "fact": fact,
        "svg": charts.bars(bars, labelledby="critical-title critical-fact"),
        "rows": board.critical,
        "groups": board.groups,
        "link": _link(
            "actions", round=board.round.pk, group=_group_id(board), reason="critical_failed"
        ),
    }


def _signed(value: Any) -> str:
    text = number(abs(value))
    return f"+{text}" if value > 0 else f"\u2212{text}"


def _movers(board: Dashboard) -> dict[str, Any] | None:
    if board.round is None or board.previous is None:
        return None
    up = [charts.Bar(m.unit_name, m.change, _signed(m.change), "bar bar--up") for m in board.up]
    down = [
        charts.Bar(m.unit_name, -m.change, _signed(m.change), "bar bar--down") for m in board.down
    ]
    top = max([abs(m.change) for m in [*board.up, *board.down]], default=0)
    parts = []
    if board.up:
        parts.append(
            _("%(unit)s tăng nhiều nhất (%(change)s điểm)")
            % {"unit": board.up[0].unit_name, "change": _signed(board.up[0].change)}
        )
    if board.down:
        parts.append(
            _("%(unit)s giảm nhiều nhất (%(change)s điểm)")
            % {"unit": board.down[0].unit_name, "change": _signed(board.down[0].change)}
        )
    if parts:
        fact = _("So với %(previous)s: %(what)s.") % {
            "previous": board.previous.name,
            "what": "; ".join(parts),
        }
    else:
        fact = _("So với %(previous)s: không đơn vị nào thay đổi điểm.") % {
            "previous": board.previous.name
        }
    return {
        "fact": fact,
        "up_svg": charts.bars(up, labelledby="movers-title movers-up", maximum=top) if up else "",
        "down_svg": charts.bars(down, labelledby="movers-title movers-down", maximum=top)
        if down
        else "",
        "up": board.up,
        "down": board.down,
        "link": _link("round-ranking", [board.round.pk]),
    }


def _overdue(board: Dashboard) -> dict[str, Any]:
    bars = [
        charts.Bar(u.unit_name, u.actions, str(u.actions), "bar bar--bad") for u in board.overdue
    ]
    if not board.overdue:
        fact = _("Năm %(year)s: không đơn vị nào có yêu cầu khắc phục quá hạn.") % {
            "year": board.year
        }
    else:
        fact = _(
            "Năm %(year)s: %(units)s đơn vị có %(actions)s yêu cầu khắc phục quá hạn; "
            "nhiều nhất là %(unit)s (%(n)s)."
        ) % {
            "year": board.year,
            "units": board.overdue_units,
            "actions": board.overdue_actions,
            "unit": board.overdue[0].unit_name,
            "n": board.overdue[0].actions,
        }
    return {
        "fact": fact,
        "svg": charts.bars(bars, labelledby="overdue-title overdue-fact") if bars else "",
        "rows": board.overdue,
        "link": _link("actions", overdue=1, group=_group_id(board)),
    }


def _coverage(board: Dashboard) -> dict[str, Any] | None:
    rows = [c for c in board.coverage if c.units]
    if not rows:
        return None
    bars = [
        charts.Bar(
            c.group.name,
            round(100 * c.signed / c.units),
            f"{c.signed}/{c.units}",
            "bar bar--up",
        )
        for c in rows
    ]
    units, signed = sum(c.units for c in rows), sum(c.signed for c in rows)
    lowest = min(rows, key=lambda c: c.signed / c.units)
    fact = _(
        "Năm %(year)s: %(signed)s/%(units)s đơn vị đã ký bản cam kết; thấp nhất là %(group)s "
        "(%(g_signed)s/%(g_units)s)."
    ) % {
        "year": board.year,
        "signed": signed,
        "units": units,
        "group": lowest.group.name,
        "g_signed": lowest.signed,
        "g_units": lowest.units,
    }
    return {
        "fact": fact,
        "svg": charts.bars(bars, labelledby="coverage-title coverage-fact", maximum=100),
        "rows": [(c, percent(100 * c.signed / c.units, 0)) for c in rows],
        "link": _link("commitments", nam=board.year, group=_group_id(board), signed=0),
    }


def _progress(board: Dashboard) -> dict[str, Any] | None:
    if not board.progress:
        return None
    css = [
        ("st-approved", _("Đã duyệt")),
        ("st-submitted", _("Chờ duyệt")),
        ("st-started", _("Đang chấm hoặc bị trả lại")),
        ("st-none", _("Chưa bắt đầu")),
    ]
    many = len({p.round.pk for p in board.progress}) > 1
    rows = []
    for p in board.progress:
        values = [p.approved, p.submitted, p.started, p.not_started]
        label = f"{p.round.name} · {p.group.name}" if many else p.group.name
        rows.append(
            charts.StackRow(
                label=label,
                note=ngettext("%(n)s đơn vị", "%(n)s đơn vị", p.assigned) % {"n": p.assigned},
                segments=[
                    charts.Segment(v, c, f"{name}: {v}")
                    for v, (c, name) in zip(values, css, strict=True)
                ],
            )
        )
    first = board.progress[0].round
    mine = [p for p in board.progress if p.round.pk == first.pk]
    fact = _(
        "%(round)s: %(approved)s/%(assigned)s đơn vị đã được duyệt, %(submitted)s chờ duyệt; "
        "hạn %(due)s."
    ) % {
        "round": first.name,
        "approved": sum(p.approved for p in mine),
        "assigned": sum(p.assigned for p in mine),
        "submitted": sum(p.submitted for p in mine),
        "due": first.ends_on.strftime("%d/%m/%Y"),
    }
    return {
        "fact": fact,
        "svg": charts.stacked_bars(rows, labelledby="progress-title progress-fact"),
        "legend": charts.legend(css),
        "rows": [(p, _link("round", [p.round.pk], group=p.group.id)) for p in board.progress],
    }


def _ends(board: Dashboard) -> list[dict[str, Any]]:
    """The best and the last units of each group in the round, in ranking order, each with
    why a ★ failure holds it at the cap."""
    if board.round is None:
        return []
    round_ = board.round
    names = selectors.class_names({round_.version_id})

    def entry(result: Any) -> dict[str, Any]:
        name = names.get((round_.version_id, result.classification), "")
        return {"result": result, "class_name": name, "cap": cap_note(name, result.capped_by)}

    shown = {g.id for g in board.groups}
    return [
        {
            "group": group.group_name,
            "top": [entry(r) for r in group.top],
            "bottom": [entry(r) for r in group.bottom],
        }
        for group in selectors.top_and_bottom(round_)
        if group.top and group.top[0].group_id in shown
    ]

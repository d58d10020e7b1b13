"""Small server-rendered SVG charts: stacked bars, bars, lines and a heat map.

No script and no style attribute (the Content Security Policy forbids inline styles): colours
come from classes in static/css/dashboard.css. Each chart is drawn in a narrow view box
(360 wide), so its text stays readable on a phone; on a desktop it scales up. The numbers in
the chart are the same as in the table the page keeps behind it, which is what a screen
reader reads: the SVG itself is one image with the chart's title and caption as its name.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
FONT = 12  # the view box's text size: about 11 px on a 390 px phone, 17 px on a desktop


@dataclass
class Segment:
    value: int
    css: str  # a class of static/css/dashboard.css, e.g. "k1" (best class) or "st-approved"
    title: str  # what a pointer hovering the segment reads


@dataclass
class StackRow:
    label: str
    segments: list[Segment]
    note: str = ""  # written at the end of the label line, e.g. "12 đơn vị"

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


@dataclass
class Bar:
    label: str
    value: Decimal | int
    text: str  # the value as shown beside the bar
    css: str = "bar"


@dataclass
class Series:
    label: str
    css: str  # "s1".."s8": colour and dash pattern
    points: list[Decimal | None]


@dataclass
class Cell:
    share: Decimal | None  # 0-100, None when nothing to count
    text: str
    title: str


@dataclass
class HeatLine:
    label: str
    title: str
    cells: list[Cell] = field(default_factory=list)


def _svg(height: float, labelledby: str, body: SafeString, css: str) -> SafeString:
    return format_html(
        '<svg class="viz__svg {}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'focusable="false">{}</svg>',
        css,
        WIDTH,
        _n(height),
        labelledby,
        body,
    )


def _n(value: float) -> str:
    """A coordinate with at most one decimal, always with a point (SVG is not prose)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, text: str, css: str = "", anchor: str = "start") -> SafeString:
    return format_html(
        '<text x="{}" y="{}" class="{}" text-anchor="{}">{}</text>',
        _n(x),
        _n(y),
        css or "viz__label",
        anchor,
        text,
    )


def _shorten(text: str, width: float) -> str:
    """What fits on one line of `width` units (about 6.8 per letter at the chart's size)."""
    room = max(int(width // 6.8), 4)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def stacked_bars(rows: Sequence[StackRow], *, labelledby: str) -> SafeString:
    """One bar per row, 100 % wide, split by its segments; counts written in wide segments."""
    row_height, bar = 44.0, 18.0
    parts: list[SafeString] = []
    for i, row in enumerate(rows):
        top = i * row_height
        parts.append(_text(0, top + FONT + 2, _shorten(row.label, WIDTH - 70)))
        if row.note:
            parts.append(_text(WIDTH, top + FONT + 2, row.note, "viz__note", "end"))
        y = top + FONT + 8
        if not row.total:
            parts.append(
                format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" class="empty"/>',
                    _n(y),
                    WIDTH,
                    _n(bar),
                )
            )
            continue
        x = 0.0
        for segment in row.segments:
            if not segment.value:
                continue
            width = WIDTH * segment.value / row.total
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="{}">'
                    "<title>{}</title></rect>",
                    _n(x),
                    _n(y),
                    _n(width),
                    _n(bar),
                    segment.css,
                    segment.title,
                )
            )
            if width >= 8 * len(str(segment.value)) + 6:
                parts.append(
                    _text(x + width / 2, y + bar - 5, str(segment.value), "viz__in", "middle")
                )
            x += width
    body = mark_safe("".join(parts))
    return _svg(max(row_height * len(rows), row_height), labelledby, body, "viz--stacked")


def bars(
    bars_: Sequence[Bar], *, labelledby: str, maximum: Decimal | int | None = None
) -> SafeString:
    """Horizontal bars, the label above each bar and its value after it."""
    row_height, bar, room = 40.0, 16.0, 64.0
    top_value = maximum if maximum is not None else max((b.value for b in bars_), default=0)
    parts: list[SafeString] = []
    for i, item in enumerate(bars_):
        top = i * row_height
        parts.append(
            format_html(
                '<text x="0" y="{}" class="viz__label"><title>{}</title>{}</text>',
                _n(top + FONT + 2),
                item.label,
                _shorten(item.label, WIDTH),
            )
        )
        y = top + FONT + 7
        width = float(item.value) / float(top_value) * (WIDTH - room) if top_value else 0.0
        parts.append(
            format_html(
                '<rect x="0" y="{}" width="{}" height="{}" class="track"/>'
                '<rect x="0" y="{}" width="{}" height="{}" class="{}"/>',
                _n(y),
                _n(WIDTH - room),
                _n(bar),
                _n(y),
                _n(max(width, 0.0)),
                _n(bar),
                item.css,
            )
        )
        parts.append(_text(WIDTH - room + 6, y + bar - 3, item.text, "viz__value"))
    body = mark_safe("".join(parts))
    return _svg(max(row_height * len(bars_), row_height), labelledby, body, "viz--bars")


def lines(
    series: Sequence[Series], x_labels: Sequence[str], *, labelledby: str, y_label: str
) -> SafeString:
    """One line per series over the x labels; the y axis from a round ten below the lowest
    point up to 100."""
    left, right, top, plot = 34.0, 12.0, 24.0, 170.0
    values = [float(p) for s in series for p in s.points if p is not None]
    low = max(0.0, min(values, default=0.0) // 10 * 10 - (10 if values else 0))
    low = min(low, 90.0)
    span = 100.0 - low
    step = 5 if span <= 30 else 10 if span <= 60 else 20
    inner = WIDTH - left - right
    count = max(len(x_labels), 1)

    def x_at(i: int) -> float:
        return left + (inner / 2 if count == 1 else inner * i / (count - 1))

    def y_at(value: float) -> float:
        return top + plot * (100.0 - value) / span

    parts: list[SafeString] = []
    tick = int(low)
    while tick <= 100:
        y = y_at(tick)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="grid"/>',
                _n(left),
                _n(y),
                _n(WIDTH - right),
                _n(y),
            )
        )
        parts.append(_text(left - 4, y + 4, str(tick), "viz__axis", "end"))
        tick += step
    parts.append(_text(0, 11, y_label, "viz__axis"))
    for i, label in enumerate(x_labels):
        anchor = "middle" if 0 < i < count - 1 or count == 1 else ("start" if i == 0 else "end")
        x = x_at(i) if anchor == "middle" else (x_at(i) - 10 if i == 0 else x_at(i) + 10)
        for j, line in enumerate(textwrap.wrap(label, 14) or [""]):
            parts.append(_text(x, top + plot + 16 + j * 13, line, "viz__axis", anchor))
    for s in series:
        run: list[str] = []
        for i, p in enumerate(s.points):
            if p is None:
                if len(run) > 1:
                    parts.append(
                        format_html('<polyline points="{}" class="line {}"/>', " ".join(run), s.css)
                    )
                run = []
                continue
            point = f"{_n(x_at(i))},{_n(y_at(float(p)))}"
            run.append(point)
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" class="dot {}"><title>{}: {}</title></circle>',
                    _n(x_at(i)),
                    _n(y_at(float(p))),
                    s.css,
                    s.label,
                    x_labels[i],
                )
            )
        if len(run) > 1:
            parts.append(
                format_html('<polyline points="{}" class="line {}"/>', " ".join(run), s.css)
            )
    body = mark_safe("".join(parts))
    return _svg(top + plot + 44, labelledby, body, "viz--lines")


def heat_bucket(share: Decimal | None) -> str:
    if share is None:
        return "h-none"
    if share == 0:
        return "h0"
    if share <= 10:
        return "h1"
    if share <= 25:
        return "h2"
    if share <= 50:
        return "h3"
    return "h4"


def heatmap(lines_: Sequence[HeatLine], columns: Sequence[str], *, labelledby: str) -> SafeString:
    """Rows of cells coloured by share (five steps), the share written in each cell."""
    left, row = 46.0, 20.0
    width = max((WIDTH - left) / max(len(columns), 1), 40.0)
    chars = max(int(width // 6.6), 4)
    heads = [textwrap.wrap(c, chars)[:4] or [""] for c in columns]
    head = 13.0 * max((len(h) for h in heads), default=1) + 6
    total_width = left + width * len(columns)
    parts: list[SafeString] = []
    for j, words in enumerate(heads):
        for k, word in enumerate(words):
            x = left + width * j + width / 2
            parts.append(_text(x, 11 + 13 * k, word, "viz__axis", "middle"))
    for i, line in enumerate(lines_):
        y = head + i * row
        parts.append(
            format_html(
                '<text x="0" y="{}" class="viz__label"><title>{}</title>{}</text>',
                _n(y + row - 6),
                line.title,
                line.label,
            )
        )
        for j, cell in enumerate(line.cells):
            bucket = heat_bucket(cell.share)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="cell {}">'
                    "<title>{}</title></rect>",
                    _n(left + width * j + 1),
                    _n(y + 1),
                    _n(width - 2),
                    _n(row - 2),
                    bucket,
                    cell.title,
                )
            )
            parts.append(
                _text(
                    left + width * j + width / 2,
                    y + row - 6,
                    cell.text,
                    f"viz__in {bucket}",
                    "middle",
                )
            )
    body = mark_safe("".join(parts))
    svg = format_html(
        '<svg class="viz__svg viz--heat" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'focusable="false">{}</svg>',
        _n(max(total_width, WIDTH)),
        _n(head + row * len(lines_)),
        labelledby,
        body,
    )
    return svg


def legend(items: Sequence[tuple[str, str]]) -> SafeString:
    """The colours' meaning, as an HTML list beside the chart (it wraps on a phone)."""
    return format_html(
        '<ul class="viz__legend">{}</ul>',
        format_html_join(
            "",
            '<li><span class="swatch {}" aria-hidden="true"></span>{}</li>',
            items,
        ),
    )

"""Server-side charts for the HTML and PDF reports: one layout, two renderers (SVG, fpdf2).

``layout`` turns figure series (``views.series``) into drawing primitives in a
width x height box; ``to_svg`` writes them as an SVG string (text escaped). The PDF
report draws the same primitives with fpdf2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
MARGIN = (56, 16, 28, 34)  # left, right, top, bottom


@dataclass(frozen=True)
class Line:
    label: str
    color: str
    points: tuple[tuple[float, float], ...]
    hedged: tuple[bool, ...]


@dataclass(frozen=True)
class ChartLayout:
    title: str
    width: float
    height: float
    lines: tuple[Line, ...]
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    plot: tuple[float, float, float, float]  # x0, y0, x1, y1 of the plotting area


def _day(value: str) -> int:
    return date.fromisoformat(value[:10]).toordinal()


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def layout(title: str, series: list[dict[str, Any]], *, width: float = 640, height: float = 260) -> ChartLayout:
    """Lines (one per source) of the points' best values over their dates."""
    points = [p for s in series for p in s["points"]]
    x0, y0 = MARGIN[0], MARGIN[2]
    x1, y1 = width - MARGIN[1], height - MARGIN[3]
    if not points:
        return ChartLayout(title, width, height, (), (), (), (x0, y0, x1, y1))
    days = [_day(p["date"]) for p in points]
    lo, hi = min(days), max(days)
    span = max(hi - lo, 1)
    top = _nice_max(max(p["best"] for p in points))

    def px(day: int) -> float:
        return x0 + (day - lo) / span * (x1 - x0) if hi > lo else (x0 + x1) / 2

    def py(value: float) -> float:
        return y1 - value / top * (y1 - y0)

    lines = []
    for i, s in enumerate(series):
        pts = sorted(s["points"], key=lambda p: p["date"])
        lines.append(Line(
            s["source"], PALETTE[i % len(PALETTE)],
            tuple((px(_day(p["date"])), py(p["best"])) for p in pts),
            tuple(bool(p["hedges"]) or p.get("modality") not in (None, "asserted") for p in pts),
        ))
    ticks = sorted({lo, hi, lo + span // 2}) if hi > lo else [lo]
    x_ticks = tuple((px(d), date.fromordinal(d).isoformat()) for d in ticks)
    y_ticks = tuple((py(v), f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}") for v in (top * k / 4 for k in range(5)))
    return ChartLayout(title, width, height, tuple(lines), x_ticks, y_ticks, (x0, y0, x1, y1))


def to_svg(chart: ChartLayout) -> str:
    """The chart as an inline SVG element (every label escaped)."""
    x0, y0, x1, y1 = chart.plot
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" '
        f'width="{chart.width:.0f}" height="{chart.height:.0f}" role="img" aria-label="{escape(chart.title)}" '
        'font-family="DejaVu Sans, sans-serif" font-size="10">',
        f'<text x="{x0}" y="14" font-size="12" font-weight="bold">{escape(chart.title)}</text>',
        f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="#555"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#555"/>',
    ]
    for y, label in chart.y_ticks:
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{x0 - 4}" y="{y + 3:.1f}" text-anchor="end">{escape(label)}</text>')
    for x, label in chart.x_ticks:
        out.append(f'<text x="{x:.1f}" y="{y1 + 14}" text-anchor="middle">{escape(label)}</text>')
    for i, line in enumerate(chart.lines):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in line.points)
        out.append(f'<polyline class="series" points="{coords}" fill="none" stroke="{line.color}" stroke-width="2"/>')
        for (x, y), hedged in zip(line.points, line.hedged, strict=True):
            if hedged:
                out.append(f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} L{x - 5:.1f},{y + 4:.1f} Z" fill="{line.color}"/>')
            else:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{line.color}"/>')
        ly = y0 + 12 * i
        out.append(f'<rect x="{x1 - 150}" y="{ly - 7}" width="8" height="8" fill="{line.color}"/>')
        out.append(f'<text x="{x1 - 138}" y="{ly}">{escape(line.label[:28])}</text>')
    out.append("</svg>")
    return "".join(out)

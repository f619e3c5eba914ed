"""Geometry for the server-rendered SVG charts (no JavaScript, no chart library).

Only numbers are computed here; the templates (`_charts.html`) draw them, so every label,
crawled or not, goes through Jinja's autoescaping like the rest of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

BAR_HEIGHT: Final = 22
BAR_GAP: Final = 6
LABEL_WIDTH: Final = 190
BAR_AREA: Final = 300
VALUE_WIDTH: Final = 50
LABEL_CHARS: Final = 28


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    full_label: str
    value: int
    y: int
    width: float


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(items: Sequence[tuple[str, int]]) -> BarChart:
    """Horizontal bars, longest = the largest value; labels cut to fit (full text in <title>)."""
    top = max((v for _, v in items), default=0)
    bars = []
    for i, (label, value) in enumerate(items):
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        width = 0.0 if top == 0 else max(1.0, BAR_AREA * value / top)
        bars.append(Bar(short, label, value, i * (BAR_HEIGHT + BAR_GAP), round(width, 1)))
    height = max(BAR_HEIGHT, len(items) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP)
    return BarChart(bars, LABEL_WIDTH + BAR_AREA + VALUE_WIDTH, height, LABEL_WIDTH, BAR_HEIGHT)


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    price: int
    at: datetime


@dataclass(frozen=True, slots=True)
class LineChart:
    points: list[Point]
    path: str
    width: int
    height: int
    y_min: int
    y_max: int
    first: datetime
    last: datetime
    pad: int
    left: int


LINE_WIDTH: Final = 360
LINE_HEIGHT: Final = 90
LINE_PAD: Final = 8
#: Room left of the plot for the price labels, so they never sit on a point.
LINE_GUTTER: Final = 78


def price_chart(observations: Sequence[tuple[datetime, int | None]]) -> LineChart | None:
    """A price-over-time line; None when fewer than one priced observation exists."""
    pts = [(at, price) for at, price in observations if price is not None]
    if not pts:
        return None
    pts.sort(key=lambda p: p[0])
    t0, t1 = pts[0][0].timestamp(), pts[-1][0].timestamp()
    lo, hi = min(p for _, p in pts), max(p for _, p in pts)
    span_t = t1 - t0
    span_p = hi - lo
    inner_w = LINE_WIDTH - LINE_GUTTER - 2 * LINE_PAD
    inner_h = LINE_HEIGHT - 2 * LINE_PAD
    points = []
    for at, price in pts:
        x = LINE_GUTTER + LINE_PAD + (inner_w / 2 if span_t == 0 else inner_w * (at.timestamp() - t0) / span_t)
        # A flat price sits mid-height instead of on the floor, where it would read as "zero".
        y = LINE_PAD + (inner_h / 2 if span_p == 0 else inner_h * (1 - (price - lo) / span_p))
        points.append(Point(round(x, 1), round(y, 1), price, at))
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(points)
    )
    return LineChart(
        points, path, LINE_WIDTH, LINE_HEIGHT, lo, hi, pts[0][0], pts[-1][0], LINE_PAD, LINE_GUTTER
    )

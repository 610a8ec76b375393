"""Charts for the PDF downloads, drawn as inline SVG by templates/print/_bar_chart.html and
_line_chart.html: here only the geometry (where each bar, point and tick goes). The numbers drawn
are the figures the caller passes; every label shows the caller's own text for the value (the
stored, already rounded figure), so a chart never shows a figure of its own making."""

import math
from dataclasses import dataclass, field

WIDTH = 760  # SVG user units; the stylesheet scales the figure to the page width
LABEL_WIDTH = 180
ROW = 16
AXIS = 22


@dataclass
class Chart:
    """What a chart template needs: its text alternative (title, desc), caption and shapes."""

    title: str
    desc: str
    caption: str
    width: int = WIDTH
    height: int = 0
    ticks: list = field(default_factory=list)
    bars: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    points: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    target: dict | None = None


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def _ticks(top: float, at) -> list[dict]:
    """Five gridlines from 0 to `top`; `at(value)` places one."""
    return [{"at": at(top * n / 4), "text": f"{top * n / 4:g}%"} for n in range(5)]


def bar_chart(items, *, target=None, target_text="", title, desc, caption) -> Chart:
    """Horizontal bars: items are (label, value or None, value text); an optional target line.
    A missing value draws no bar and shows its text ("–")."""
    values = [v for _, v, _ in items if v is not None] + ([target] if target is not None else [])
    top = nice_ceiling(max(values, default=0))
    left, plot = LABEL_WIDTH, WIDTH - LABEL_WIDTH - 70

    def x(value):
        return round(left + plot * value / top, 1)

    chart = Chart(title=title, desc=desc, caption=caption)
    chart.height = ROW * max(len(items), 1) + AXIS + 8
    base = ROW * max(len(items), 1) + 4
    chart.ticks = [t | {"y1": 0, "y2": base, "label_y": base + 14} for t in _ticks(top, x)]
    for n, (label, value, text) in enumerate(items):
        y = n * ROW + 2
        width = 0 if value is None else round(plot * value / top, 1)
        chart.bars.append({"y": y + 2, "x": left, "width": width, "height": ROW - 5,
                           "label": label, "label_y": y + ROW - 4, "text": text,
                           "text_x": left + width + 4})
    if target is not None:
        chart.target = {"x1": x(target), "x2": x(target), "y1": 0, "y2": base,
                        "text": target_text}
    return chart


def line_chart(points, *, target=None, target_text="", title, desc, caption) -> Chart:
    """A line through (label, value or None, value text) points, left to right; a missing value
    breaks the line. An optional dashed target line across."""
    values = [v for _, v, _ in points if v is not None] + ([target] if target is not None else [])
    top = nice_ceiling(max(values, default=0))
    left, right, high, low = 50, WIDTH - 20, 10, 170
    step = (right - left) / max(len(points) - 1, 1)

    def y(value):
        return round(low - (low - high) * value / top, 1)

    chart = Chart(title=title, desc=desc, caption=caption, height=low + AXIS + 6)
    chart.ticks = [t | {"y": t["at"]} for t in _ticks(top, y)]
    run = []
    for n, (label, value, text) in enumerate(points):
        px = round(left + n * step, 1)
        chart.labels.append({"x": px, "y": low + 16, "text": label})
        if value is None:
            if len(run) > 1:
                chart.lines.append(run)
            run = []
            continue
        run.append(f"{px},{y(value)}")
        chart.points.append({"x": px, "y": y(value), "text": text})
    if len(run) > 1:
        chart.lines.append(run)
    chart.lines = [" ".join(r) for r in chart.lines]
    if target is not None:
        chart.target = {"x1": left, "x2": right, "y1": y(target), "y2": y(target),
                        "text": target_text}
    return chart

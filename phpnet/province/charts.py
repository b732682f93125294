"""Bar charts drawn on the server as SVG: no script, no chart library, and
readable on a black-and-white printout.

Bars run horizontally, so that 38 regency names fit as row labels. Each
series has a colour AND a pattern (solid, hatched, dotted...), with the same
swatch in the legend, and every stack or bar ends in its number, so the chart
reads without colour. Every bar carries a ``<title>`` (a tooltip); the whole
chart is one ``role="img"`` with an ``aria-label``, and the page puts the
same numbers in a table next to it for screen readers and for print."""

import math
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from phpnet.contrib import Figure

WIDTH = 760
CHAR_WIDTH = 6.4  # average width of a 12px system-ui character
FONT = "system-ui, Arial, sans-serif"
INK, GRID, LIGHT = "#1b1f24", "#c3c9d1", "#ffffff"
COLOURS = ("#1f4e79", "#c55a11", "#3b6e22", "#6b2c91", "#8a6d00", "#4a5360", "#a4161a")
# Pattern strokes drawn in white over the series' colour, one per series.
PATTERNS = (
    "",
    "M0,6 L6,0",  # diagonal
    "M3,0 L3,6",  # vertical
    "M0,3 L6,3",  # horizontal
    "M0,0 L6,6 M0,6 L6,0",  # cross
    "M0,6 L6,0 M0,0 L6,6 M3,0 L3,6",  # dense
    "M0,0 L6,6",  # other diagonal
)
BAR, STACK_BAR, GAP = 12, 16, 8
TOP, RIGHT, AXIS_SPACE, LEGEND_ROW = 8, 64, 40, 22


@dataclass(frozen=True)
class _Layout:
    left: int
    plot_width: float
    maximum: float
    step: float

    def x(self, value: float) -> float:
        return self.left + self.plot_width * (value / self.maximum)


def number(value: float) -> str:
    """Indonesian notation: 1.234 and 12,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def nice_step(maximum: float, ticks: int = 5) -> float:
    """A round tick interval (1, 2 or 5 times a power of ten) giving about
    ``ticks`` intervals up to ``maximum``."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(factor * power, 1.0) if maximum >= ticks else factor * power
    return 10 * power


def _totals(figure: Figure) -> list[float]:
    return [
        sum(float(s.values[i]) for s in figure.series if i < len(s.values))
        for i in range(len(figure.categories))
    ]


def _value(figure: Figure, series_index: int, category_index: int) -> float:
    values = figure.series[series_index].values
    return float(values[category_index]) if category_index < len(values) else 0.0


def _layout(figure: Figure) -> _Layout:
    longest = max((len(str(c)) for c in figure.categories), default=0)
    left = int(min(max(longest * CHAR_WIDTH + 12, 80), 280))
    if figure.stacked:
        peak = max(_totals(figure), default=0.0)
    else:
        peak = max((float(v) for s in figure.series for v in s.values), default=0.0)
    step = nice_step(peak)
    maximum = max(step * math.ceil(peak / step), step)
    return _Layout(left, WIDTH - left - RIGHT, maximum, step)


def chart_id(figure: Figure, prefix: str = "fig") -> str:
    return f"{prefix}-" + re.sub(r"[^a-z0-9_-]", "-", figure.key.lower())


def render_chart(figure: Figure, prefix: str = "fig") -> Markup:
    """The SVG of ``figure``; ``prefix`` keeps pattern ids unique on a page."""
    uid = chart_id(figure, prefix)
    layout = _layout(figure)
    band = STACK_BAR if figure.stacked else BAR * max(len(figure.series), 1)
    plot_height = len(figure.categories) * (band + GAP)
    legend_rows, legend = _legend(figure, uid, TOP + plot_height + AXIS_SPACE)
    height = TOP + plot_height + AXIS_SPACE + legend_rows * LEGEND_ROW + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}"'
        f' role="img" aria-label="{escape(_summary(figure))}" font-family="{FONT}"'
        f' font-size="12" fill="{INK}">',
        _patterns(figure, uid),
        _grid(layout, plot_height, figure.unit),
        *_bars(figure, layout, band, uid),
        legend,
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def _summary(figure: Figure) -> str:
    series = ", ".join(s.label for s in figure.series)
    kind = "bertumpuk" if figure.stacked else "berkelompok"
    return (
        f"Diagram batang {kind}: {figure.title}. {len(figure.categories)} kategori; "
        f"seri: {series}. Angka lengkap ada di tabel data."
    )


def _fill(uid: str, index: int) -> str:
    return f"url(#{uid}-p{index})"


def _patterns(figure: Figure, uid: str) -> str:
    defs = []
    for index, _series in enumerate(figure.series):
        colour = COLOURS[index % len(COLOURS)]
        path = PATTERNS[index % len(PATTERNS)]
        stroke = f'<path d="{path}" stroke="{LIGHT}" stroke-width="1.6"/>' if path else ""
        defs.append(
            f'<pattern id="{uid}-p{index}" patternUnits="userSpaceOnUse" width="6" height="6">'
            f'<rect width="6" height="6" fill="{colour}"/>{stroke}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>"


def _grid(layout: _Layout, plot_height: int, unit: str) -> str:
    bottom = TOP + plot_height
    lines = []
    ticks = round(layout.maximum / layout.step)
    for tick in range(ticks + 1):
        value = tick * layout.step
        x = round(layout.x(value), 1)
        lines.append(
            f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x}" y="{bottom + 14}" text-anchor="middle">{number(value)}</text>'
        )
    unit_name = unit.strip().strip("()") or "jumlah"
    axis_title = "Persen" if unit_name == "%" else f"Jumlah ({unit_name})"
    middle = layout.left + layout.plot_width / 2
    lines.append(
        f'<line x1="{layout.left}" y1="{TOP}" x2="{layout.left}" y2="{bottom}"'
        f' stroke="{INK}" stroke-width="1"/>'
        f'<line x1="{layout.left}" y1="{bottom}" x2="{layout.left + layout.plot_width}"'
        f' y2="{bottom}" stroke="{INK}" stroke-width="1"/>'
        f'<text x="{middle}" y="{bottom + 30}" text-anchor="middle" font-weight="600">'
        f"{escape(axis_title)}</text>"
    )
    return "".join(lines)


def _bar(x: float, y: float, width: float, height: int, fill: str, title: str) -> str:
    return (
        f'<rect x="{round(x, 1)}" y="{y}" width="{round(max(width, 0), 1)}" height="{height}"'
        f' fill="{fill}" stroke="{INK}" stroke-width="0.6"><title>{escape(title)}</title></rect>'
    )


def _bars(figure: Figure, layout: _Layout, band: int, uid: str) -> list[str]:
    parts = []
    for row, category in enumerate(figure.categories):
        top = TOP + row * (band + GAP) + GAP / 2
        parts.append(
            f'<text x="{layout.left - 6}" y="{top + band / 2 + 4}" text-anchor="end">'
            f"{escape(str(category))}</text>"
        )
        draw = _stack if figure.stacked else _group
        parts += draw(figure, layout, row, top, uid)
    return parts


def _stack(figure: Figure, layout: _Layout, row: int, top: float, uid: str) -> list[str]:
    parts: list[str] = []
    start = 0.0
    for index, series in enumerate(figure.series):
        value = _value(figure, index, row)
        if value:
            title = f"{figure.categories[row]}, {series.label}: {number(value)}{figure.unit}"
            x0, x1 = layout.x(start), layout.x(start + value)
            parts.append(_bar(x0, top, x1 - x0, STACK_BAR, _fill(uid, index), title))
            start += value
    parts.append(
        f'<text x="{round(layout.x(start) + 4, 1)}" y="{top + STACK_BAR / 2 + 4}">'
        f"{number(start)}{escape(figure.unit)}</text>"
    )
    return parts


def _group(figure: Figure, layout: _Layout, row: int, top: float, uid: str) -> list[str]:
    parts: list[str] = []
    for index, series in enumerate(figure.series):
        value = _value(figure, index, row)
        y = top + index * BAR
        title = f"{figure.categories[row]}, {series.label}: {number(value)}{figure.unit}"
        width = layout.x(value) - layout.left
        parts.append(_bar(layout.left, y, width, BAR - 1, _fill(uid, index), title))
        parts.append(
            f'<text x="{round(layout.left + width + 4, 1)}" y="{y + BAR - 2}" font-size="10">'
            f"{number(value)}</text>"
        )
    return parts


def _legend(figure: Figure, uid: str, top: int) -> tuple[int, str]:
    parts, x, row = [], 8.0, 0
    for index, series in enumerate(figure.series):
        width = 22 + len(series.label) * CHAR_WIDTH + 16
        if x + width > WIDTH and x > 8:
            x, row = 8.0, row + 1
        y = top + row * LEGEND_ROW
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{_fill(uid, index)}"'
            f' stroke="{INK}" stroke-width="0.6"/>'
            f'<text x="{x + 20}" y="{y + 11}">{escape(series.label)}</text>'
        )
        x += width
    return row + 1 if figure.series else 0, "".join(parts)


def table_rows(figure: Figure) -> list[tuple[str, list[float], float]]:
    """(category, values per series, total) for the data table."""
    totals = _totals(figure)
    return [
        (str(category), [_value(figure, s, i) for s in range(len(figure.series))], totals[i])
        for i, category in enumerate(figure.categories)
    ]

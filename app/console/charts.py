"""Charts drawn on the server as SVG (no script, no asset from elsewhere), each with the table
of its numbers, which is also its CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 16, 40
PALETTE = ("#0b5cad", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30638e", "#444")
Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class Chart:
    slug: str
    title: str
    svg: Markup
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    drawn_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in self.rows)
        return out.getvalue()


def _frame(title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<g font-size="11" font-family="system-ui,sans-serif" fill="#1d2430">{"".join(body)}</g>'
        "</svg>"
    )


def _top(values: Sequence[float]) -> float:
    top = max([0.0, *values])
    if top <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(top))) - 1)
    return float((int(top / magnitude) + 1) * magnitude)


def compact(value: float, top: float) -> str:
    """An axis label that fits the margin: 1.5M, 250k, 12, 0.5."""
    if top >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if top >= 10_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}" if top >= 10 else f"{value:.2g}"


def _axis(top: float, unit: str) -> list[str]:
    parts = []
    plot_height = HEIGHT - TOP - BOTTOM
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_height - plot_height * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d6dbe2"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{compact(value, top)}{escape(unit)}</text>"
        )
    return parts


def _nothing(title: str) -> Markup:
    return _frame(
        title,
        [
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="14" '
            'fill="#5b6573">No figures in this span</text>'
        ],
    )


def lines(
    title: str, labels: Sequence[str], series: Mapping[str, Sequence[float | None]], unit: str = ""
) -> Markup:
    """One line per series over the labels (gaps where a value is None), legend on the right."""
    values = [value for points in series.values() for value in points if value is not None]
    if not values:
        return _nothing(title)
    top = _top(values)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(labels) - 1, 1)
    body = _axis(top, unit)
    every = max(1, -(-len(labels) // 6))  # at most six labels on the axis
    for index, label in enumerate(labels):
        if index % every == 0:
            x = LEFT + step * index
            body.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    for number, (name, points) in enumerate(series.items()):
        colour = PALETTE[number % len(PALETTE)]
        path, pen_down = [], False
        for index, value in enumerate(points):
            if value is None:
                pen_down = False
                continue
            x = LEFT + step * index
            y = TOP + plot_height - plot_height * value / top
            path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        legend_y = TOP + 14 * number + 8
        body.append(
            f'<rect x="{WIDTH - RIGHT + 10}" y="{legend_y - 8}" width="10" height="10" '
            f'fill="{colour}"/><text x="{WIDTH - RIGHT + 24}" y="{legend_y + 1}">'
            f"{escape(name)}</text>"
        )
    return _frame(title, body)


def bars(title: str, bars: Sequence[tuple[str, float]], unit: str = "") -> Markup:
    """One vertical bar per label."""
    if not any(value for _label, value in bars):
        return _nothing(title)
    top = _top([value for _label, value in bars])
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(bars), 1)
    body = _axis(top, unit)
    for index, (label, value) in enumerate(bars):
        height = plot_height * max(value, 0) / top
        x = LEFT + slot * index + slot * 0.15
        body.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_height - height:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{height:.1f}" fill="{PALETTE[index % len(PALETTE)]}">'
            f"<title>{escape(label)}: {value:,.2f}{escape(unit)}</title></rect>"
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label[:18])}</text>'
        )
    return _frame(title, body)

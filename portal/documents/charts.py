"""Charts drawn on the server as SVG, for PDF documents (WeasyPrint runs no JavaScript).

Both functions return a complete `<svg>` element as a safe string, ready for
`ReportSection.charts` or `{{ chart }}` in a template. Every label is escaped here; numbers are
written the French way (decimal comma, narrow space between thousands).

    bar_chart_svg(title="Installations par année", labels=["2023", "2024"], values=[4, 9])
    line_chart_svg(title="Internes accueillis", labels=["S1", "S2"], series={"Médecine": [3, 5]})
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours distinguishable in print and by readers with a colour-vision deficiency (Okabe-Ito).
PALETTE = ("#1d4f91", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#0072b2", "#999999")
FONT = "font-family=\"'Source Sans 3', 'DejaVu Sans', sans-serif\""


def format_number(value: float, decimals: int | None = None) -> str:
    """12345.5 -> '12 345,5' (French separators, whatever the active locale)."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    with translation.override(settings.LANGUAGE_CODE):
        return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum` (steps of 1, 2 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step) * step
    return [round(i * step, 10) for i in range(int(round(top / step)) + 1)]


def _text_width(text: str) -> float:
    """Width of `text` at the charts' 11 px font, with a margin: ~6.5 px a character, plus 6."""
    return len(text) * 6.5 + 6


def _frame(width: int, height: int, title: str, body: list[str]) -> SafeString:
    # Explicit width/height so WeasyPrint lays it out without guessing; viewBox so CSS may scale it.
    return mark_safe(  # noqa: S308 - every text node is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="11">'
        f"<title>{escape(title)}</title>"
        f'<text x="0" y="14" font-size="13" font-weight="600" fill="#222">{escape(title)}</text>'
        + "".join(body)
        + "</svg>"
    )


def _axes(*, left, top, plot_w, plot_h, ticks, unit) -> list[str]:
    parts = []
    top_value = ticks[-1] or 1
    for tick in ticks:
        y = top + plot_h - plot_h * tick / top_value
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd" stroke-width="0.6"/>'
        )
        label = escape(format_number(tick) + (f" {unit}" if unit else ""))
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444">{label}</text>')
    baseline = top + plot_h
    parts.append(f'<line x1="{left}" y1="{baseline}" x2="{left + plot_w}" y2="{baseline}" stroke="#444"/>')
    return parts


def bar_chart_svg(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    width: int = 640,
    height: int = 280,
    colour: str = PALETTE[0],
) -> SafeString:
    """Vertical bars, one per label, with the value written above each bar."""
    if len(labels) != len(values):
        raise ValueError("bar_chart_svg: labels and values must have the same length")
    left, top, bottom, right = 56, 30, 42, 10
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(max([0, *values]))
    body = _axes(left=left, top=top, plot_w=plot_w, plot_h=plot_h, ticks=ticks, unit=unit)
    slot = plot_w / max(len(values), 1)
    bar_w = min(slot * 0.62, 48)  # one month alone is a bar, not a wall
    # Labels that would overlap are thinned out (every n-th one written) and values written above
    # the bars only when they fit: 36 months on 640 px were an unreadable smear.
    label_every = max(1, math.ceil(max((_text_width(label) for label in labels), default=0) / slot))
    values_fit = max((_text_width(format_number(v)) for v in values), default=0) <= slot
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_h = plot_h * max(value, 0) / (ticks[-1] or 1)
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h - bar_h
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{escape(colour)}"/>')
        if values_fit:
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" fill="#222">'
                f"{escape(format_number(value))}</text>"
            )
        if i % label_every == 0:
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#444">'
                f"{escape(label)}</text>"
            )
    return _frame(width, height, title, body)


def line_chart_svg(
    *,
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    unit: str = "",
    width: int = 640,
    height: int = 280,
) -> SafeString:
    """One line per series over the same labels, with points and a legend under the plot."""
    for name, values in series.items():
        if len(values) != len(labels):
            raise ValueError(f"line_chart_svg: series {name!r} has {len(values)} values for {len(labels)} labels")
    left, top, right = 56, 30, 16
    legend_rows = math.ceil(len(series) / 3) if series else 0
    bottom = 30 + 16 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(max([0, *(v for values in series.values() for v in values)]))
    top_value = ticks[-1] or 1
    body = _axes(left=left, top=top, plot_w=plot_w, plot_h=plot_h, ticks=ticks, unit=unit)
    step = plot_w / max(len(labels) - 1, 1)
    for i, label in enumerate(labels):
        body.append(
            f'<text x="{left + i * step:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#444">'
            f"{escape(label)}</text>"
        )
    for index, (name, values) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        points = [(left + i * step, top + plot_h - plot_h * max(v, 0) / top_value) for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.8" fill="{colour}"/>' for x, y in points)
        lx = left + (index % 3) * (plot_w / 3)
        ly = top + plot_h + 32 + 16 * (index // 3)
        body.append(f'<rect x="{lx:.1f}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>')
        body.append(f'<text x="{lx + 14:.1f}" y="{ly + 1}" fill="#222">{escape(name)}</text>')
    return _frame(width, height, title, body)

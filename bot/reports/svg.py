"""Small inline SVG charts (no scripts, no external references), styled by the page's CSS."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from bot.reports.phrases import number, percent

WIDTH = 640
LABEL_WIDTH = 230
BAR_X = 240
BAR_SPACE = WIDTH - BAR_X - 100
ROW = 24
BAR_HEIGHT = 16
COLUMN_HEIGHT = 220
AXIS_LABELS = 12
COLOR = "#2f6f9f"


def _label(label: str, size: int = 34) -> str:
    """``label`` escaped, cut to ``size`` characters with the full text as a tooltip."""
    if len(label) <= size:
        return escape(label)
    return f"{escape(label[: size - 1])}…<title>{escape(label)}</title>"


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img"'
        f' aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )


def bar_chart(
    rows: Sequence[tuple[str, int]],
    title: str,
    share_of: int | None = None,
    lang: str = "fr",
    color: str = COLOR,
) -> str:
    """Horizontal bars, one per ``(label, value)``; values also as % of ``share_of`` if given."""
    height = len(rows) * ROW + 4
    peak = max((value for _, value in rows), default=0) or 1
    parts = [_open(WIDTH, height, title)]
    for index, (label, value) in enumerate(rows):
        y = index * ROW + 4
        width = round(value / peak * BAR_SPACE, 1)
        shown = number(value, lang)
        if share_of:
            shown += f" ({percent(value / share_of, lang)})"
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{y + 13}" text-anchor="end">{_label(label)}</text>'
            f'<rect x="{BAR_X}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{color}"/>'
            f'<text x="{BAR_X + width + 6}" y="{y + 13}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    rows: Sequence[tuple[str, int]], title: str, lang: str = "fr", color: str = COLOR
) -> str:
    """Vertical bars in order (e.g. weeks), with about :data:`AXIS_LABELS` labels underneath."""
    left, right, top, bottom = 44, 8, 12, 30
    plot_width = WIDTH - left - right
    plot_height = COLUMN_HEIGHT - top - bottom
    peak = max((value for _, value in rows), default=0) or 1
    step = plot_width / max(len(rows), 1)
    every = max(1, math.ceil(len(rows) / AXIS_LABELS))
    base = top + plot_height
    parts = [
        _open(WIDTH, COLUMN_HEIGHT, title),
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{number(peak, lang)}</text>',
        f'<text x="{left - 6}" y="{base}" text-anchor="end">0</text>',
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - right}" y2="{base}" stroke="#999"/>',
    ]
    for index, (label, value) in enumerate(rows):
        x = left + index * step
        height = round(value / peak * plot_height, 1)
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{base - height:.1f}" width="{step * 0.8:.1f}"'
            f' height="{height}" fill="{color}">'
            f"<title>{escape(label)} : {number(value, lang)}</title></rect>"
        )
        if index % every == 0:
            parts.append(
                f'<text class="axis" x="{x + step / 2:.1f}" y="{base + 16}"'
                f' text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)

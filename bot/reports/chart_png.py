"""A PNG picture of the demand by need and by week, for a Telegram message."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

from bot.reports.fonts import Font, font, printable
from bot.reports.labels import Labels
from bot.reports.phrases import number, phrase
from bot.reports.summary import DemandSummary, top
from bot.reports.text import describe_period

WIDTH = 1000
MARGIN = 30
ROW = 34
LABEL_WIDTH = 300
COLUMNS_HEIGHT = 260
NEEDS_SHOWN = 12
AXIS_LABELS = 8
BAR = (47, 111, 159)
INK = (34, 34, 34)
GREY = (110, 110, 110)
WARNING = (179, 38, 30)


def _fit(draw: ImageDraw.ImageDraw, text: str, face: Font, width: float) -> str:
    """``text`` made drawable, shortened with « … » to ``width`` pixels."""
    text = printable(text)
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def render_chart_png(
    summary: DemandSummary, labels: Labels | None = None, lang: str = "fr"
) -> bytes:
    """Horizontal bars of the needs (top 12), then one column per week."""
    labels = labels or Labels()
    needs, _ = top(summary.by_need, NEEDS_SHOWN)
    weeks = list(summary.weekly.items())
    height = MARGIN + 70 + len(needs) * ROW + 60 + COLUMNS_HEIGHT
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    heading, body, small = font(24), font(18), font(14)

    y = MARGIN
    total = number(summary.total, lang)
    title = f"{phrase('title', lang)} — {describe_period(summary, lang)} ({total})"
    draw.text((MARGIN, y), _fit(draw, title, heading, WIDTH - 2 * MARGIN), font=heading, fill=INK)
    if summary.synthetic:
        warning = printable(phrase("synthetic", lang))
        draw.text((WIDTH - MARGIN, y + 34), warning, font=body, fill=WARNING, anchor="ra")
    y += 40
    draw.text((MARGIN, y), printable(phrase("needs", lang)), font=body, fill=GREY)
    y += 30
    peak = max((count for _, count in needs), default=0) or 1
    bar_space = WIDTH - 2 * MARGIN - LABEL_WIDTH - 80
    for key, count in needs:
        label = _fit(draw, labels.name("needs", key, lang), body, LABEL_WIDTH - 10)
        draw.text((MARGIN + LABEL_WIDTH - 10, y + 13), label, font=body, fill=INK, anchor="rm")
        end = MARGIN + LABEL_WIDTH + count / peak * bar_space
        draw.rectangle((MARGIN + LABEL_WIDTH, y + 3, end, y + ROW - 7), fill=BAR)
        draw.text((end + 8, y + 13), number(count, lang), font=body, fill=INK, anchor="lm")
        y += ROW

    y += 30
    draw.text((MARGIN, y), printable(phrase("weekly", lang)), font=body, fill=GREY)
    y += 30
    base = y + COLUMNS_HEIGHT - 60
    plot_left = MARGIN + 50
    step = (WIDTH - MARGIN - plot_left) / max(len(weeks), 1)
    peak = max((count for _, count in weeks), default=0) or 1
    draw.text((plot_left - 8, y), number(peak, lang), font=small, fill=GREY, anchor="ra")
    draw.text((plot_left - 8, base), "0", font=small, fill=GREY, anchor="rd")
    draw.line((plot_left, base, WIDTH - MARGIN, base), fill=GREY)
    every = max(1, math.ceil(len(weeks) / AXIS_LABELS))
    for index, (week, count) in enumerate(weeks):
        left = plot_left + index * step
        if count:
            top_y = base - count / peak * (base - y)
            draw.rectangle((left + step * 0.1, top_y, left + step * 0.9, base), fill=BAR)
        if index % every == 0:
            draw.text((left + step / 2, base + 6), week, font=small, fill=GREY, anchor="ma")

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

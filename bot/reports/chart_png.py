"""The ``/stats`` picture: the demand by need (top 12) and by week, as one PNG."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from bot.reports.chart import Chart
from bot.reports.labels import Labels
from bot.reports.phrases import number, phrase
from bot.reports.summary import DemandSummary, top
from bot.reports.text import describe_period

NEEDS_SHOWN = 12


class Picture(NamedTuple):
    """What :func:`~bot.reports.chart.png` draws: charts, their heading and a warning note;
    small, so that another process can draw it."""

    charts: Sequence[Chart]
    heading: str
    note: str | None


def stats_picture(
    summary: DemandSummary, labels: Labels | None = None, lang: str = "fr"
) -> Picture:
    """Horizontal bars of the needs (top 12), then one column per week."""
    labels = labels or Labels()
    needs, _ = top(summary.by_need, NEEDS_SHOWN)
    rows = [(labels.name("needs", key, lang), count) for key, count in needs]
    heading = (
        f"{phrase('title', lang)} — {describe_period(summary, lang)}"
        f" ({number(summary.total, lang)})"
    )
    return Picture(
        [
            Chart("needs", phrase("needs", lang), rows, lang=lang),
            Chart("weekly", phrase("weekly", lang), list(summary.weekly.items()), True, lang=lang),
        ],
        heading,
        phrase("synthetic", lang) if summary.synthetic else None,
    )

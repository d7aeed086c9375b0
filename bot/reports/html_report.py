"""The coordinators' report: one self-contained HTML file (inline CSS and SVG, no links)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from bot.reports.chart import Chart, svg
from bot.reports.labels import Labels
from bot.reports.outcomes import Outcomes, outcome_html
from bot.reports.phrases import colon, day, number, percent, phrase
from bot.reports.summary import SECTIONS, DemandSummary, top
from bot.reports.text import describe_period, usefulness_line

STYLE = """
body { font-family: system-ui, sans-serif; color: #222; max-width: 720px; margin: 2em auto;
       padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.4em; border-bottom: 1px solid #ddd; }
.period { color: #555; }
.banner { background: #b3261e; color: #fff; font-weight: bold; padding: 0.6em 1em;
          border-radius: 4px; }
.figures { display: flex; gap: 1em; flex-wrap: wrap; }
.figures div { background: #eef3f7; border-radius: 4px; padding: 0.6em 1em; min-width: 9em; }
.figures b { display: block; font-size: 1.5em; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ddd; padding: 0.2em 0.5em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
"""


def _figures(summary: DemandSummary, lang: str) -> str:
    cards = (
        (number(summary.total, lang), phrase("conversations", lang)),
        (percent(summary.completion_rate, lang), phrase("completion_rate", lang)),
        (percent(summary.usefulness_rate, lang), phrase("usefulness", lang)),
    )
    inner = "".join(f"<div><b>{escape(v)}</b>{escape(label)}</div>" for v, label in cards)
    outcomes = ", ".join(
        f"{phrase(key, lang)} {number(getattr(summary, key), lang)}"
        for key in ("completed", "abandoned", "restarted", "in_progress")
    )
    feedback = usefulness_line(summary, lang)
    return (
        f'<div class="figures">{inner}</div>'
        f"<p>{escape(outcomes)}. {escape(phrase('usefulness', lang) + colon(lang))}"
        f" {escape(feedback)}.</p>"
    )


def _weekly_table(summary: DemandSummary, labels: Labels, lang: str) -> str:
    needs = [need for need in summary.by_need if need]
    head = "".join(f"<th>{escape(labels.name('needs', n, lang))}</th>" for n in needs)
    rows = "".join(
        f"<tr><td>{escape(week)}</td>"
        + "".join(f"<td>{counts.get(n, 0)}</td>" for n in needs)
        + "</tr>"
        for week, counts in summary.weekly_by_need.items()
    )
    return f"<table><tr><th>{escape(phrase('week', lang))}</th>{head}</tr>{rows}</table>"


def _section(title: str, body: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{body}</section>"


def render_html(
    summary: DemandSummary,
    labels: Labels | None = None,
    lang: str = "fr",
    limit: int = 15,
    generated_at: datetime | None = None,
    outcomes: Outcomes | None = None,
) -> str:
    """The full report; each breakdown shows its top ``limit`` entries plus « autres »."""
    labels = labels or Labels()
    title = phrase("title", lang)
    period = describe_period(summary, lang)
    parts = [
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — {escape(period)}</title><style>{STYLE}</style></head><body>"
    ]
    if summary.synthetic:
        parts.append(
            f'<p class="banner">{escape(phrase("synthetic", lang))} — '
            f"{escape(phrase('synthetic_note', lang))}</p>"
        )
    meta = f"{period} · {number(summary.total, lang)} {phrase('conversations', lang).lower()}"
    if generated_at is not None:
        meta += f" · {phrase('generated', lang, date=day(generated_at.date(), lang))}"
    parts.append(f'<h1>{escape(title)}</h1><p class="period">{escape(meta)}</p>')
    parts.append(_figures(summary, lang))
    funnel = [(phrase(key, lang), count) for key, count in summary.funnel]
    parts.append(
        _section(
            phrase("funnel", lang),
            svg(Chart("funnel", phrase("funnel", lang), funnel, share_of=summary.total, lang=lang)),
        )
    )
    weekly = list(summary.weekly.items())
    parts.append(
        _section(
            phrase("weekly", lang),
            svg(Chart("weekly", phrase("weekly", lang), weekly, True, lang=lang)),
        )
    )
    for section in SECTIONS:
        shown, rest = top(summary.counts(section), limit)
        rows = [(labels.name(section.dimension, key, lang), count) for key, count in shown]
        if rest:
            rows.append((phrase("others", lang), rest))
        heading = phrase(section.title, lang)
        chart = (
            svg(Chart(section.dimension, heading, rows, lang=lang))
            if rows
            else f"<p>{escape(phrase('none', lang))}</p>"
        )
        parts.append(_section(heading, chart))
    if summary.weekly_by_need:
        parts.append(_section(phrase("weekly_needs", lang), _weekly_table(summary, labels, lang)))
    if outcomes is not None:
        parts.append(outcome_html(outcomes, labels, lang))
    parts.append("</body></html>")
    return "".join(parts)

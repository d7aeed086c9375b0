"""A short plain-text summary, sized for one Telegram message."""

from __future__ import annotations

from datetime import timedelta

from bot.reports.labels import Labels
from bot.reports.outcomes import Outcomes, outcome_lines
from bot.reports.phrases import colon, day, number, percent, phrase
from bot.reports.summary import SECTIONS, DemandSummary, top

TEXT_SECTIONS = ("by_need", "by_commune", "by_source", "unmet_needs")


def usefulness_line(summary: DemandSummary, lang: str = "fr") -> str:
    """« N sur M avis (P %) »: how many found the orientation useful."""
    return phrase(
        "usefulness_line",
        lang,
        useful=number(summary.useful, lang),
        given=number(summary.feedback_given, lang),
        rate=percent(summary.usefulness_rate, lang),
    )


def describe_period(summary: DemandSummary, lang: str = "fr") -> str:
    """« du 01/01/2025 au 31/03/2025 »: the requested bounds, else the first and last dates."""
    start = summary.since or summary.first
    end = summary.until - timedelta(microseconds=1) if summary.until else summary.last
    if start is None or end is None:
        return phrase("no_period", lang)
    return phrase("period", lang, start=day(start.date(), lang), end=day(end.date(), lang))


def render_text(
    summary: DemandSummary,
    lang: str = "fr",
    labels: Labels | None = None,
    limit: int = 5,
    outcomes: Outcomes | None = None,
) -> str:
    """Period, counts, completion and usefulness rates, the top ``limit`` of each list, then
    the ``outcomes`` lines."""
    labels = labels or Labels()
    sep = colon(lang)
    lines = [f"{phrase('title', lang)} — {describe_period(summary, lang)}"]
    if summary.synthetic:
        lines.append(f"⚠ {phrase('synthetic', lang)}")
    endings = ", ".join(
        f"{phrase(key, lang)} {number(getattr(summary, key), lang)}"
        for key in ("completed", "abandoned", "restarted", "in_progress")
    )
    total = number(summary.total, lang)
    lines.append(f"{phrase('conversations', lang)}{sep} {total} ({endings})")
    lines.append(f"{phrase('completion_rate', lang)}{sep} {percent(summary.completion_rate, lang)}")
    usefulness = (
        usefulness_line(summary, lang) if summary.feedback_given else phrase("no_feedback", lang)
    )
    lines.append(f"{phrase('usefulness', lang)}{sep} {usefulness}")
    for section in SECTIONS:
        if section.field not in TEXT_SECTIONS:
            continue
        shown, _ = top(summary.counts(section), limit)
        items = ", ".join(
            f"{labels.name(section.dimension, k, lang)} {number(n, lang)}" for k, n in shown
        )
        lines.append(f"{phrase(section.title, lang)}{sep} {items or phrase('none', lang)}")
    if outcomes is not None:
        lines += outcome_lines(outcomes, labels, lang, limit)
    return "\n".join(lines)

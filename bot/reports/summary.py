"""The :class:`DemandSummary` of a period, from its counts (:mod:`bot.storage.aggregates`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.storage.aggregates import DemandCounts, Scope, demand_of

NOT_STATED = ""


@dataclass(frozen=True)
class Section:
    """One breakdown of a summary: its field, the kind of ids it counts, its title phrase."""

    field: str
    dimension: str
    title: str


SECTIONS = (
    Section("by_need", "needs", "needs"),
    Section("by_stage", "stages", "stages"),
    Section("by_legal_form", "legal_forms", "legal_forms"),
    Section("by_commune", "communes", "communes"),
    Section("by_source", "sources", "sources"),
    Section("recommended", "actors", "recommended"),
    Section("unmet_needs", "needs", "unmet_needs"),
)


@dataclass(frozen=True)
class DemandSummary:
    """What a period of the demand log says. Counts are sorted, largest first.

    A missing stage, legal form, commune or source is counted under :data:`NOT_STATED`, as is a
    conversation that stated no need. Weeks are ISO weeks (``2025-W07``) of the UTC start time,
    every week from the first to the last conversation present.
    """

    since: datetime | None
    until: datetime | None
    first: datetime | None
    last: datetime | None
    total: int
    completed: int
    abandoned: int
    restarted: int
    in_progress: int
    by_need: Mapping[str, int]
    by_stage: Mapping[str, int]
    by_legal_form: Mapping[str, int]
    by_commune: Mapping[str, int]
    by_source: Mapping[str, int]
    recommended: Mapping[str, int]
    unmet_needs: Mapping[str, int]
    useful: int
    not_useful: int
    no_feedback: int
    weekly: Mapping[str, int]
    weekly_by_need: Mapping[str, Mapping[str, int]]
    synthetic: bool

    @property
    def completion_rate(self) -> float | None:
        """Completed conversations over all conversations."""
        return self.completed / self.total if self.total else None

    @property
    def feedback_given(self) -> int:
        """Conversations where the user answered « Cette orientation vous aide-t-elle ? »."""
        return self.useful + self.not_useful

    @property
    def usefulness_rate(self) -> float | None:
        """Useful answers over all answers."""
        return self.useful / self.feedback_given if self.feedback_given else None

    @property
    def funnel(self) -> tuple[tuple[str, int], ...]:
        """``(phrase key, count)`` from started to completed, feedback given and useful."""
        return (
            ("funnel_started", self.total),
            ("funnel_completed", self.completed),
            ("funnel_feedback", self.feedback_given),
            ("funnel_useful", self.useful),
        )

    def counts(self, section: Section) -> Mapping[str, int]:
        """The counts of one :data:`SECTIONS` entry."""
        counts: Mapping[str, int] = getattr(self, section.field)
        return counts


def top(counts: Mapping[str, int], limit: int) -> tuple[list[tuple[str, int]], int]:
    """The ``limit`` largest entries of sorted ``counts``, and the sum of the rest."""
    items = list(counts.items())
    return items[:limit], sum(count for _, count in items[limit:])


def iso_week(day: date) -> str:
    """``2025-W07`` for any day of that ISO week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _all_weeks(days: Iterable[date]) -> list[str]:
    days = sorted(days)
    if not days:
        return []
    monday = days[0] - timedelta(days=days[0].weekday())
    weeks = []
    while monday <= days[-1]:
        weeks.append(iso_week(monday))
        monday += timedelta(days=7)
    return weeks


def summary_of(
    counts: DemandCounts, since: datetime | None = None, until: datetime | None = None
) -> DemandSummary:
    """The summary of the conversations ``counts`` counted (started in ``[since, until)``)."""
    by: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for (dimension, key), n in counts.keys.items():
        by[dimension][key] += n
    weekly: Counter[str] = Counter()
    weekly_by_need: dict[str, Counter[str]] = {}
    week_of: dict[date, str] = {}
    for (day, dimension, key), n in counts.days.items():
        week = week_of.get(day)
        if week is None:
            week = week_of[day] = iso_week(day)
            weekly_by_need.setdefault(week, Counter())
        if dimension == "outcome":
            weekly[week] += n
        elif key:
            weekly_by_need[week][key] += n
    outcomes, feedback = by["outcome"], by["feedback"]
    weeks = _all_weeks(week_of)
    return DemandSummary(
        since=since,
        until=until,
        first=counts.first,
        last=counts.last,
        total=outcomes.total(),
        completed=outcomes[Outcome.COMPLETED.value],
        abandoned=outcomes[Outcome.ABANDONED.value],
        restarted=outcomes[Outcome.RESTARTED.value],
        in_progress=outcomes[Outcome.IN_PROGRESS.value],
        by_need=_sorted(by["need"]),
        by_stage=_sorted(by["stage"]),
        by_legal_form=_sorted(by["legal_form"]),
        by_commune=_sorted(by["commune"]),
        by_source=_sorted(by["source"]),
        recommended=_sorted(by["recommended"]),
        unmet_needs=_sorted(by["unmet"]),
        useful=feedback[Feedback.USEFUL.value],
        not_useful=feedback[Feedback.NOT_USEFUL.value],
        no_feedback=feedback[""],
        weekly={week: weekly[week] for week in weeks},
        weekly_by_need={week: _sorted(weekly_by_need.get(week, Counter())) for week in weeks},
        synthetic=bool(by["synthetic"]),
    )


def summarise(
    records: Iterable[ConversationRecord],
    since: datetime | None = None,
    until: datetime | None = None,
) -> DemandSummary:
    """The summary of the records in memory started in ``[since, until)`` (aware datetimes)."""
    return summary_of(demand_of(records, Scope(since, until)), since, until)

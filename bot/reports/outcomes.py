"""What became of the orientations: follow-ups accepted and answered, structures reached,
hand-offs sent and delivered.

Built from the counts of ``bot/storage/aggregates.py``. The reach rate of a structure is
« reached and helped » over every answer but « not yet »; a structure that
:data:`FLAG_PEOPLE` or more people could not reach (« tried, no answer ») in the last
:data:`FLAG_DAYS` days is flagged « contact à vérifier ».
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from bot.followup.model import Answer, Status
from bot.reports.labels import Labels
from bot.reports.phrases import colon, number, percent, phrase, phrase_count
from bot.storage.aggregates import DemandCounts, Handed, OutcomeCounts, Uptake
from bot.storage.handoffs import Status as HandoffStatus

T = TypeVar("T")
R = TypeVar("R")

FLAG_PEOPLE = 2
FLAG_DAYS = 60
NOT_STATED = ""
GIVEN_UP = frozenset({HandoffStatus.REFUSED, HandoffStatus.GIVEN_UP})
"""Hand-offs that will not be delivered: refused by the server, or not delivered in a day."""


@dataclass(frozen=True)
class Reach:
    """The answers about one structure."""

    answers: Mapping[Answer, int]

    @property
    def tried(self) -> int:
        """Answers from people who tried to reach it (all but « not yet »)."""
        return sum(n for answer, n in self.answers.items() if answer is not Answer.NOT_YET)

    @property
    def rate(self) -> float | None:
        """Reached and helped, over every answer from someone who tried."""
        return self.answers.get(Answer.REACHED, 0) / self.tried if self.tried else None


@dataclass(frozen=True)
class Uptakes:
    """Orientations of one source or territory: follow-ups accepted, answered, reached."""

    accepted: int = 0
    answered: int = 0
    reached: int = 0


@dataclass(frozen=True)
class Deliveries:
    """Hand-offs of one structure, source or territory: sent, delivered, given up."""

    sent: int = 0
    delivered: int = 0
    given_up: int = 0

    @property
    def waiting(self) -> int:
        """Still queued: neither delivered nor given up yet."""
        return self.sent - self.delivered - self.given_up


@dataclass(frozen=True)
class Outcomes:
    """The outcome figures of a period."""

    started: int
    results: int
    offered: int
    accepted: int
    sent: int
    answered: int
    reached: int
    stopped: int
    by_actor: Mapping[str, Reach]
    by_source: Mapping[str, Uptakes]
    by_commune: Mapping[str, Uptakes]
    by_territory: Mapping[str, Uptakes] = field(default_factory=dict)
    to_verify: Mapping[str, int] = field(default_factory=dict)
    """Structures to check, with how many people could not reach them."""
    handoffs: Deliveries = Deliveries()
    handoffs_by_actor: Mapping[str, Deliveries] = field(default_factory=dict)
    handoffs_by_source: Mapping[str, Deliveries] = field(default_factory=dict)
    handoffs_by_territory: Mapping[str, Deliveries] = field(default_factory=dict)

    @property
    def funnel(self) -> tuple[tuple[str, int], ...]:
        """``(phrase key, count)``: started → results → follow-up answered → reached."""
        return (
            ("funnel_started", self.started),
            ("outcome_funnel_results", self.results),
            ("outcome_funnel_answered", self.answered),
            ("outcome_funnel_reached", self.reached),
        )


def flagged(unreached: Mapping[str, int]) -> dict[str, int]:
    """The structures that :data:`FLAG_PEOPLE` or more people could not reach, most first."""
    kept = {actor: n for actor, n in unreached.items() if n >= FLAG_PEOPLE}
    return dict(sorted(kept.items(), key=lambda item: (-item[1], item[0])))


def flag_window(now: datetime) -> tuple[datetime, datetime]:
    """The :data:`FLAG_DAYS` days up to ``now`` in which unanswered contacts are counted."""
    return now - timedelta(days=FLAG_DAYS), now


def _breakdown(
    counts: Mapping[T, int],
    key: Callable[[T], str | None],
    parts: Callable[[T], tuple[bool, bool, bool]],
    make: Callable[[int, int, int], R],
) -> dict[str, R]:
    """``counts`` added up by ``key`` into ``make`` of the three counts each item is ``parts``
    of, largest first count first."""
    tally: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item, n in counts.items():
        row = tally[key(item) or NOT_STATED]
        for index, part in enumerate(parts(item)):
            row[index] += n * part
    ordered = sorted(tally.items(), key=lambda item: (-item[1][0], item[0]))
    return {name: make(*row) for name, row in ordered}


def _uptakes(counts: Counter[Uptake], key: Callable[[Uptake], str | None]) -> dict[str, Uptakes]:
    def parts(u: Uptake) -> tuple[bool, bool, bool]:
        return u.status is not Status.DECLINED, u.answered, u.reached

    return _breakdown(counts, key, parts, Uptakes)


def _deliveries(
    counts: Counter[Handed], key: Callable[[Handed], str | None]
) -> dict[str, Deliveries]:
    def parts(h: Handed) -> tuple[bool, bool, bool]:
        return True, h.status is HandoffStatus.DELIVERED, h.status in GIVEN_UP

    return _breakdown(counts, key, parts, Deliveries)


def outcomes_of(
    demand: DemandCounts, counts: OutcomeCounts, unreached: Mapping[str, int] | None = None
) -> Outcomes:
    """The outcome figures of the orientations counted in ``demand`` and ``counts``;
    ``unreached``: per structure, the people who could not reach it (:func:`flag_window`)."""
    followups = counts.followups
    by_actor: defaultdict[str, dict[Answer, int]] = defaultdict(dict)
    for (actor, answer), n in sorted(counts.answers.items()):
        by_actor[actor][answer] = n
    actors = {actor: Reach(answers) for actor, answers in by_actor.items()}
    everything = _deliveries(counts.handoffs, lambda _: NOT_STATED).get(NOT_STATED)
    return Outcomes(
        started=demand.total,
        results=demand.keys["results", ""],
        offered=followups.total(),
        accepted=sum(n for u, n in followups.items() if u.status is not Status.DECLINED),
        sent=counts.sent,
        answered=sum(n for u, n in followups.items() if u.answered),
        reached=sum(n for u, n in followups.items() if u.reached),
        stopped=sum(n for u, n in followups.items() if u.status is Status.STOPPED),
        by_actor=dict(sorted(actors.items(), key=lambda item: (-item[1].tried, item[0]))),
        by_source=_uptakes(followups, lambda u: u.source),
        by_commune=_uptakes(followups, lambda u: u.commune),
        by_territory=_uptakes(followups, lambda u: u.territory),
        to_verify=flagged(unreached or {}),
        handoffs=everything or Deliveries(),
        handoffs_by_actor=_deliveries(counts.handoffs, lambda h: h.actor),
        handoffs_by_source=_deliveries(counts.handoffs, lambda h: h.source),
        handoffs_by_territory=_deliveries(counts.handoffs, lambda h: h.territory),
    )


def verify_lines(to_verify: Mapping[str, int], labels: Labels, lang: str = "fr") -> list[str]:
    """One « contact à vérifier » line per flagged structure."""
    return [
        phrase_count("outcome_verify", count, lang, name=labels.name("actors", actor, lang))
        for actor, count in to_verify.items()
    ]


def _item(key: str, fields: tuple[str, ...], lang: str) -> Callable[[str, object], str]:
    """A breakdown's item: the phrase ``key`` with its name and each of ``fields`` numbered."""

    def item(name: str, value: object) -> str:
        counts = {field: number(getattr(value, field), lang) for field in fields}
        return phrase(key, lang, name=name, **counts)

    return item


def _by_lines(
    heading_key: str,
    rows: tuple[tuple[str, str, Mapping[str, T]], ...],
    item: Callable[[str, T], str],
    labels: Labels,
    lang: str,
    limit: int,
) -> list[str]:
    """One line per breakdown: its heading, then its ``limit`` first items."""
    sep = colon(lang)
    lines = []
    for title, dimension, counts in rows:
        items = ", ".join(
            item(labels.name(dimension, key, lang), value)
            for key, value in list(counts.items())[:limit]
        )
        heading = phrase(heading_key, lang, what=phrase(title, lang).lower())
        lines.append(f"{heading}{sep} {items or phrase('none', lang)}")
    return lines


def handoff_lines(
    outcomes: Outcomes, labels: Labels | None = None, lang: str = "fr", limit: int = 5
) -> list[str]:
    """The hand-off lines: sent, delivered, given up and waiting, then per structure, source
    and territory."""
    labels = labels or Labels()
    total = outcomes.handoffs
    lines = [
        phrase(
            "outcome_handoffs",
            lang,
            sent=number(total.sent, lang),
            delivered=number(total.delivered, lang),
            given_up=number(total.given_up, lang),
            waiting=number(total.waiting, lang),
        )
    ]
    if not total.sent:
        return lines

    item = _item("outcome_handoff_item", ("sent", "delivered", "given_up"), lang)
    breakdowns = (
        ("structures", "actors", outcomes.handoffs_by_actor),
        ("sources", "sources", outcomes.handoffs_by_source),
        ("territories", "territories", outcomes.handoffs_by_territory),
    )
    return lines + _by_lines("outcome_handoffs_by", breakdowns, item, labels, lang, limit)


def outcome_lines(
    outcomes: Outcomes, labels: Labels | None = None, lang: str = "fr", limit: int = 5
) -> list[str]:
    """The outcome lines of the text report, ``/stats`` and the weekly digest."""
    labels = labels or Labels()
    sep = colon(lang)
    lines = [
        phrase(
            "outcome_followups",
            lang,
            accepted=number(outcomes.accepted, lang),
            offered=number(outcomes.offered, lang),
            answered=number(outcomes.answered, lang),
            reached=number(outcomes.reached, lang),
        ),
        f"{phrase('funnel', lang)}{sep} "
        + " → ".join(f"{phrase(k, lang)} {number(n, lang)}" for k, n in outcomes.funnel),
    ]
    reach = [
        phrase(
            "outcome_reach_item",
            lang,
            name=labels.name("actors", actor, lang),
            rate=percent(r.rate, lang),
            reached=number(r.answers.get(Answer.REACHED, 0), lang),
            no_answer=number(r.answers.get(Answer.NO_ANSWER, 0), lang),
            wrong=number(r.answers.get(Answer.WRONG, 0), lang),
        )
        for actor, r in list(outcomes.by_actor.items())[:limit]
    ]
    lines.append(f"{phrase('outcome_reach', lang)}{sep} {', '.join(reach) or phrase('none', lang)}")

    uptake = _item("outcome_uptake_item", ("accepted", "answered", "reached"), lang)
    breakdowns = (
        ("sources", "sources", outcomes.by_source),
        ("communes", "communes", outcomes.by_commune),
        ("territories", "territories", outcomes.by_territory),
    )
    lines += _by_lines("outcome_by", breakdowns, uptake, labels, lang, limit)
    lines += handoff_lines(outcomes, labels, lang, limit)
    lines += verify_lines(outcomes.to_verify, labels, lang)
    return lines


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]], lang: str) -> str:
    """A table under the phrases ``head``; empty without rows."""
    escape = html.escape
    if not rows:
        return ""
    heading = "".join(f"<th>{escape(phrase(key, lang))}</th>" for key in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{heading}</tr>{body}</table>"


REACH_HEAD = (
    "recommended",
    "outcome_reached",
    "outcome_no_answer",
    "outcome_not_yet",
    "outcome_wrong",
    "outcome_rate",
)
HANDOFF_HEAD = (
    "structures",
    "outcome_handoff_sent",
    "outcome_handoff_delivered",
    "outcome_handoff_given_up",
)


def outcome_html(outcomes: Outcomes, labels: Labels | None = None, lang: str = "fr") -> str:
    """The outcome section of the HTML report: the figures, then a table per structure of the
    answers, and one of the hand-offs."""
    labels = labels or Labels()
    escape = html.escape
    items = "".join(f"<li>{escape(line)}</li>" for line in outcome_lines(outcomes, labels, lang))
    answers = (Answer.REACHED, Answer.NO_ANSWER, Answer.NOT_YET, Answer.WRONG)
    reach = [
        (
            labels.name("actors", actor, lang),
            *(number(r.answers.get(answer, 0), lang) for answer in answers),
            percent(r.rate, lang),
        )
        for actor, r in outcomes.by_actor.items()
    ]
    handed = [
        (
            labels.name("actors", actor, lang),
            *(number(n, lang) for n in (d.sent, d.delivered, d.given_up)),
        )
        for actor, d in outcomes.handoffs_by_actor.items()
    ]
    tables = _table(REACH_HEAD, reach, lang) + _table(HANDOFF_HEAD, handed, lang)
    return f"<section><h2>{escape(phrase('outcomes', lang))}</h2><ul>{items}</ul>{tables}</section>"

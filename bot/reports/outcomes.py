"""What became of the orientations: follow-ups accepted and answered, structures reached.

Read from the follow-ups of the conversations of a period (``bot/storage/followups.py``).
The reach rate of a structure is « reached and helped » over every answer but « not yet »;
a structure that :data:`FLAG_PEOPLE` or more people could not reach (« tried, no answer »)
in the last :data:`FLAG_DAYS` days is flagged « contact à vérifier ».
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.records import ConversationRecord
from bot.followup.model import Answer, Given, Offered, Status
from bot.reports.labels import Labels
from bot.reports.phrases import number, percent, phrase
from bot.storage.followups import FollowupStore

FLAG_PEOPLE = 2
FLAG_DAYS = 60
NOT_STATED = ""


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
class Uptake:
    """Orientations of one source or territory: follow-ups accepted, answered, reached."""

    accepted: int = 0
    answered: int = 0
    reached: int = 0


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
    by_source: Mapping[str, Uptake]
    by_commune: Mapping[str, Uptake]
    to_verify: Mapping[str, int] = field(default_factory=dict)
    """Structures to check, with how many people could not reach them."""
    by_conversation: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Per conversation id: the follow-up's status and its answers (``actor:answer;…``), the
    two CSV cells."""

    @property
    def funnel(self) -> tuple[tuple[str, int], ...]:
        """``(phrase key, count)``: started → results → follow-up answered → reached."""
        return (
            ("funnel_started", self.started),
            ("outcome_funnel_results", self.results),
            ("outcome_funnel_answered", self.answered),
            ("outcome_funnel_reached", self.reached),
        )


def unreachable(given: Iterable[Given], now: datetime) -> dict[str, int]:
    """Structures that :data:`FLAG_PEOPLE` or more people could not reach in the last
    :data:`FLAG_DAYS` days, with that number of people, most first."""
    since = now - timedelta(days=FLAG_DAYS)
    people: defaultdict[str, set[str]] = defaultdict(set)
    for answer in given:
        if answer.answer is Answer.NO_ANSWER and since <= answer.at <= now:
            people[answer.actor].add(answer.user)
    flagged = {actor: len(users) for actor, users in people.items() if len(users) >= FLAG_PEOPLE}
    return dict(sorted(flagged.items(), key=lambda item: (-item[1], item[0])))


def _uptakes(counts: Mapping[str, list[int]]) -> dict[str, Uptake]:
    rows = {key: Uptake(*c) for key, c in counts.items()}
    return dict(sorted(rows.items(), key=lambda item: (-item[1].accepted, item[0])))


def summarise_outcomes(
    records: Iterable[ConversationRecord],
    followups: Iterable[Offered],
    given: Iterable[Given],
    to_verify: Mapping[str, int] | None = None,
) -> Outcomes:
    """The outcomes of the conversations ``records`` (follow-ups of others are ignored)."""
    started = results = 0
    origin: dict[str, tuple[str, str]] = {}
    for record in records:
        started += 1
        results += bool(record.recommended)
        origin[record.id] = (record.source or NOT_STATED, record.commune or NOT_STATED)
    answers: defaultdict[str, list[tuple[str, Answer]]] = defaultdict(list)
    by_actor: defaultdict[str, Counter[Answer]] = defaultdict(Counter)
    for answer in given:
        if answer.conversation_id in origin:
            answers[answer.conversation_id].append((answer.actor, answer.answer))
            by_actor[answer.actor][answer.answer] += 1
    cells: dict[str, tuple[str, str]] = {}
    offered = accepted = sent = answered = reached = stopped = 0
    by_source: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_commune: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for conversation_id, status, count in followups:
        where = origin.get(conversation_id)
        if where is None:
            continue
        said = answers.get(conversation_id, [])
        cells[conversation_id] = (
            status.value,
            ";".join(f"{actor}:{answer.value}" for actor, answer in sorted(said)),
        )
        took = status is not Status.DECLINED
        replied = bool(said)
        helped = any(answer is Answer.REACHED for _, answer in said)
        offered += 1
        accepted += took
        sent += count
        answered += replied
        reached += helped
        stopped += status is Status.STOPPED
        for tally in (by_source[where[0]], by_commune[where[1]]):
            tally[0] += took
            tally[1] += replied
            tally[2] += helped
    actors = {actor: Reach(dict(counts)) for actor, counts in by_actor.items()}
    return Outcomes(
        started=started,
        results=results,
        offered=offered,
        accepted=accepted,
        sent=sent,
        answered=answered,
        reached=reached,
        stopped=stopped,
        by_actor=dict(sorted(actors.items(), key=lambda item: (-item[1].tried, item[0]))),
        by_source=_uptakes(by_source),
        by_commune=_uptakes(by_commune),
        to_verify=dict(to_verify or {}),
        by_conversation=cells,
    )


async def load_outcomes(
    store: FollowupStore,
    records: Sequence[ConversationRecord],
    since: datetime | None,
    now: datetime,
) -> Outcomes:
    """The outcomes of ``records`` (conversations started since ``since``), read from ``store``,
    with the structures to check as of ``now``."""
    followups, given = await store.period(since)
    recent = await store.answered_since(now - timedelta(days=FLAG_DAYS))
    return summarise_outcomes(records, followups, given, unreachable(recent, now))


def verify_lines(to_verify: Mapping[str, int], labels: Labels, lang: str = "fr") -> list[str]:
    """One « contact à vérifier » line per flagged structure."""
    return [
        phrase("outcome_verify", lang, name=labels.name("actors", actor, lang), count=count)
        for actor, count in to_verify.items()
    ]


def outcome_lines(
    outcomes: Outcomes, labels: Labels | None = None, lang: str = "fr", limit: int = 5
) -> list[str]:
    """The outcome lines of the text report, ``/stats`` and the weekly digest."""
    labels = labels or Labels()
    sep = "\u00a0:" if lang == "fr" else ":"
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
    for title, dimension, uptakes in (
        ("sources", "sources", outcomes.by_source),
        ("communes", "communes", outcomes.by_commune),
    ):
        items = ", ".join(
            phrase(
                "outcome_uptake_item",
                lang,
                name=labels.name(dimension, key, lang),
                accepted=number(u.accepted, lang),
                answered=number(u.answered, lang),
                reached=number(u.reached, lang),
            )
            for key, u in list(uptakes.items())[:limit]
        )
        heading = phrase("outcome_by", lang, what=phrase(title, lang).lower())
        lines.append(f"{heading}{sep} {items or phrase('none', lang)}")
    lines += verify_lines(outcomes.to_verify, labels, lang)
    return lines


def outcome_html(outcomes: Outcomes, labels: Labels | None = None, lang: str = "fr") -> str:
    """The outcome section of the HTML report: the figures, then a table per structure."""
    labels = labels or Labels()
    escape = html.escape
    items = "".join(f"<li>{escape(line)}</li>" for line in outcome_lines(outcomes, labels, lang))
    columns = ("recommended", "outcome_reached", "outcome_no_answer", "outcome_not_yet")
    head = "".join(
        f"<th>{escape(phrase(key, lang))}</th>"
        for key in (*columns, "outcome_wrong", "outcome_rate")
    )
    rows = "".join(
        f"<tr><td>{escape(labels.name('actors', actor, lang))}</td>"
        + "".join(
            f"<td>{number(r.answers.get(answer, 0), lang)}</td>"
            for answer in (Answer.REACHED, Answer.NO_ANSWER, Answer.NOT_YET, Answer.WRONG)
        )
        + f"<td>{escape(percent(r.rate, lang))}</td></tr>"
        for actor, r in outcomes.by_actor.items()
    )
    table = f"<table><tr>{head}</tr>{rows}</table>" if rows else ""
    title = escape(phrase("outcomes", lang))
    return f"<section><h2>{title}</h2><ul>{items}</ul>{table}</section>"

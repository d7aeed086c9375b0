"""The reports' SQL: the demand log and what became of it, counted by ``GROUP BY``.

No query returns one row per conversation except :func:`export`, which streams them in
batches. Each count is keyed by the stored values it groups (``None`` where nothing was
stored); ``bot/reports`` turns them into figures. The report indexes (migration 8) begin with
``territory``, so every query groups by it first and walks an index instead of sorting the
table; the territories are then added up here.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import aiosqlite

from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.followup.model import Answer, Status
from bot.storage.handoffs import Status as HandoffStatus
from bot.storage.rows import COLUMNS, from_row, iso
from bot.storage.rows import _tuple as _array

EXPORT_BATCH = 2_000
NARROW = 0.3
"""A period holding less than this share of the rows is read through its time range."""


@dataclass(frozen=True)
class Scope:
    """Which conversations a report counts: those started in ``[since, until)`` (no bound when
    ``None``), of one ``territory`` when given."""

    since: datetime | None = None
    until: datetime | None = None
    territory: str | None = None

    def where(self, table: str = "") -> tuple[str, list[str]]:
        """The ``WHERE`` clause (empty when unbounded) and its parameters."""
        prefix = f"{table}." if table else ""
        bounds = (
            (f"{prefix}territory = ?", self.territory),
            (f"{prefix}started_at >= ?", iso(self.since) if self.since else None),
            (f"{prefix}started_at < ?", iso(self.until) if self.until else None),
        )
        kept = [(clause, value) for clause, value in bounds if value is not None]
        if not kept:
            return "", []
        return " WHERE " + " AND ".join(c for c, _ in kept), [v for _, v in kept]

    def holds(self, record: ConversationRecord) -> bool:
        """Whether ``record`` is one of these conversations."""
        return (
            (self.since is None or record.started_at >= self.since)
            and (self.until is None or record.started_at < self.until)
            and (self.territory is None or record.territory == self.territory)
        )


class Day(NamedTuple):
    """What the weekly and ending figures group: the UTC day a conversation started, how it
    ended, its feedback, whether it is demo data, its needs."""

    day: date
    outcome: Outcome
    feedback: Feedback | None
    synthetic: bool
    needs: tuple[str, ...]


class Profile(NamedTuple):
    """Who came, and from where."""

    stage: str | None
    legal_form: str | None
    source: str | None
    commune: str | None


class Results(NamedTuple):
    """What the bot recommended and which needs it could not cover."""

    recommended: tuple[str, ...]
    unmet_needs: tuple[str, ...]


@dataclass(frozen=True)
class DemandCounts:
    """The conversations of a scope, counted: how many share each :class:`Day`,
    :class:`Profile` and :class:`Results`; ``first`` and ``last`` start times."""

    first: datetime | None = None
    last: datetime | None = None
    days: Counter[Day] = field(default_factory=Counter)
    profiles: Counter[Profile] = field(default_factory=Counter)
    results: Counter[Results] = field(default_factory=Counter)


class Uptake(NamedTuple):
    """Where the follow-ups of one orientation stand: its source, commune, territory, status,
    whether any answer came and whether one said « reached »."""

    source: str | None
    commune: str | None
    territory: str | None
    status: Status
    answered: bool
    reached: bool


class Handed(NamedTuple):
    """One group of hand-offs: the structure, the orientation's source and territory, the
    delivery status."""

    actor: str
    source: str | None
    territory: str | None
    status: HandoffStatus


@dataclass(frozen=True)
class OutcomeCounts:
    """What became of the orientations of a scope, counted."""

    followups: Counter[Uptake] = field(default_factory=Counter)
    """Orientations whose follow-up was offered, by :class:`Uptake`."""
    sent: int = 0
    """Follow-up messages sent."""
    answers: Counter[tuple[str, Answer]] = field(default_factory=Counter)
    """Answers, by structure and answer."""
    handoffs: Counter[Handed] = field(default_factory=Counter)


ExportRow = tuple[ConversationRecord, str, str]
"""A conversation, its follow-up status (empty when none was offered) and its answers
(``actor:answer;…``)."""


def demand_of(records: Iterable[ConversationRecord], scope: Scope) -> DemandCounts:
    """The same counts as :func:`demand`, from records in memory."""
    days: Counter[Day] = Counter()
    profiles: Counter[Profile] = Counter()
    results: Counter[Results] = Counter()
    starts = []
    for r in records:
        if not scope.holds(r):
            continue
        starts.append(r.started_at)
        days[Day(_utc_day(r.started_at), r.outcome, r.feedback, r.synthetic, r.needs)] += 1
        profiles[Profile(r.stage, r.legal_form, r.source, r.commune)] += 1
        results[Results(r.recommended, r.unmet_needs)] += 1
    return DemandCounts(
        min(starts, default=None), max(starts, default=None), days, profiles, results
    )


def _utc_day(moment: datetime) -> date:
    return date.fromisoformat(iso(moment)[:10])


async def _rows(db: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> Iterable[Any]:
    return await db.execute_fetchall(sql, params)


async def _count(db: aiosqlite.Connection, scope: Scope) -> int:
    where, params = scope.where()
    ((count,),) = await _rows(db, f"SELECT COUNT(*) FROM conversations{where}", params)
    return int(count)


async def _table(db: aiosqlite.Connection, scope: Scope) -> str:
    """Where the grouped queries read: the report indexes, walked whole (of the territory);
    or, when the period holds less than :data:`NARROW` of those rows, only the period's
    range of its start-time index, its few rows then sorted (``INDEXED BY``)."""
    if scope.since is None and scope.until is None:
        return "conversations"
    whole = await _count(db, Scope(territory=scope.territory))
    if await _count(db, scope) >= whole * NARROW:
        return "conversations"
    index = "conversations_territory" if scope.territory else "conversations_started_at"
    return f"conversations INDEXED BY {index}"


async def demand(db: aiosqlite.Connection, scope: Scope) -> DemandCounts:
    """Count the conversations of ``scope``: three grouped queries on the report indexes, and
    the first and last start; the groups are decoded in a thread, off the event loop."""
    where, params = scope.where()
    table = await _table(db, scope)
    days = await _rows(
        db,
        "SELECT substr(started_at, 1, 10), outcome, feedback, synthetic, needs, COUNT(*)"
        f" FROM {table}{where} GROUP BY territory, 1, 2, 3, 4, 5",
        params,
    )
    profiles = await _rows(
        db,
        "SELECT stage, legal_form, source, commune, COUNT(*)"
        f" FROM {table}{where} GROUP BY territory, 1, 2, 3, 4",
        params,
    )
    results = await _rows(
        db,
        f"SELECT recommended, unmet_needs, COUNT(*) FROM {table}{where} GROUP BY territory, 1, 2",
        params,
    )
    bounds = await _rows(
        db, f"SELECT MIN(started_at), MAX(started_at) FROM conversations{where}", params
    )
    return await asyncio.to_thread(_demand, days, profiles, results, bounds)


def _demand(
    days: Iterable[Any], profiles: Iterable[Any], results: Iterable[Any], bounds: Iterable[Any]
) -> DemandCounts:
    """The :class:`DemandCounts` of the rows of :func:`demand`'s queries."""
    outcomes = {o.value: o for o in Outcome}
    feedbacks = {f.value: f for f in Feedback}
    first, last = (datetime.fromisoformat(b) if b else None for b in next(iter(bounds)))
    counts = DemandCounts(first, last)
    for day, outcome, feedback, synthetic, needs, n in days:
        key = Day(
            date.fromisoformat(day),
            outcomes[outcome],
            feedbacks[feedback] if feedback else None,
            bool(synthetic),
            _array(needs),
        )
        counts.days[key] += n
    for stage, form, source, commune, n in profiles:
        counts.profiles[Profile(stage, form, source, commune)] += n
    for recommended, unmet, n in results:
        counts.results[Results(_array(recommended), _array(unmet))] += n
    return counts


async def outcomes(db: aiosqlite.Connection, scope: Scope) -> OutcomeCounts:
    """Count the follow-ups, their answers and the hand-offs of the orientations of ``scope``.

    Each query walks the smaller table and finds each row's conversation by its key
    (``CROSS JOIN`` keeps SQLite from walking a territory's conversations instead)."""
    where, params = scope.where("c")
    answered = (
        "EXISTS (SELECT 1 FROM followup_answers AS a WHERE a.conversation_id = f.conversation_id{})"
    )
    followups: Counter[Uptake] = Counter()
    sent = 0
    for source, commune, territory, status, replied, helped, count, messages in await _rows(
        db,
        "SELECT c.source, c.commune, c.territory, f.status,"
        f" {answered.format('')}, {answered.format(' AND a.answer = ?')}, COUNT(*), SUM(f.sent)"
        " FROM followups AS f CROSS JOIN conversations AS c ON c.id = f.conversation_id"
        f"{where} GROUP BY 1, 2, 3, 4, 5, 6",
        [Answer.REACHED.value, *params],
    ):
        followups[
            Uptake(source, commune, territory, Status(status), bool(replied), bool(helped))
        ] += count
        sent += messages
    answers: Counter[tuple[str, Answer]] = Counter()
    for actor, answer, count in await _rows(
        db,
        "SELECT a.actor, a.answer, COUNT(*) FROM followup_answers AS a"
        f" CROSS JOIN conversations AS c ON c.id = a.conversation_id{where} GROUP BY 1, 2",
        params,
    ):
        answers[(actor, Answer(answer))] = count
    handoffs: Counter[Handed] = Counter()
    for actor, source, territory, status, count in await _rows(
        db,
        "SELECT h.actor, c.source, c.territory, h.status, COUNT(*) FROM handoffs AS h"
        f" CROSS JOIN conversations AS c ON c.id = h.conversation{where} GROUP BY 1, 2, 3, 4",
        params,
    ):
        handoffs[Handed(actor, source, territory, HandoffStatus(status))] = count
    return OutcomeCounts(followups, sent, answers, handoffs)


async def unreached(
    db: aiosqlite.Connection, since: datetime, until: datetime, territory: str | None
) -> dict[str, int]:
    """Per structure, how many people answered « tried, no answer » in ``[since, until]``
    (about orientations of ``territory`` when given)."""
    join, params = "", [Answer.NO_ANSWER.value, iso(since), iso(until)]
    if territory is not None:
        join = " CROSS JOIN conversations AS c ON c.id = a.conversation_id AND c.territory = ?"
        params.insert(0, territory)
    rows = await _rows(
        db,
        f"SELECT a.actor, COUNT(DISTINCT a.user) FROM followup_answers AS a{join}"
        " WHERE a.answer = ? AND a.at >= ? AND a.at <= ? GROUP BY a.actor",
        params,
    )
    return {str(actor): int(people) for actor, people in rows}


async def export(
    db: aiosqlite.Connection, scope: Scope, write: Callable[[list[ExportRow]], None]
) -> int:
    """Hand every conversation of ``scope`` to ``write`` with its follow-up cells, oldest
    first, :data:`EXPORT_BATCH` at a time; return how many there were."""
    where, params = scope.where("c")
    columns = ", ".join(f"c.{column}" for column in COLUMNS)
    sql = (
        f"SELECT {columns}, COALESCE(f.status, ''),"
        " (SELECT COALESCE(group_concat(a.actor || ':' || a.answer, ';'), '')"
        "  FROM followup_answers AS a WHERE a.conversation_id = c.id)"
        " FROM conversations AS c LEFT JOIN followups AS f ON f.conversation_id = c.id"
        f"{where} ORDER BY c.started_at, c.id"
    )
    total = 0
    width = len(COLUMNS)
    async with db.execute(sql, params) as cursor:
        while batch := list(await cursor.fetchmany(EXPORT_BATCH)):
            write([(from_row(row[:width]), row[width], row[width + 1]) for row in batch])
            total += len(batch)
    return total

"""The reports' SQL: the demand log and what became of it, counted by ``GROUP BY``.

No query returns one row per conversation except :func:`export`, which streams them in
batches, and the few rows of a part of a day at a period's ends. The demand is read from
``report_counts`` (migration 9): what the conversations of each day before today add to, per
territory, key and UTC day, counted the first time a report reads the day (a day a
transaction), then kept exact by triggers; ``bot/reports`` turns it into figures.

Every function but :func:`export` is one call on the storage's thread
(:meth:`bot.storage.Storage._on_thread`): its queries and the rows made into counts there, never
on the event loop.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

import aiosqlite

from bot.core.records import ConversationRecord
from bot.followup.model import Answer, Status
from bot.storage.handoffs import Status as HandoffStatus
from bot.storage.rows import COLUMNS, from_row, iso
from bot.storage.schema import COUNTED, report_keys

EXPORT_BATCH = 2_000
ONE_DAY = timedelta(days=1)
COUNTED_AT_ONCE = 1
"""Days not counted yet that one transaction counts: a log of a million conversations a year
has about 2,700 a day, counted in a quarter of a second on a loaded machine."""


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


WEEKLY = ("outcome", "need")
"""The dimensions also counted per day: every conversation once (its outcome), and its needs."""


@dataclass(frozen=True)
class DemandCounts:
    """The conversations of a scope, counted per ``(dimension, key)`` of
    :data:`~bot.storage.schema.REPORT_KEYS` (``""`` where nothing was stated), and per
    ``(day, dimension, key)`` for the :data:`WEEKLY` dimensions; ``first`` and ``last``
    start times."""

    first: datetime | None = None
    last: datetime | None = None
    keys: Counter[tuple[str, str]] = field(default_factory=Counter)
    days: Counter[tuple[date, str, str]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """How many conversations (each has one outcome)."""
        return sum(n for (dimension, _), n in self.keys.items() if dimension == "outcome")


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


def keys_of(record: ConversationRecord) -> Iterator[tuple[str, str]]:
    """The ``(dimension, key)`` counts ``record`` adds to, as migration 9's triggers count it
    (:data:`~bot.storage.schema.REPORT_KEYS`)."""
    yield "outcome", record.outcome.value
    yield "feedback", record.feedback.value if record.feedback else ""
    yield from (("need", need) for need in record.needs or ("",))
    yield "stage", record.stage or ""
    yield "legal_form", record.legal_form or ""
    yield "source", record.source or ""
    yield "commune", record.commune or ""
    yield from (("recommended", actor) for actor in record.recommended)
    if record.recommended:
        yield "results", ""
    yield from (("unmet", need) for need in record.unmet_needs)
    if record.synthetic:
        yield "synthetic", ""


def demand_of(records: Iterable[ConversationRecord], scope: Scope) -> DemandCounts:
    """The same counts as :func:`demand`, from records in memory."""
    keys: Counter[tuple[str, str]] = Counter()
    days: Counter[tuple[date, str, str]] = Counter()
    starts = []
    for r in records:
        if not scope.holds(r):
            continue
        starts.append(r.started_at)
        day = _utc_day(r.started_at)
        for dimension, key in keys_of(r):
            keys[dimension, key] += 1
            if dimension in WEEKLY:
                days[day, dimension, key] += 1
    return DemandCounts(min(starts, default=None), max(starts, default=None), keys, days)


def _utc_day(moment: datetime) -> date:
    return date.fromisoformat(iso(moment)[:10])


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _rows(
    db: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any]
) -> Iterable[Any]:
    return db.execute(sql, params).fetchall()


def split_days(scope: Scope) -> tuple[date | None, date | None, list[Scope]]:
    """The whole UTC days ``[first, end)`` of ``scope`` (None: no bound), and the scopes of
    what remains at either end, parts of a day (empty when the bounds fall at midnight)."""
    since, until = scope.since, scope.until
    first = None if since is None else _utc_day(since - timedelta(microseconds=1)) + ONE_DAY
    end = None if until is None else _utc_day(until)
    if first is not None and end is not None and first >= end:
        return first, first, [scope] if scope.since < scope.until else []  # type: ignore[operator]
    edges = []
    if since is not None and first is not None and since < _midnight(first):
        edges.append(replace(scope, until=_midnight(first)))
    if until is not None and end is not None and _midnight(end) < until:
        edges.append(replace(scope, since=_midnight(end)))
    return first, end, edges


def _past_days(scope: Scope) -> tuple[date | None, date, list[Scope]]:
    """:func:`split_days`, the days from today on left to the parts counted from their rows."""
    first, end, edges = split_days(scope)
    today = _utc_day(datetime.now(UTC))
    if end is None or (end > today and (first is None or first < end)):
        cut = today if first is None else max(first, today)
        until = scope.until if end is None else _midnight(end)
        edges.append(Scope(_midnight(cut), until, scope.territory))
        end = cut
    return first, end, edges


def count_days(db: sqlite3.Connection, scope: Scope, most: int) -> bool:
    """Count at most ``most`` of the whole days before today of ``scope`` not counted yet
    (those :func:`demand` counts first), :data:`COUNTED_AT_ONCE` a transaction; whether some
    are left."""
    first, end, _ = _past_days(scope)
    if first is None:
        low, _ = _bounds(db, scope)
        first = _utc_day(low) if low else None
    if first is None or first >= end:
        return False
    return _count_days(db, first, end, most)


def demand(db: sqlite3.Connection, scope: Scope) -> DemandCounts:
    """Count the conversations of ``scope``: its whole days before today from
    ``report_counts`` (the days not counted yet counted first, once), per key on its key's
    order (per territory, then added up) and per day for the :data:`WEEKLY` keys; today and
    the parts of a day at its ends from their rows, by the same keys in SQL; the first and
    last start through the start-time indexes."""
    first, end, edges = _past_days(scope)
    counts = DemandCounts(*_bounds(db, scope))
    start = first or (_utc_day(counts.first) if counts.first else None)
    if start is None or start >= end:
        return _add_edges(db, counts, edges)
    _count_days(db, start, end)
    where, params = _where(
        ("territory = ?", scope.territory),
        ("day >= ?", start.isoformat()),
        ("day < ?", end.isoformat()),
    )
    for dimension, key, n in _rows(
        db,
        f"SELECT dimension, key, SUM(tally) FROM report_counts{where}"
        " GROUP BY territory, dimension, key HAVING SUM(tally) > 0",
        params,
    ):
        counts.keys[dimension, key] += n
    for day, dimension, key, n in _rows(
        db,
        f"SELECT day, dimension, key, SUM(tally) FROM report_counts{where}"
        f" AND dimension IN {WEEKLY!r} GROUP BY day, dimension, key HAVING SUM(tally) > 0",
        params,
    ):
        counts.days[date.fromisoformat(day), dimension, key] += n
    return _add_edges(db, counts, edges)


_WEEKLY_DAY = f"CASE WHEN dimension IN {WEEKLY!r} THEN day END"
"""The day of a count of a :data:`WEEKLY` dimension, NULL for the others (summed over days)."""


def _where(*clauses: tuple[str, object]) -> tuple[str, list[object]]:
    """``WHERE`` and the clauses whose value is not None, and those values."""
    kept = [(clause, value) for clause, value in clauses if value is not None]
    if not kept:
        return "", []
    return " WHERE " + " AND ".join(c for c, _ in kept), [v for _, v in kept]


def _counting(where: str, select: str) -> str:
    """``SELECT select`` over the ``(territory, dimension, key, day)`` keys of the
    conversations ``c`` matching ``where``, those rows read once (then walked once a key)."""
    keys = report_keys("c", "true", table="picked")
    return (
        f"WITH picked AS MATERIALIZED (SELECT * FROM conversations AS c WHERE {where})"
        f" SELECT {select} FROM ({keys})"
    )


def _add(counts: DemandCounts, rows: Iterable[Any]) -> None:
    """Add the ``(dimension, key, day or NULL, count)`` rows to ``counts``."""
    keys, days = counts.keys, counts.days
    for dimension, key, day, n in rows:
        keys[dimension, key] += n
        if day is not None:
            days[date.fromisoformat(day), dimension, key] += n


def _add_edges(
    db: sqlite3.Connection, counts: DemandCounts, edges: Sequence[Scope]
) -> DemandCounts:
    """Add to ``counts`` the conversations of ``edges`` (a day or less each), counted from
    their rows by the same keys as ``report_counts``."""
    for edge in edges:
        bounds = {
            "territory": edge.territory,
            "since": iso(edge.since) if edge.since else None,
            "until": iso(edge.until) if edge.until else None,
        }
        where = " AND ".join(
            f"c.{column} {operator} :{name}"
            for column, operator, name in (
                ("territory", "=", "territory"),
                ("started_at", ">=", "since"),
                ("started_at", "<", "until"),
            )
            if bounds[name] is not None
        )
        counting = _counting(where or "true", f"dimension, key, {_WEEKLY_DAY}, COUNT(*)")
        _add(counts, _rows(db, counting + " GROUP BY 1, 2, 3", bounds))
    return counts


def _count_days(db: sqlite3.Connection, first: date, end: date, most: int | None = None) -> bool:
    """Count into ``report_counts`` the days of ``[first, end)`` not counted yet (the first
    ``most`` of them when given), :data:`COUNTED_AT_ONCE` days a transaction; from then on the
    triggers of migration 9 keep their counts. Whether some are left."""
    span = (end - first).days
    counted = {
        day
        for (day,) in _rows(
            db,
            "SELECT day FROM report_days WHERE day >= ? AND day < ?",
            [first.isoformat(), end.isoformat()],
        )
    }
    missing = [
        d for d in (first + n * ONE_DAY for n in range(span)) if d.isoformat() not in counted
    ]
    where = f"c.started_at >= :low AND c.started_at < :high AND NOT {COUNTED.replace('{r}', 'c')}"
    todo = missing if most is None else missing[:most]
    for at in range(0, len(todo), COUNTED_AT_ONCE):
        days = todo[at : at + COUNTED_AT_ONCE]
        bounds = {"low": days[0].isoformat(), "high": (days[-1] + ONE_DAY).isoformat()}
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "INSERT INTO report_counts (territory, dimension, key, day, tally) "
                + _counting(where, "territory, dimension, key, day, COUNT(*)")
                + " GROUP BY 1, 2, 3, 4",
                bounds,
            )
            db.executemany(
                "INSERT INTO report_days (day) VALUES (?)", [(d.isoformat(),) for d in days]
            )
            db.commit()
        except BaseException:
            db.rollback()
            raise
    return len(todo) < len(missing)


def _bounds(db: sqlite3.Connection, scope: Scope) -> tuple[datetime | None, datetime | None]:
    """The first and last start of ``scope``: each one seek in a start-time index."""
    where, params = scope.where()
    ((low, high),) = _rows(
        db,
        f"SELECT (SELECT MIN(started_at) FROM conversations{where}),"
        f" (SELECT MAX(started_at) FROM conversations{where})",
        [*params, *params],
    )
    return (
        datetime.fromisoformat(low) if low else None,
        datetime.fromisoformat(high) if high else None,
    )


def outcomes(db: sqlite3.Connection, scope: Scope) -> OutcomeCounts:
    """Count the follow-ups, their answers and the hand-offs of the orientations of ``scope``.

    Each query walks the smaller table and finds each row's conversation in the index
    ``conversations_outcomes`` (migration 9), which holds what they read of it (``CROSS JOIN``
    keeps SQLite from walking a territory's conversations instead); the answers of each
    orientation are one flag: none (NULL), answered (1), one said « reached » (2)."""
    where, params = scope.where("c")
    followups: Counter[Uptake] = Counter()
    sent = 0
    for source, commune, territory, status, replied, count, messages in _rows(
        db,
        "SELECT c.source, c.commune, c.territory, f.status, a.replied, COUNT(*), SUM(f.sent)"
        " FROM followups AS f CROSS JOIN conversations AS c ON c.id = f.conversation_id"
        " LEFT JOIN (SELECT conversation_id, 1 + MAX(answer = ?) AS replied"
        "  FROM followup_answers GROUP BY conversation_id) AS a"
        f" ON a.conversation_id = f.conversation_id{where} GROUP BY 1, 2, 3, 4, 5",
        [Answer.REACHED.value, *params],
    ):
        uptake = Uptake(source, commune, territory, Status(status), bool(replied), replied == 2)
        followups[uptake] += count
        sent += messages
    answers: Counter[tuple[str, Answer]] = Counter()
    for actor, answer, count in _rows(
        db,
        "SELECT a.actor, a.answer, COUNT(*) FROM followup_answers AS a"
        f" CROSS JOIN conversations AS c ON c.id = a.conversation_id{where} GROUP BY 1, 2",
        params,
    ):
        answers[(actor, Answer(answer))] = count
    handoffs: Counter[Handed] = Counter()
    for actor, source, territory, status, count in _rows(
        db,
        "SELECT h.actor, c.source, c.territory, h.status, COUNT(*) FROM handoffs AS h"
        f" CROSS JOIN conversations AS c ON c.id = h.conversation{where} GROUP BY 1, 2, 3, 4",
        params,
    ):
        handoffs[Handed(actor, source, territory, HandoffStatus(status))] = count
    return OutcomeCounts(followups, sent, answers, handoffs)


def unreached(
    db: sqlite3.Connection, since: datetime, until: datetime, territory: str | None
) -> dict[str, int]:
    """Per structure, how many people answered « tried, no answer » in ``[since, until]``
    (about orientations of ``territory`` when given)."""
    join, params = "", [Answer.NO_ANSWER.value, iso(since), iso(until)]
    if territory is not None:
        join = " CROSS JOIN conversations AS c ON c.id = a.conversation_id AND c.territory = ?"
        params.insert(0, territory)
    rows = _rows(
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

"""The :class:`Storage` interface: async reads and writes on the SQLite file.

Every SQLite error reaches the caller as :class:`~bot.storage.errors.StorageUnavailable`;
nothing is retried or buffered here.

Two connections to the one file. A turn's few small statements (the inbox, the dialogue state,
the demand-log row, consent) run at once on a connection of the event loop's thread
(:meth:`Storage._now`): a point read or one transaction of a few rows in WAL mode with
``synchronous = NORMAL`` takes tens of microseconds and never calls fsync, far less than waking a
thread (which, on a loaded machine, waits to be scheduled). That connection never waits for a
lock (``busy_timeout = 0``) and never checkpoints (``wal_autocheckpoint = 0``): when another
writer holds the file, the same transaction goes to aiosqlite's thread, which waits for it; and
every :data:`CHECKPOINT_EVERY` commits a passive checkpoint runs on that thread. Everything
else (reports, follow-ups, hand-offs, erasure, retention, batches) runs on aiosqlite's thread,
each transaction one function there (:meth:`Storage._on_thread`): one thread round trip per
write, and no statement of another task can slip into an open transaction. A third connection,
read-only on a thread of its own, counts the reports' outcome figures while the demand is
counted on the other (:meth:`Storage._reading`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import operator
import os
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import aiosqlite

from bot.core.diagnostics import say
from bot.core.records import ConversationRecord
from bot.jsontext import dumps
from bot.storage import aggregates, followups, handoffs
from bot.storage.aggregates import DemandCounts, ExportRow, OutcomeCounts, Scope
from bot.storage.errors import StorageUnavailable, unavailable_on_error
from bot.storage.rows import COLUMNS, Row, from_row, iso, to_row
from bot.storage.schema import StorageError, check_ours, migrate, schema_version
from bot.storage.sql import Statement
from bot.storage.states import RowCache, StateCache

_DONE = (
    "UPDATE inbox SET done = 1, payload = NULL, outbox = COALESCE(?, outbox)"
    " WHERE update_id = ? AND done = 0"
)
_SENT = (
    "UPDATE inbox SET outbox = ?1,"
    " done = CASE WHEN ?1 IS NULL THEN 1 ELSE done END,"
    " payload = CASE WHEN ?1 IS NULL THEN NULL ELSE payload END"
    " WHERE update_id = ?2"
)
_START_THEN_ID = operator.itemgetter(COLUMNS.index("started_at"), COLUMNS.index("id"))
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM conversations"


@functools.lru_cache(maxsize=256)
def _upsert_of(columns: tuple[int, ...]) -> str:
    """Insert a whole row, or else set only ``columns`` (indexes in :data:`COLUMNS`)."""
    sets = ", ".join(f"{COLUMNS[i]} = excluded.{COLUMNS[i]}" for i in columns)
    return (
        f"INSERT INTO conversations ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        f" ON CONFLICT (id) DO UPDATE SET {sets}"
    )


_UPSERT = _upsert_of(tuple(range(1, len(COLUMNS))))


def _row_upsert(row: Row, before: Row | None) -> Statement | None:
    """The upsert writing ``row`` over ``before``, the row as in the file (None: not known):
    only the columns that changed are set, so that the report triggers and indexes of the others
    do no work (about a third of an unchanged full upsert's cost); None when none changed."""
    if before is None:
        return (_UPSERT, row)
    changed = tuple(i for i in range(1, len(COLUMNS)) if row[i] != before[i])
    return (_upsert_of(changed), row) if changed else None


CHECKPOINT_ATTEMPTS = 5
CHECKPOINT_WAIT_MS = 100
CHECKPOINT_PAUSE = 0.2
"""A reader holding a snapshot blocks the WAL checkpoint: tried this many times, waiting
this long for readers each time, with this pause (seconds) in between."""
BUSY_TIMEOUT_MS = 5000
CHECKPOINT_EVERY = 500
"""Commits on the event loop's connection between two passive checkpoints on the thread."""
T = TypeVar("T")


@dataclass(frozen=True)
class ForgetReport:
    """How many rows were erased for one pseudonym, and whether none lingers in the WAL."""

    conversations: int
    states: int
    consents: int
    complete: bool = True

    @property
    def total(self) -> int:
        """All rows erased."""
        return self.conversations + self.states + self.consents


def _state_upsert(
    key: str, state: dict[str, Any], at: datetime | None
) -> tuple[str, tuple[object, ...]]:
    return (
        "INSERT INTO dialogue_state (key, state, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        (key, dumps(state), iso(at or datetime.now(UTC))),
    )


def _commit(connection: sqlite3.Connection, statements: Sequence[Statement]) -> list[int]:
    """Run ``statements`` in one transaction; the rows changed by each one. The write lock is
    taken first (``BEGIN IMMEDIATE``), so a busy file fails before anything ran."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        counts = [connection.execute(sql, params).rowcount for sql, params in statements]
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    return counts


def _commit_many(connection: sqlite3.Connection, sql: str, rows: list[Row]) -> None:
    """``sql`` for every row of ``rows``, then commit (on the connection's thread)."""
    try:
        connection.executemany(sql, rows)
        connection.commit()
    except BaseException:
        connection.rollback()
        raise


def _checkpointed(connection: sqlite3.Connection) -> bool:
    """One ``wal_checkpoint(TRUNCATE)`` waiting at most :data:`CHECKPOINT_WAIT_MS` for readers;
    True when it completed. The usual busy timeout is back before any other statement runs."""
    connection.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
    try:
        row = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return row is not None and row[0] == 0


def _busy(error: sqlite3.Error) -> bool:
    """Whether ``error`` says another connection holds the lock (worth waiting for)."""
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)


def _direct(path: Path) -> sqlite3.Connection:
    """The event loop's connection: autocommit (transactions are explicit), never waiting for a
    lock, never checkpointing, with the durability and erasure settings of the other one."""
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "busy_timeout = 0",
        "wal_autocheckpoint = 0",
        "synchronous = NORMAL",
        "secure_delete = ON",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


async def _reader(path: Path) -> aiosqlite.Connection:
    """The reports' read-only connection, on a thread of its own; closed again if it fails."""
    reader = await aiosqlite.connect(path)
    try:
        await reader.execute("PRAGMA query_only = ON")
    except BaseException:
        await reader.close()
        raise
    return reader


def _regular_or_absent(path: Path) -> None:
    """Refuse a directory, a device (``/dev/null``) or a FIFO where the database should be, and
    a file that cannot be written (a WAL left beside it would let SQLite open it, then fail)."""
    if path.exists() and not path.is_file():
        raise StorageError(f"{path}: " + say("storage.not_regular"))
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(f"{path}: " + say("storage.read_only"))


def _reason(error: sqlite3.Error) -> str:
    """What an SQLite error at open time means for the person running the command."""
    text = str(error)
    if "not a database" in text:
        return say("storage.not_sqlite")
    if "malformed" in text:
        return say("storage.damaged", detail=text)
    if "readonly" in text or "read-only" in text:
        return say("storage.read_only") + f": {text}"
    return text


async def _healthy(db: aiosqlite.Connection) -> None:
    """``PRAGMA quick_check``: a damaged (truncated, overwritten) file is refused."""
    async with db.execute("PRAGMA quick_check(1)") as cursor:
        row = await cursor.fetchone()
    if row is None or row[0] != "ok":
        detail = " ".join(str(row[0]).split()) if row else "no answer"
        raise StorageError(say("storage.damaged", detail=f"quick_check: {detail}"))


class Storage:
    """One open database, schema migrated to the latest version on open.

    WAL journal with ``synchronous = NORMAL``: a power cut may lose the last commits but never
    corrupts the file. ``secure_delete`` overwrites erased rows. Use as
    ``async with await Storage.open(path) as storage: ...``.
    """

    def __init__(
        self,
        db: aiosqlite.Connection,
        path: Path,
        direct: sqlite3.Connection,
        reader: aiosqlite.Connection,
    ) -> None:
        self._db = db
        self._path = path
        self._direct = direct
        self._reader = reader
        self._commits = 0
        self._later: list[Statement] = []
        """Statements written with the next transaction of :meth:`_now` (``sent(later=True)``)."""
        self._states = StateCache(direct)
        """The dialogue states last written or read (:mod:`bot.storage.states`)."""
        self._rows = RowCache(direct)
        """The demand-log rows last written by a turn (:mod:`bot.storage.states`)."""
        self._checkpoint: asyncio.Task[None] | None = None
        self.followups = followups.FollowupStore(db, self._transaction)
        """Follow-ups and their answers (:mod:`bot.storage.followups`)."""

    @property
    def path(self) -> Path:
        """The database file (read-only)."""
        return self._path

    @classmethod
    async def open(cls, path: Path) -> Storage:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date.

        :class:`StorageError` (nothing written) for anything but a healthy Aiguillage database
        or a new one: not a regular file, not SQLite, damaged (``quick_check``), another
        application's, a newer schema, unwritable.
        """
        _regular_or_absent(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = await aiosqlite.connect(path)
        except (OSError, sqlite3.Error) as error:
            raise StorageError(f"{path}: " + say("storage.cannot_open", error=error)) from None
        try:
            await check_ours(db)
            await _healthy(db)
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA secure_delete = ON")
            await migrate(db)
            direct = _direct(path)
            try:
                reader = await _reader(path)
            except BaseException:
                direct.close()
                raise
        except StorageError as error:
            await db.close()
            raise type(error)(f"{path}: {error}") from None
        except sqlite3.Error as error:
            await db.close()
            raise StorageError(f"{path}: {_reason(error)}") from None
        except BaseException:
            await db.close()
            raise
        return cls(db, path, direct, reader)

    async def close(self) -> None:
        """Close the connections, once the statements left for later are committed."""
        if self._later:
            with contextlib.suppress(StorageUnavailable):  # the edits then go again at start
                await self._now()
        if self._checkpoint is not None:
            await self._checkpoint
        self._direct.close()
        await self._reader.close()
        await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @cached_property
    def handoffs(self) -> handoffs.HandoffStore:
        """The hand-off log and queue (``bot/storage/handoffs.py``), on this connection."""
        return handoffs.HandoffStore(self._db, self._transaction)

    async def schema_version(self) -> int:
        """The schema version of the open file."""
        return await schema_version(self._db)

    async def save_conversation(self, record: ConversationRecord) -> None:
        """Insert or replace (by ``id``) one demand-log row."""
        await self.save_conversations((record,))

    @unavailable_on_error
    async def save_conversations(self, records: Iterable[ConversationRecord]) -> None:
        """Insert or replace many rows in one transaction."""
        rows = [to_row(record) for record in records]
        await self._on_thread(lambda connection: _commit_many(connection, _UPSERT, rows))

    @unavailable_on_error
    async def conversations(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        territory: str | None = None,
    ) -> list[ConversationRecord]:
        """Conversations started in ``[since, until)``, oldest first (no bound when ``None``),
        only those of ``territory`` when given."""
        clauses: list[str] = []
        params: list[str] = []
        if territory is not None:
            clauses.append("territory = ?")
            params.append(territory)
        if since is not None:
            clauses.append("started_at >= ?")
            params.append(iso(since))
        if until is not None:
            clauses.append("started_at < ?")
            params.append(iso(until))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = list(await self._db.execute_fetchall(f"{_SELECT}{where}", params))
        rows.sort(key=_START_THEN_ID)  # a full scan then a sort beats walking the index
        return [from_row(row) for row in rows]

    @unavailable_on_error
    async def conversations_of(self, user: str) -> list[ConversationRecord]:
        """Every conversation of one pseudonym, oldest first."""
        rows = await self._db.execute_fetchall(
            f"{_SELECT} WHERE user = ? ORDER BY started_at, id", (user,)
        )
        return [from_row(row) for row in rows]

    @unavailable_on_error
    async def count_conversations(self, synthetic: bool | None = None) -> int:
        """How many conversations are stored (only synthetic or only real ones if asked)."""
        if synthetic is None:
            rows = await self._db.execute_fetchall("SELECT COUNT(*) FROM conversations")
        else:
            rows = await self._db.execute_fetchall(
                "SELECT COUNT(*) FROM conversations WHERE synthetic = ?", (int(synthetic),)
            )
        return int(next(iter(rows))[0])

    @unavailable_on_error
    async def load_state(self, key: str) -> dict[str, Any] | None:
        """The dialogue state saved under ``key``, or ``None``."""
        found = self._states.get(key)
        if found is not None:
            return found
        row = self._direct.execute(
            "SELECT state FROM dialogue_state WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        found = dict(json.loads(row[0]))
        self._states.put(key, found)
        return found

    async def save_state(self, key: str, state: dict[str, Any], at: datetime | None = None) -> None:
        """Insert or replace the dialogue state of ``key`` (a JSON-serialisable mapping)."""
        await self._now(_state_upsert(key, state, at))
        self._states.put(key, state)

    @unavailable_on_error
    async def save_turn(
        self,
        key: str,
        state: dict[str, Any],
        records: Iterable[ConversationRecord],
        at: datetime | None = None,
        dropped: Iterable[str] = (),
        answered: tuple[int, str] | None = None,
    ) -> None:
        """The state of ``key`` and the demand-log rows of one turn, in one transaction.

        ``dropped``: ids of this person's conversations to delete (left before any answer).
        ``answered``: ``(update_id, outbox)``: the inbox update this turn answers is marked
        done in the same transaction, with the replies still to send.
        """
        rows = [to_row(record) for record in records]
        upserts = [
            statement
            for statement in (_row_upsert(row, self._rows.get(str(row[0]))) for row in rows)
            if statement is not None
        ]
        dropped = list(dropped)
        deletes = [
            ("DELETE FROM conversations WHERE id = ? AND user = ?", (conversation_id, key))
            for conversation_id in dropped
        ]
        done = [(_DONE, (answered[1], answered[0]))] if answered is not None else []
        for conversation_id in dropped:
            self._rows.drop(conversation_id)
        await self._now(_state_upsert(key, state, at), *upserts, *deletes, *done)
        self._states.put(key, state)
        for row in rows:
            self._rows.put(str(row[0]), row)

    # ----- the durable inbox (bot/adapters/telegram/inbox.py) --------------------------------
    # Each call is its own transaction, on the event loop's connection like the turn's.
    async def receive(self, updates: Mapping[int, str], at: datetime) -> set[int]:
        """Keep new updates (``update_id`` → payload), all in one transaction; the ids newly
        kept (an ``update_id`` received before is left alone)."""
        added = await self._now(
            *(
                (
                    "INSERT INTO inbox (update_id, received_at, payload) VALUES (?, ?, ?)"
                    " ON CONFLICT (update_id) DO NOTHING",
                    (update_id, iso(at), payload),
                )
                for update_id, payload in updates.items()
            )
        )
        return {update_id for update_id, count in zip(updates, added, strict=True) if count}

    async def finish(self, update_id: int) -> None:
        """Mark an update done (if no turn did) and forget its content."""
        await self._now((_DONE, (None, update_id)))

    async def sent(self, update_id: int, remaining: str | None, *, later: bool = False) -> None:
        """Some replies to an update were sent: keep only those ``remaining``; None: all were
        sent, so the update is done and its content forgotten.

        ``later``: written with the next transaction on the event loop's connection (or at
        :meth:`close`), not in one of its own: for replies that are harmless to send again
        (edits), as they are if the process dies before.
        """
        if later:
            self._later.append((_SENT, (remaining, update_id)))
        else:
            await self._now((_SENT, (remaining, update_id)))

    @unavailable_on_error
    async def unfinished(self) -> tuple[list[str], list[tuple[int, str]]]:
        """Payloads of updates not yet done, and ``(update_id, outbox)`` of replies not yet
        sent, both in arrival order."""
        todo = await self._db.execute_fetchall(
            "SELECT payload FROM inbox WHERE done = 0 ORDER BY update_id"
        )
        unsent = await self._db.execute_fetchall(
            "SELECT update_id, outbox FROM inbox WHERE outbox IS NOT NULL ORDER BY update_id"
        )
        return [str(row[0]) for row in todo], [(int(r[0]), str(r[1])) for r in unsent]

    async def purge_inbox(self, before: datetime) -> int:
        """Forget done updates received before ``before`` (kept meanwhile to drop duplicates)."""
        (purged,) = await self._now(
            (
                "DELETE FROM inbox WHERE done = 1 AND outbox IS NULL AND received_at < ?",
                (iso(before),),
            )
        )
        return purged

    async def delete_state(self, key: str) -> None:
        """Remove the dialogue state of ``key`` (no error if there is none)."""
        self._states.drop(key)
        await self._now(("DELETE FROM dialogue_state WHERE key = ?", (key,)))

    @unavailable_on_error
    async def idle_states(self, updated_before: datetime) -> list[tuple[str, dict[str, Any]]]:
        """``(key, state)`` of every dialogue not updated since ``updated_before``, oldest first."""
        rows = await self._db.execute_fetchall(
            "SELECT key, state FROM dialogue_state WHERE updated_at < ? ORDER BY updated_at",
            (iso(updated_before),),
        )
        return [(row[0], dict(json.loads(row[1]))) for row in rows]

    async def set_consent(self, user: str, allowed: bool, at: datetime | None = None) -> None:
        """Record whether ``user`` agrees that their free text is kept."""
        await self._now(
            (
                "INSERT INTO consent (user, free_text, at) VALUES (?, ?, ?)"
                " ON CONFLICT (user) DO UPDATE SET"
                " free_text = excluded.free_text, at = excluded.at",
                (user, int(allowed), iso(at or datetime.now(UTC))),
            )
        )

    @unavailable_on_error
    async def get_consent(self, user: str) -> bool | None:
        """The recorded free-text consent of ``user``, or ``None`` if never asked."""
        row = self._direct.execute("SELECT free_text FROM consent WHERE user = ?", (user,))
        found = row.fetchone()
        return bool(found[0]) if found else None

    @unavailable_on_error
    async def forget(self, user: str) -> ForgetReport:
        """Erase everything about one pseudonym, overwriting it in the file and the WAL."""
        self._states.drop(user)
        self._rows.clear()
        conversations, states, consents, *_ = await self._transaction(
            ("DELETE FROM conversations WHERE user = ?", (user,)),
            ("DELETE FROM dialogue_state WHERE key = ?", (user,)),
            ("DELETE FROM consent WHERE user = ?", (user,)),
            *((sql, (user,)) for sql in followups.FORGET),
            *handoffs.forget_statements(user),
        )
        return ForgetReport(conversations, states, consents, await self.checkpoint())

    @unavailable_on_error
    async def purge(self, before: datetime) -> tuple[int, bool]:
        """Erase conversations started, follow-ups offered, and dialogue states last updated,
        before ``before``, then the consent of anyone of whom nothing else is left.

        Returns the number of conversations erased and whether the WAL checkpoint completed.
        """
        cutoff = (iso(before),)
        self._states.clear()
        self._rows.clear()
        erased, *_ = await self._transaction(
            ("DELETE FROM conversations WHERE started_at < ?", cutoff),
            *((sql, cutoff * sql.count("?")) for sql in followups.PURGE),
            ("DELETE FROM dialogue_state WHERE updated_at < ?", cutoff),
            (
                "DELETE FROM consent WHERE at < ?"
                " AND user NOT IN (SELECT user FROM conversations)"
                " AND user NOT IN (SELECT key FROM dialogue_state)",
                cutoff,
            ),
            *handoffs.purge_statements(before),
        )
        return erased, await self.checkpoint()

    async def checkpoint(self) -> bool:
        """Copy the WAL into the file and truncate it, so erased rows do not linger in it.

        False when readers kept it busy through every attempt (the erasure is then incomplete).
        """
        for attempt in range(CHECKPOINT_ATTEMPTS):
            if attempt:
                await asyncio.sleep(CHECKPOINT_PAUSE)
            if await self._on_thread(_checkpointed):
                return True
        return False

    @unavailable_on_error
    async def _now(self, *statements: Statement) -> list[int]:
        """Run ``statements`` in one transaction on the event loop's connection; when another
        writer holds the file, on aiosqlite's thread, which waits for it. Rows changed by each.

        The statements left for later (:meth:`sent`) go first in the same transaction; kept for
        the next one if this one fails."""
        later, self._later = self._later, []
        try:
            counts = await self._commit_now((*later, *statements))
        except BaseException:
            self._later[:0] = later
            raise
        return counts[len(later) :]

    async def _commit_now(self, statements: Sequence[Statement]) -> list[int]:
        try:
            counts = _commit(self._direct, statements)
        except sqlite3.Error as error:
            if not _busy(error):
                raise
            return await self._transaction(*statements)
        self._commits += 1
        if self._commits >= CHECKPOINT_EVERY and self._checkpoint is None:
            self._commits = 0
            self._checkpoint = asyncio.get_running_loop().create_task(self._passive_checkpoint())
        return counts

    async def _passive_checkpoint(self) -> None:
        """Copy the WAL into the file on aiosqlite's thread, without waiting for anyone; a
        failure is left to the next one."""
        try:
            await self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            pass
        finally:
            self._checkpoint = None

    @unavailable_on_error
    async def _transaction(self, *statements: Statement) -> list[int]:
        """Run ``statements`` in one transaction, in one thread round trip; the number of rows
        each one changed."""
        return await self._on_thread(lambda connection: _commit(connection, statements))

    async def _on_thread(
        self, work: Callable[[sqlite3.Connection], T], db: aiosqlite.Connection | None = None
    ) -> T:
        """``work(connection)`` run on aiosqlite's thread, in the order of every other call on
        it: one wake-up of that thread and one of the event loop, whatever ``work`` does.

        aiosqlite runs each of its calls this way (``Connection._execute``) but offers no public
        name for a whole function; ``tests/test_storage.py`` counts these round trips, so a
        change in aiosqlite shows there.
        """
        db = db or self._db
        run: Callable[[Callable[[], T]], Awaitable[T]] = db._execute
        return await run(lambda: work(db._conn))

    async def _reading(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(connection)`` on the read-only connection's thread: beside what runs on the
        other thread meanwhile (the outcome figures while the demand is counted)."""
        return await self._on_thread(work, self._reader)

    # ----- the reports: counted in SQL (aggregates.py) on the thread, a past day stored once
    @unavailable_on_error
    async def demand(self, scope: Scope) -> DemandCounts:
        """The conversations of ``scope``, counted."""
        return await self._on_thread(lambda connection: aggregates.demand(connection, scope))

    @unavailable_on_error
    async def count_days(self, scope: Scope, most: int) -> bool:
        """Count at most ``most`` past days of ``scope`` not counted yet; whether some are left."""
        return await self._on_thread(
            lambda connection: aggregates.count_days(connection, scope, most)
        )

    @unavailable_on_error
    async def outcome_counts(self, scope: Scope) -> OutcomeCounts:
        """The follow-ups, answers and hand-offs of the orientations of ``scope``, counted."""
        return await self._reading(lambda connection: aggregates.outcomes(connection, scope))

    @unavailable_on_error
    async def unreached(
        self, since: datetime, until: datetime, territory: str | None = None
    ) -> dict[str, int]:
        """Per structure, how many people could not reach it in ``[since, until]``."""
        return await self._reading(
            lambda connection: aggregates.unreached(connection, since, until, territory)
        )

    @unavailable_on_error
    async def export(self, scope: Scope, write: Callable[[list[ExportRow]], None]) -> int:
        """Every conversation of ``scope`` with its follow-up cells, to ``write`` in batches."""
        return await aggregates.export(self._db, scope, write)

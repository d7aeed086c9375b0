"""The hand-offs' SQL: the log (which structure, when, delivery status) and the sending queue.

A queue row holds the message (with the person's e-mail or phone and words) and the sealed
chat to tell; its message is erased when the hand-off is delivered or given up, and the row
itself once the person has been told. Runs on :class:`~bot.storage.Storage`'s connection and
transaction helper (``storage.handoffs``); every SQLite error is raised as
:class:`~bot.storage.errors.StorageUnavailable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from bot.storage.errors import unavailable_on_error
from bot.storage.rows import iso
from bot.storage.sql import Statement, Transaction


class Status(StrEnum):
    """Where a hand-off stands."""

    QUEUED = "queued"
    DELIVERED = "delivered"
    REFUSED = "refused"  # the server answered 5xx: the address does not take it
    GIVEN_UP = "given_up"  # not delivered within a day


@dataclass(frozen=True)
class Handoff:
    """One line of the hand-off log (nothing of what was sent)."""

    id: str
    user: str
    conversation: str
    actor: str
    created_at: datetime
    status: Status
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Queued:
    """A message still to send, or a finished hand-off whose person is still to be told."""

    id: str
    actor: str
    created_at: datetime
    chat: str
    lang: str
    message: str | None
    attempts: int
    next_at: datetime
    status: Status


_LOG = "id, user, conversation, actor, created_at, status, finished_at"
_QUEUED = (
    "SELECT q.id, h.actor, h.created_at, q.chat, q.lang, q.message, q.attempts, q.next_at,"
    " h.status FROM handoff_queue AS q JOIN handoffs AS h ON h.id = q.id"
)


def _handoff(row: aiosqlite.Row | tuple[object, ...]) -> Handoff:
    return Handoff(
        id=str(row[0]),
        user=str(row[1]),
        conversation=str(row[2]),
        actor=str(row[3]),
        created_at=datetime.fromisoformat(str(row[4])),
        status=Status(str(row[5])),
        finished_at=datetime.fromisoformat(str(row[6])) if row[6] else None,
    )


def _queued(row: aiosqlite.Row | tuple[object, ...]) -> Queued:
    return Queued(
        id=str(row[0]),
        actor=str(row[1]),
        created_at=datetime.fromisoformat(str(row[2])),
        chat=str(row[3]),
        lang=str(row[4]),
        message=None if row[5] is None else str(row[5]),
        attempts=int(str(row[6])),
        next_at=datetime.fromisoformat(str(row[7])),
        status=Status(str(row[8])),
    )


def forget_statements(user: str) -> list[Statement]:
    """Erase one pseudonym's hand-offs, queued ones included (part of ``Storage.forget``)."""
    return [
        ("DELETE FROM handoff_queue WHERE id IN (SELECT id FROM handoffs WHERE user = ?)", (user,)),
        ("DELETE FROM handoffs WHERE user = ?", (user,)),
    ]


def purge_statements(before: datetime) -> list[Statement]:
    """Erase hand-offs made before ``before`` (part of ``Storage.purge``)."""
    cutoff = (iso(before),)
    return [
        (
            "DELETE FROM handoff_queue WHERE id IN (SELECT id FROM handoffs WHERE created_at < ?)",
            cutoff,
        ),
        ("DELETE FROM handoffs WHERE created_at < ?", cutoff),
    ]


class HandoffStore:
    """Reads and writes of the two hand-off tables."""

    def __init__(self, db: aiosqlite.Connection, transaction: Transaction) -> None:
        self._db = db
        self._transaction = transaction

    @unavailable_on_error
    async def add(self, handoff: Handoff, chat: str, lang: str, message: str) -> None:
        """Log a new hand-off and queue its message, due at once, in one transaction."""
        await self._transaction(
            (
                f"INSERT INTO handoffs ({_LOG}) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                (
                    handoff.id,
                    handoff.user,
                    handoff.conversation,
                    handoff.actor,
                    iso(handoff.created_at),
                    Status.QUEUED.value,
                ),
            ),
            (
                "INSERT INTO handoff_queue (id, chat, lang, message, attempts, next_at)"
                " VALUES (?, ?, ?, ?, 0, ?)",
                (handoff.id, chat, lang, message, iso(handoff.created_at)),
            ),
        )

    @unavailable_on_error
    async def count_since(self, user: str, since: datetime) -> int:
        """How many hand-offs ``user`` asked for after ``since``."""
        rows = await self._db.execute_fetchall(
            "SELECT COUNT(*) FROM handoffs WHERE user = ? AND created_at > ?", (user, iso(since))
        )
        return int(next(iter(rows))[0])

    @unavailable_on_error
    async def of_user(self, user: str) -> list[Handoff]:
        """Every hand-off of one pseudonym, oldest first."""
        rows = await self._db.execute_fetchall(
            f"SELECT {_LOG} FROM handoffs WHERE user = ? ORDER BY created_at, id", (user,)
        )
        return [_handoff(row) for row in rows]

    @unavailable_on_error
    async def due(self, now: datetime, limit: int) -> list[Queued]:
        """Messages whose next attempt is due, and finished hand-offs whose person is untold."""
        rows = await self._db.execute_fetchall(
            f"{_QUEUED} WHERE q.message IS NULL OR q.next_at <= ? ORDER BY q.next_at LIMIT ?",
            (iso(now), limit),
        )
        return [_queued(row) for row in rows]

    @unavailable_on_error
    async def next_due(self) -> datetime | None:
        """When the next queued message falls due (None when the queue is empty)."""
        rows = list(await self._db.execute_fetchall("SELECT MIN(next_at) FROM handoff_queue"))
        value = rows[0][0] if rows else None
        return datetime.fromisoformat(str(value)) if value else None

    @unavailable_on_error
    async def retry_at(self, handoff_id: str, attempts: int, at: datetime) -> None:
        """One more failed attempt: the next one at ``at``."""
        await self._transaction(
            (
                "UPDATE handoff_queue SET attempts = ?, next_at = ? WHERE id = ?",
                (attempts, iso(at), handoff_id),
            )
        )

    @unavailable_on_error
    async def finish(self, handoff_id: str, status: Status, at: datetime) -> None:
        """Delivered or given up: the status logged and the message (reach, words) erased."""
        await self._transaction(
            (
                "UPDATE handoffs SET status = ?, finished_at = ? WHERE id = ?",
                (status.value, iso(at), handoff_id),
            ),
            ("UPDATE handoff_queue SET message = NULL WHERE id = ?", (handoff_id,)),
        )

    @unavailable_on_error
    async def told(self, handoff_id: str) -> None:
        """The person knows how it ended: the queue row (their sealed chat) goes."""
        await self._transaction(("DELETE FROM handoff_queue WHERE id = ?", (handoff_id,)))

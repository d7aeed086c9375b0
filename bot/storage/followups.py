"""The SQL of follow-ups and their answers, on the :class:`~bot.storage.Storage` connection.

Reached as ``storage.followups``; writes go through the storage's one transaction helper, and
an SQLite error is raised as :class:`~bot.storage.errors.StorageUnavailable`. Only
pseudonyms, structures' ids, answers and the sealed chat id (dropped once nothing is left to
send) are kept, and erased with the rest by ``forget`` and the retention purge.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.followup.model import Answer, Followup, Given, Offered, Status
from bot.storage.errors import unavailable_on_error
from bot.storage.rows import iso
from bot.storage.sql import Transaction

_COLUMNS = "conversation_id, user, lang, actors, offered_at, status, sent, due_at, chat"
_SELECT = f"SELECT {_COLUMNS} FROM followups"
_GIVEN = "SELECT conversation_id, actor, user, round, answer, at FROM followup_answers"
_SCHEDULED = Status.SCHEDULED.value
_SENDING = Status.SENDING.value
_PENDING = f"status IN ('{_SCHEDULED}', '{_SENDING}')"
"""Still to send: scheduled, or being sent."""

FORGET = (
    "DELETE FROM followups WHERE user = ?",
    "DELETE FROM followup_answers WHERE user = ?",
)
"""Statements erasing one pseudonym's follow-ups (``forget``), each taking the pseudonym."""
PURGE = (
    "DELETE FROM followup_answers WHERE conversation_id IN"
    " (SELECT conversation_id FROM followups WHERE offered_at < ?) OR at < ?",
    "DELETE FROM followups WHERE offered_at < ?",
)
"""Statements of the retention purge, taking the cutoff as many times as it has ``?``."""


def _followup(row: Sequence[Any]) -> Followup:
    return Followup(
        conversation_id=row[0],
        user=row[1],
        lang=row[2],
        actors=tuple(json.loads(row[3])),
        offered_at=datetime.fromisoformat(row[4]),
        status=Status(row[5]),
        sent=int(row[6]),
        due_at=datetime.fromisoformat(row[7]) if row[7] else None,
        chat=bytes(row[8]) if row[8] is not None else None,
    )


def _given(row: Sequence[Any]) -> Given:
    return Given(
        row[0], row[1], row[2], int(row[3]), Answer(row[4]), datetime.fromisoformat(row[5])
    )


class FollowupStore:
    """Reads and writes of the ``followups`` and ``followup_answers`` tables."""

    def __init__(self, db: aiosqlite.Connection, transaction: Transaction) -> None:
        self._db = db
        self._transaction = transaction

    @unavailable_on_error
    async def offer(self, *followups: Followup) -> None:
        """Record answers to the offer (« Oui » schedules, « Non merci » declines)."""
        await self._transaction(
            *(
                (
                    f"INSERT INTO followups ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (conversation_id) DO NOTHING",
                    (
                        followup.conversation_id,
                        followup.user,
                        followup.lang,
                        json.dumps(followup.actors),
                        iso(followup.offered_at),
                        followup.status.value,
                        followup.sent,
                        iso(followup.due_at) if followup.due_at else None,
                        followup.chat,
                    ),
                )
                for followup in followups
            )
        )

    @unavailable_on_error
    async def get(self, conversation_id: str) -> Followup | None:
        """The follow-ups of one orientation."""
        rows = list(
            await self._db.execute_fetchall(
                f"{_SELECT} WHERE conversation_id = ?", (conversation_id,)
            )
        )
        return _followup(rows[0]) if rows else None

    @unavailable_on_error
    async def due(self, now: datetime, limit: int) -> list[Followup]:
        """Up to ``limit`` scheduled follow-ups due at ``now``, the oldest due first."""
        rows = await self._db.execute_fetchall(
            f"{_SELECT} WHERE due_at IS NOT NULL AND due_at <= ? AND status = ?"
            " ORDER BY due_at, conversation_id LIMIT ?",
            (iso(now), _SCHEDULED, limit),
        )
        return [_followup(row) for row in rows]

    @unavailable_on_error
    async def next_due(self) -> datetime | None:
        """When the next scheduled follow-up falls due."""
        rows = list(
            await self._db.execute_fetchall(
                "SELECT MIN(due_at) FROM followups WHERE due_at IS NOT NULL AND status = ?",
                (_SCHEDULED,),
            )
        )
        return datetime.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    @unavailable_on_error
    async def scheduled(self) -> list[Followup]:
        """Every follow-up still to send (scheduled or being sent), the soonest first."""
        rows = await self._db.execute_fetchall(
            f"{_SELECT} WHERE {_PENDING} ORDER BY due_at, conversation_id"
        )
        return [_followup(row) for row in rows]

    @unavailable_on_error
    async def in_flight(self) -> list[Followup]:
        """The follow-ups marked « sending » (after a crash: those whose request may be out)."""
        rows = await self._db.execute_fetchall(f"{_SELECT} WHERE status = ?", (_SENDING,))
        return [_followup(row) for row in rows]

    @unavailable_on_error
    async def sending(self, followup: Followup) -> bool:
        """Mark follow-up number ``followup.sent + 1`` as being sent, committed before its
        request; False if it is no longer scheduled (stopped, erased, already sent)."""
        (changed,) = await self._transaction(
            (
                "UPDATE followups SET status = ?"
                " WHERE conversation_id = ? AND sent = ? AND status = ?",
                (_SENDING, followup.conversation_id, followup.sent, _SCHEDULED),
            )
        )
        return changed == 1

    @unavailable_on_error
    async def mark_sent(self, followup: Followup, next_due: datetime | None) -> bool:
        """Follow-up number ``followup.sent + 1`` went out (or counts as sent); the next is due
        at ``next_due`` (None: none left, the sealed chat id is dropped). False if it was
        already marked, or stopped meanwhile."""
        status = Status.SCHEDULED if next_due is not None else Status.DONE
        (changed,) = await self._transaction(
            (
                "UPDATE followups SET sent = sent + 1, due_at = ?, status = ?,"
                " chat = CASE WHEN ? = ? THEN chat END"
                f" WHERE conversation_id = ? AND sent = ? AND {_PENDING}",
                (
                    iso(next_due) if next_due else None,
                    status.value,
                    status.value,
                    _SCHEDULED,
                    followup.conversation_id,
                    followup.sent,
                ),
            )
        )
        return changed == 1

    @unavailable_on_error
    async def postpone(self, followup: Followup, due: datetime) -> None:
        """Try again at ``due`` (Telegram could not take the message): scheduled again."""
        await self._transaction(
            (
                "UPDATE followups SET due_at = ?, status = ?"
                f" WHERE conversation_id = ? AND sent = ? AND {_PENDING}",
                (iso(due), _SCHEDULED, followup.conversation_id, followup.sent),
            )
        )

    @unavailable_on_error
    async def end(self, conversation_id: str, user: str, status: Status) -> bool:
        """Stop what is still scheduled for this orientation (stopped, blocked, done)."""
        (changed,) = await self._transaction(
            (
                "UPDATE followups SET status = ?, due_at = NULL, chat = NULL"
                f" WHERE conversation_id = ? AND user = ? AND {_PENDING}",
                (status.value, conversation_id, user),
            )
        )
        return changed == 1

    @unavailable_on_error
    async def answer(self, *given: Given) -> None:
        """Record (or change) answers, each about one structure."""
        await self._transaction(
            *(
                (
                    "INSERT INTO followup_answers"
                    " (conversation_id, actor, user, round, answer, at) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (conversation_id, actor) DO UPDATE SET"
                    " round = excluded.round, answer = excluded.answer, at = excluded.at",
                    (g.conversation_id, g.actor, g.user, g.round, g.answer.value, iso(g.at)),
                )
                for g in given
            )
        )

    @unavailable_on_error
    async def answers(self, conversation_id: str) -> dict[str, Given]:
        """The answer given about each structure of one orientation, by structure id."""
        rows = await self._db.execute_fetchall(
            f"{_GIVEN} WHERE conversation_id = ?", (conversation_id,)
        )
        return {given.actor: given for given in map(_given, rows)}

    @unavailable_on_error
    async def of_user(self, user: str) -> tuple[list[Followup], list[Given]]:
        """One person's follow-ups and answers (``/mesdonnees``), oldest first."""
        followups = await self._db.execute_fetchall(
            f"{_SELECT} WHERE user = ? ORDER BY offered_at", (user,)
        )
        given = await self._db.execute_fetchall(
            f"{_GIVEN} WHERE user = ? ORDER BY at",
            (user,),
        )
        return [_followup(row) for row in followups], [_given(row) for row in given]

    @unavailable_on_error
    async def period(self, since: datetime | None = None) -> tuple[list[Offered], list[Given]]:
        """The follow-ups offered since ``since`` (all when None) and every answer about them."""
        where, params = (" WHERE offered_at >= ?", [iso(since)]) if since else ("", [])
        statuses = {status.value: status for status in Status}
        offered = [
            Offered(row[0], statuses[row[1]], int(row[2]))
            for row in await self._db.execute_fetchall(
                f"SELECT conversation_id, status, sent FROM followups{where}", params
            )
        ]
        given = await self._db.execute_fetchall(
            f"{_GIVEN} WHERE conversation_id IN (SELECT conversation_id FROM followups{where})",
            params,
        )
        return offered, [_given(row) for row in given]

"""Writes the database refused, kept in memory and written again once it is back.

Around the storage interface: while anything is pending, new writes queue behind it (so the
database never sees them out of order) and each write tries a :meth:`WriteBehind.flush` first.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any

from bot.core.records import ConversationRecord
from bot.storage import StoragePort, StorageUnavailable

log = logging.getLogger(__name__)

StateData = dict[str, Any]


class WriteBehind:
    """The demand-log rows and dialogue states still to write, newest per key."""

    def __init__(self, storage: StoragePort, clock: Callable[[], datetime]) -> None:
        self.storage = storage
        self.clock = clock
        self.records: dict[str, ConversationRecord] = {}
        self.states: dict[str, StateData | None] = {}

    @property
    def pending(self) -> int:
        """Writes waiting for the database to come back."""
        return len(self.records) + len(self.states)

    def has_state(self, user: str) -> bool:
        """Whether the state of ``user`` waits here (None in :attr:`states`: to delete)."""
        return user in self.states

    async def flush(self) -> int:
        """Write what the database refused earlier; return how many writes are still pending."""
        if not self.pending:
            return 0
        try:
            await self.storage.save_conversations(list(self.records.values()))
            self.records.clear()
            for user, data in list(self.states.items()):
                if data is None:
                    await self.storage.delete_state(user)
                else:
                    await self.storage.save_state(user, data, self.clock())
                del self.states[user]
        except StorageUnavailable as error:
            log.warning("database still unavailable (%s); %d write(s) pending", error, self.pending)
        else:
            log.info("database back: pending writes flushed")
        return self.pending

    async def _write(self, action: Callable[[], Awaitable[None]], keep: Callable[[], None]) -> None:
        """Run a database write; on failure keep it in memory for :meth:`flush`."""
        if self.pending:
            keep()
            await self.flush()
            return
        try:
            await action()
        except StorageUnavailable as error:
            keep()
            log.warning("database write failed (%s); %d write(s) pending", error, self.pending)

    async def save_record(self, record: ConversationRecord) -> None:
        """One demand-log row."""
        await self._write(
            lambda: self.storage.save_conversation(record),
            lambda: self.records.__setitem__(record.id, record),
        )

    async def drop_state(self, user: str) -> None:
        """The dialogue state of ``user`` is deleted."""
        await self._write(
            lambda: self.storage.delete_state(user), lambda: self.states.__setitem__(user, None)
        )

    async def save_turn(
        self,
        user: str,
        state: StateData,
        records: list[ConversationRecord],
        now: datetime,
        dropped: Iterable[str],
        answered: tuple[int, str] | None,
    ) -> None:
        """The state and rows of one turn in one transaction (see :meth:`Storage.save_turn`)."""
        dropped = list(dropped)

        def keep() -> None:
            self.states[user] = state
            self.records.update((r.id, r) for r in records)
            for conversation_id in dropped:
                self.records.pop(conversation_id, None)

        await self._write(
            lambda: self.storage.save_turn(user, state, records, now, dropped, answered), keep
        )

    def forget(self, user: str) -> None:
        """Nothing pending about ``user`` is written any more (they asked for erasure)."""
        self.records = {k: r for k, r in self.records.items() if r.user != user}
        self.states.pop(user, None)

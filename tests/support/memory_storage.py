"""An in-memory :class:`~bot.storage.StoragePort` for service tests, with switchable outages."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.core.records import ConversationRecord
from bot.storage import ForgetReport, StorageUnavailable
from bot.storage.aggregates import DemandCounts, ExportRow, OutcomeCounts, Scope, demand_of


@dataclass
class InboxRow:
    """One received Telegram update: its content until done, the replies still to send."""

    received_at: datetime
    payload: str | None
    outbox: str | None = None
    done: bool = False


@dataclass
class MemoryStorage:
    """Dictionaries instead of tables; ``read_only = True`` makes every write fail as SQLite
    does under ``PRAGMA query_only`` (reads still work)."""

    records: dict[str, ConversationRecord] = field(default_factory=dict)
    states: dict[str, tuple[dict[str, Any], datetime]] = field(default_factory=dict)
    consents: dict[str, tuple[bool, datetime]] = field(default_factory=dict)
    inbox: dict[int, InboxRow] = field(default_factory=dict)
    read_only: bool = False

    def _write(self) -> None:
        if self.read_only:
            raise StorageUnavailable("attempt to write a readonly database")

    async def save_conversation(self, record: ConversationRecord) -> None:
        await self.save_conversations((record,))

    async def save_conversations(self, records: Iterable[ConversationRecord]) -> None:
        self._write()
        self.records.update((r.id, r) for r in records)

    async def conversations(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        territory: str | None = None,
    ) -> list[ConversationRecord]:
        kept = [
            r
            for r in self.records.values()
            if (since is None or r.started_at >= since)
            and (until is None or r.started_at < until)
            and (territory is None or r.territory == territory)
        ]
        return sorted(kept, key=lambda r: (r.started_at, r.id))

    async def conversations_of(self, user: str) -> list[ConversationRecord]:
        return [r for r in await self.conversations() if r.user == user]

    async def load_state(self, key: str) -> dict[str, Any] | None:
        found = self.states.get(key)
        return copy.deepcopy(found[0]) if found else None

    async def save_state(self, key: str, state: dict[str, Any], at: datetime | None = None) -> None:
        self._write()
        self.states[key] = (copy.deepcopy(state), at or datetime.now(UTC))

    async def save_turn(
        self,
        key: str,
        state: dict[str, Any],
        records: Iterable[ConversationRecord],
        at: datetime | None = None,
        dropped: Iterable[str] = (),
        answered: tuple[int, str] | None = None,
    ) -> None:
        self._write()
        await self.save_state(key, state, at)
        await self.save_conversations(records)
        for conversation_id in dropped:
            if conversation_id in self.records and self.records[conversation_id].user == key:
                del self.records[conversation_id]
        if answered is not None and answered[0] in self.inbox:
            self._done(answered[0], answered[1])

    async def delete_state(self, key: str) -> None:
        self._write()
        self.states.pop(key, None)

    async def idle_states(self, updated_before: datetime) -> list[tuple[str, dict[str, Any]]]:
        idle = sorted((at, key, state) for key, (state, at) in self.states.items())
        return [(key, copy.deepcopy(state)) for at, key, state in idle if at < updated_before]

    async def set_consent(self, user: str, allowed: bool, at: datetime | None = None) -> None:
        self._write()
        self.consents[user] = (allowed, at or datetime.now(UTC))

    async def get_consent(self, user: str) -> bool | None:
        found = self.consents.get(user)
        return found[0] if found else None

    async def forget(self, user: str) -> ForgetReport:
        self._write()
        mine = [k for k, r in self.records.items() if r.user == user]
        for k in mine:
            del self.records[k]
        states = int(self.states.pop(user, None) is not None)
        consents = int(self.consents.pop(user, None) is not None)
        return ForgetReport(len(mine), states, consents)

    async def purge(self, before: datetime) -> tuple[int, bool]:
        self._write()
        old = [k for k, r in self.records.items() if r.started_at < before]
        for k in old:
            del self.records[k]
        self.states = {k: v for k, v in self.states.items() if v[1] >= before}
        users = {r.user for r in self.records.values()} | set(self.states)
        self.consents = {u: c for u, c in self.consents.items() if c[1] >= before or u in users}
        return len(old), True

    async def receive(self, updates: Mapping[int, str], at: datetime) -> set[int]:
        self._write()
        added = {update_id for update_id in updates if update_id not in self.inbox}
        for update_id in added:
            self.inbox[update_id] = InboxRow(at, updates[update_id])
        return added

    def _done(self, update_id: int, outbox: str | None) -> None:
        row = self.inbox.get(update_id)
        if row is not None and not row.done:
            row.done, row.payload = True, None
            row.outbox = outbox if outbox is not None else row.outbox

    async def finish(self, update_id: int) -> None:
        self._write()
        self._done(update_id, None)

    async def sent(self, update_id: int, remaining: str | None, *, later: bool = False) -> None:
        if not later:
            self._write()
        if update_id in self.inbox:
            self.inbox[update_id].outbox = remaining
            if remaining is None:
                self._done(update_id, None)

    async def unfinished(self) -> tuple[list[str], list[tuple[int, str]]]:
        ordered = sorted(self.inbox.items())
        todo = [row.payload for _, row in ordered if not row.done and row.payload]
        unsent = [(update_id, row.outbox) for update_id, row in ordered if row.outbox]
        return todo, unsent

    async def purge_inbox(self, before: datetime) -> int:
        self._write()
        old = [k for k, row in self.inbox.items() if row.done and not row.outbox]
        old = [k for k in old if self.inbox[k].received_at < before]
        for k in old:
            del self.inbox[k]
        return len(old)

    async def demand(self, scope: Scope) -> DemandCounts:
        return demand_of(self.records.values(), scope)

    async def count_days(self, scope: Scope, most: int) -> bool:
        return False  # counted from the records each time: no day is left to count

    async def outcome_counts(self, scope: Scope) -> OutcomeCounts:
        return OutcomeCounts()  # no follow-up nor hand-off is kept here

    async def unreached(
        self, since: datetime, until: datetime, territory: str | None = None
    ) -> dict[str, int]:
        return {}

    async def export(self, scope: Scope, write: Callable[[list[ExportRow]], None]) -> int:
        rows = [(r, "", "") for r in await self.conversations() if scope.holds(r)]
        write(rows)
        return len(rows)

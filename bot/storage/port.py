"""The storage interface the service, the write-behind buffer and the inbox rely on.

:class:`bot.storage.Storage` (SQLite) implements it; tests use an in-memory fake
(``tests/support/memory_storage.py``). Every method may raise
:class:`~bot.storage.errors.StorageUnavailable`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from bot.core.records import ConversationRecord
from bot.storage.aggregates import DemandCounts, ExportRow, OutcomeCounts, Scope
from bot.storage.database import ForgetReport
from bot.storage.handoffs import HandoffStore


class StoragePort(Protocol):
    """The demand log, dialogue states, consent, the Telegram inbox and the reports' counts."""

    @property
    def handoffs(self) -> HandoffStore: ...

    async def save_conversation(self, record: ConversationRecord) -> None: ...

    async def save_conversations(self, records: Iterable[ConversationRecord]) -> None: ...

    async def conversations(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        territory: str | None = None,
    ) -> list[ConversationRecord]: ...

    async def conversations_of(self, user: str) -> list[ConversationRecord]: ...

    async def load_state(self, key: str) -> dict[str, Any] | None: ...

    async def save_state(
        self, key: str, state: dict[str, Any], at: datetime | None = None
    ) -> None: ...

    async def save_turn(
        self,
        key: str,
        state: dict[str, Any],
        records: Iterable[ConversationRecord],
        at: datetime | None = None,
        dropped: Iterable[str] = (),
        answered: tuple[int, str] | None = None,
    ) -> None: ...

    async def delete_state(self, key: str) -> None: ...

    async def idle_states(self, updated_before: datetime) -> list[tuple[str, dict[str, Any]]]: ...

    async def set_consent(self, user: str, allowed: bool, at: datetime | None = None) -> None: ...

    async def get_consent(self, user: str) -> bool | None: ...

    async def forget(self, user: str) -> ForgetReport: ...

    async def purge(self, before: datetime) -> tuple[int, bool]: ...

    async def receive(self, updates: Mapping[int, str], at: datetime) -> set[int]: ...

    async def finish(self, update_id: int) -> None: ...

    async def sent(self, update_id: int, remaining: str | None, *, later: bool = False) -> None: ...

    async def unfinished(self) -> tuple[list[str], list[tuple[int, str]]]: ...

    async def purge_inbox(self, before: datetime) -> int: ...

    async def demand(self, scope: Scope) -> DemandCounts: ...

    async def count_days(self, scope: Scope, most: int) -> bool: ...

    async def outcome_counts(self, scope: Scope) -> OutcomeCounts: ...

    async def unreached(
        self, since: datetime, until: datetime, territory: str | None = None
    ) -> dict[str, int]: ...

    async def export(self, scope: Scope, write: Callable[[list[ExportRow]], None]) -> int: ...

"""The dialogue states and demand-log rows last written or read, kept in memory so a turn does
not read back what the one before wrote, nor write again the columns that did not change.

Trusted only while no other connection has written to the file: SQLite's ``data_version``
(read on the event loop's connection, a few microseconds) changes when one has (a report's
thread, the idle check's rows written there, ``aiguillage forget`` in another process, the
retention purge), and everything kept is then forgotten. The storage forgets an entry itself
when it deletes it.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Generic, TypeVar

from cachetools import LRUCache

from bot.storage.rows import Row

STATES_KEPT = 4_096
"""The people whose state is kept, the most recent ones (a state is a few kilobytes)."""
ROWS_KEPT = 4_096
"""The conversations whose row is kept, the most recent ones."""

State = dict[str, Any]
V = TypeVar("V")


class Kept(Generic[V]):
    """Values by key, as in the file while ``connection`` alone wrote to it."""

    def __init__(self, connection: sqlite3.Connection, kept: int) -> None:
        self._cursor = connection.cursor()
        """Kept for the version check: half its time is making a cursor (3 against 1.5 µs)."""
        self._values: LRUCache[str, V] = LRUCache(kept)
        self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._cursor.execute("PRAGMA data_version").fetchone()[0])

    def get(self, key: str) -> V | None:
        """The value kept for ``key``; None if none is (or another writer came)."""
        version = self._data_version()
        if version != self._version:
            self._values.clear()
            self._version = version
        return self._values.get(key)

    def put(self, key: str, value: V) -> None:
        """``value`` was just written or read for ``key``."""
        self._values[key] = value

    def drop(self, key: str) -> None:
        """The value of ``key`` is being deleted."""
        self._values.pop(key, None)

    def clear(self) -> None:
        """Values are being deleted by a condition (the retention purge)."""
        self._values.clear()


class StateCache(Kept[State]):
    """Dialogue states by key; each kept and given as a copy (the caller may change its own)."""

    def __init__(self, connection: sqlite3.Connection, kept: int = STATES_KEPT) -> None:
        super().__init__(connection, kept)

    def get(self, key: str) -> State | None:
        """A copy of the state kept for ``key``; None if none is (or another writer came)."""
        found = super().get(key)
        return None if found is None else dict(found)

    def put(self, key: str, value: State) -> None:
        """``value`` was just written or read for ``key`` (a copy is kept)."""
        super().put(key, dict(value))


class RowCache(Kept[Row]):
    """Demand-log rows (``conversations``, :data:`~bot.storage.rows.COLUMNS` order) by id."""

    def __init__(self, connection: sqlite3.Connection, kept: int = ROWS_KEPT) -> None:
        super().__init__(connection, kept)

"""The dialogue states last written or read, kept in memory so a turn does not read back what
the one before wrote.

Trusted only while no other connection has written to the file: SQLite's ``data_version``
(read on the event loop's connection, a few microseconds) changes when one has (a report's
thread, ``aiguillage forget`` in another process, the retention purge), and everything kept is
then forgotten. The storage forgets a state itself when it deletes it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cachetools import LRUCache

STATES_KEPT = 4_096
"""The people whose state is kept, the most recent ones (a state is a few kilobytes)."""

State = dict[str, Any]


class StateCache:
    """Dialogue states by key, as in the file while ``connection`` alone wrote to it."""

    def __init__(self, connection: sqlite3.Connection, kept: int = STATES_KEPT) -> None:
        self._connection = connection
        self._states: LRUCache[str, State] = LRUCache(kept)
        self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def get(self, key: str) -> State | None:
        """A copy of the state kept for ``key``; None if none is (or another writer came)."""
        version = self._data_version()
        if version != self._version:
            self._states.clear()
            self._version = version
        found = self._states.get(key)
        return None if found is None else dict(found)

    def put(self, key: str, state: State) -> None:
        """``state`` was just written or read for ``key`` (a copy is kept)."""
        self._states[key] = dict(state)

    def drop(self, key: str) -> None:
        """The state of ``key`` is being deleted."""
        self._states.pop(key, None)

    def clear(self) -> None:
        """States are being deleted by a condition (the retention purge)."""
        self._states.clear()

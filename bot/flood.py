"""Per-person flood control: a sliding window of recent updates."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

DEFAULT_LIMIT = 20
DEFAULT_WINDOW = timedelta(seconds=10)
MAX_TRACKED = 10_000


class FloodGuard:
    """Allows at most ``limit`` updates per ``window`` for each person; others are unaffected."""

    def __init__(self, limit: int = DEFAULT_LIMIT, window: timedelta = DEFAULT_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[datetime]] = {}
        self._warned: set[str] = set()

    def check(self, who: str, now: datetime) -> str:
        """``"ok"``, ``"warn"`` (first update over the limit: say so once) or ``"drop"``."""
        times = self._seen.setdefault(who, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) >= self.limit:
            if who in self._warned:
                return "drop"
            self._warned.add(who)
            return "warn"
        self._warned.discard(who)
        times.append(now)
        if len(self._seen) > MAX_TRACKED:
            self._forget_idle(now)
        return "ok"

    def _forget_idle(self, now: datetime) -> None:
        for key in [k for k, t in self._seen.items() if not t or now - t[-1] > self.window]:
            del self._seen[key]
            self._warned.discard(key)

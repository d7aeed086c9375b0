"""Per-person flood control: a sliding window of recent updates, O(1) per check."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from cachetools import TTLCache

DEFAULT_LIMIT = 20
DEFAULT_WINDOW = timedelta(seconds=10)
MAX_TRACKED = 1_000_000
"""Beyond this many people active within one window, the least recent is forgotten."""


class Verdict(StrEnum):
    """What to do with one update."""

    OK = "ok"
    WARN = "warn"  # first update over the limit: say so once
    DROP = "drop"


@dataclass
class _Recent:
    times: deque[datetime] = field(default_factory=deque)
    warned: bool = False


class FloodGuard:
    """Allows at most ``limit`` updates per ``window`` for each person; others are unaffected.

    People are kept in a :class:`cachetools.TTLCache` whose time is the last update's: those
    idle for a whole window expire from it, each once, so every check costs O(1) amortised,
    whatever the number of people.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT, window: timedelta = DEFAULT_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._now = 0.0
        self._seen: TTLCache[str, _Recent] = TTLCache(
            MAX_TRACKED, window.total_seconds(), timer=lambda: self._now
        )

    @property
    def tracked(self) -> int:
        """How many people the guard currently remembers."""
        self._seen.expire()
        return len(self._seen)

    def check(self, who: str, now: datetime) -> Verdict:
        """Whether ``who`` may be answered at ``now``."""
        self._now = now.timestamp()
        recent = self._seen.get(who) or _Recent()
        self._seen[who] = recent  # forgotten a whole window after the last update
        while recent.times and now - recent.times[0] > self.window:
            recent.times.popleft()
        if len(recent.times) >= self.limit:
            if recent.warned:
                return Verdict.DROP
            recent.warned = True
            return Verdict.WARN
        recent.warned = False
        recent.times.append(now)
        return Verdict.OK

"""Per-person flood control: a sliding window of recent updates, O(1) per check."""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

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
    times: deque[float] = field(default_factory=deque)
    """Timestamps (seconds) of the updates answered within the window, oldest first."""
    last: float = 0.0
    """The timestamp of the last update, answered or not."""
    warned: bool = False


class FloodGuard:
    """Allows at most ``limit`` updates per ``window`` for each person; others are unaffected.

    People are kept in the order of their last update (an :class:`~collections.OrderedDict`:
    moved to the end in O(1)); those idle for a whole window are at the front and leave from
    there, each once, so every check costs O(1) amortised, whatever the number of people.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT, window: timedelta = DEFAULT_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._seconds = window.total_seconds()
        self._seen: OrderedDict[str, _Recent] = OrderedDict()

    @property
    def tracked(self) -> int:
        """How many people the guard currently remembers."""
        return len(self._seen)

    def _expire(self, now: float) -> None:
        """Forget the people idle for a whole window (and the least recent over the bound)."""
        seen = self._seen
        while seen and (
            len(seen) > MAX_TRACKED or now - seen[next(iter(seen))].last > self._seconds
        ):
            seen.popitem(last=False)

    def check(self, who: str, now: datetime) -> Verdict:
        """Whether ``who`` may be answered at ``now``."""
        at = now.timestamp()
        self._expire(at)
        recent = self._seen.get(who)
        if recent is None:
            recent = self._seen[who] = _Recent()
        else:
            self._seen.move_to_end(who)
        recent.last = at
        times = recent.times
        while times and at - times[0] > self._seconds:
            times.popleft()
        if len(times) >= self.limit:
            if recent.warned:
                return Verdict.DROP
            recent.warned = True
            return Verdict.WARN
        recent.warned = False
        times.append(at)
        return Verdict.OK

"""Per-person flood control: a sliding window of recent updates, O(1) per check."""

from __future__ import annotations

from collections import OrderedDict, deque
from datetime import datetime, timedelta

DEFAULT_LIMIT = 20
DEFAULT_WINDOW = timedelta(seconds=10)


class FloodGuard:
    """Allows at most ``limit`` updates per ``window`` for each person; others are unaffected.

    People are kept in order of their last update, so those idle for a whole window are
    forgotten from the front of the table: each is removed once, every check costs O(1)
    amortised, whatever the number of people.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT, window: timedelta = DEFAULT_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._seen: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._warned: set[str] = set()

    @property
    def tracked(self) -> int:
        """How many people the guard currently remembers."""
        return len(self._seen)

    def check(self, who: str, now: datetime) -> str:
        """``"ok"``, ``"warn"`` (first update over the limit: say so once) or ``"drop"``."""
        self._forget_idle(now)
        times = self._seen.get(who)
        if times is None:
            times = self._seen[who] = deque()
        self._seen.move_to_end(who)
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) >= self.limit:
            if who in self._warned:
                return "drop"
            self._warned.add(who)
            return "warn"
        self._warned.discard(who)
        times.append(now)
        return "ok"

    def _forget_idle(self, now: datetime) -> None:
        while self._seen:
            oldest, times = next(iter(self._seen.items()))
            if times and now - times[-1] <= self.window:
                return
            del self._seen[oldest]
            self._warned.discard(oldest)

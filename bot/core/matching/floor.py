"""The floor a candidate must gain to be picked, as pre-selection meets candidates."""

from __future__ import annotations

import heapq
import math

from bot.core.matching.picking import COVERED_AGAIN, gain
from bot.core.matching.scoring import Candidate

FLOOR_MARGIN = 1e-6  # far above float errors, far below a score's 4 decimals


class Floor:
    """What a candidate must gain to be picked, from the candidates met so far.

    The picks are known one after another, as :func:`pick` makes them: the next one is the
    candidate met that gains the most with the needs of the picks known covered, once no
    candidate left can gain as much (the general reception desk, when it comes first, is
    known from the start). Every later pick gains at least the ``n``-th best *low* of the
    others met, ``n`` being how many picks are left (a gain never falls below the base plus
    :data:`COVERED_AGAIN` of its needs, and at each step one of those ``n`` is still there to
    be picked). A candidate that cannot gain that much with the needs of the picks known
    covered is never picked, whatever else is found: each pick known covers needs, and the
    floor only rises."""

    def __init__(self, needs: tuple[str, ...], limit: int) -> None:
        self.needs = needs
        self.limit = limit
        self.picks: list[Candidate] = []  # the first picks, known
        self.covered: dict[str, int] = {}  # the needs they cover, as :func:`pick` counts them
        self.others: list[Candidate] = []  # the candidates met, less the picks
        self.lowest: list[float] = []  # a min-heap of the best lows of the others
        self.leader: tuple[float, str, Candidate] | None = None  # the next pick so far

    def strengths(self, found: Candidate) -> dict[str, float]:
        """How strongly ``found`` serves each need asked (0: not at all)."""
        return {n: found.actor.needs.get(n, 0.0) for n in self.needs}

    def meet(self, found: Candidate) -> None:
        """Take ``found`` into account."""
        self.others.append(found)
        self._rank(found)
        low = found.base + COVERED_AGAIN * sum(self.strengths(found).values())
        if len(self.lowest) < self.limit - len(self.picks):
            heapq.heappush(self.lowest, low)
        elif self.lowest and low > self.lowest[0]:
            heapq.heapreplace(self.lowest, low)

    def _rank(self, found: Candidate) -> None:
        """Make ``found`` the leader when it would be picked before it (as :func:`pick` does)."""
        key = (-round(gain(found, self.needs, self.covered), 9), found.actor.id, found)
        if self.leader is None or key[:2] < self.leader[:2]:
            self.leader = key

    def know(self, pick: Candidate) -> None:
        """``pick`` is the next pick: its needs are covered, the others ranked again."""
        self.picks.append(pick)
        self.others = [c for c in self.others if c is not pick]
        for need in self.needs:
            if need in pick.actor.needs:
                self.covered[need] = self.covered.get(need, 0) + 1
        self.leader = None
        for found in self.others:
            self._rank(found)
        lows = (c.base + COVERED_AGAIN * sum(self.strengths(c).values()) for c in self.others)
        self.lowest = heapq.nlargest(self.limit - len(self.picks), lows)
        heapq.heapify(self.lowest)

    def settle(self, most_left: float) -> bool:
        """Know the next picks while no candidate left (gaining at most ``most_left``) can
        beat or tie the best of the others met; whether one got known."""
        known = len(self.picks)
        while (
            self.leader is not None
            and len(self.picks) < self.limit
            and most_left < -self.leader[0] - FLOOR_MARGIN
        ):
            self.know(self.leader[2])
        return len(self.picks) > known

    def low_floor(self) -> float:
        """What every pick not known yet gains at least (less a margin for rounding)."""
        left = self.limit - len(self.picks)
        if not left:
            return math.inf
        return self.lowest[0] - FLOOR_MARGIN if len(self.lowest) >= left else -math.inf

    def bound(self, base: float, strengths: dict[str, float]) -> float:
        """The most a candidate of this base and these need strengths gains from now on (the
        needs of the picks known are covered)."""
        covered = self.covered
        return base + sum(
            s * (COVERED_AGAIN if covered.get(n) else 1.0) for n, s in strengths.items()
        )

    def reaches(self, base: float, strengths: dict[str, float]) -> bool:
        """Whether a candidate of this base and these need strengths may be picked."""
        return self.bound(base, strengths) >= self.low_floor()

    def shortlist(self) -> list[Candidate]:
        """The picks known and the others met that may be picked."""
        return self.picks + [c for c in self.others if self.reaches(c.base, self.strengths(c))]
